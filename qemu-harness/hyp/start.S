// SPDX-License-Identifier: MIT
// The hypervisor's entry (QEMU starts it at EL2, MMU off) and its
// exception vectors: traps from EL1 save every general register in a frame
// the C handler may change (a trapped load's destination), then return.

	.section .text.boot, "ax"
	.global _start
_start:
	// Everything the C code needs: a stack, zeroed .bss, the vectors.
	ldr	x0, =__stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	ldr	x0, =hyp_vectors
	msr	vbar_el2, x0
	isb
	bl	hyp_main
3:	wfi
	b	3b

// A frame: x0..x30 and one pad word (256 bytes). A vector slot (32
// instructions) saves x0/x1, names its handler and kind, and the common
// code saves the rest; x0 = the frame, x1 = kind for the handler.
// kind: 0 = from EL2 itself (a hypervisor crash), 1 = from EL1.
.macro	vector handler, kind
	.balign	0x80
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	adr	x0, \handler
	mov	x1, #\kind
	b	exc_common
.endm

	.section .text
exc_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x2, x0
	mov	x0, sp
	blr	x2
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #256
	eret

	.section .text.vectors, "ax"
	.balign	0x800
	.global hyp_vectors
hyp_vectors:
	vector	hyp_exception_el2, 0	// current EL, SP0: sync
	vector	hyp_exception_el2, 0	// irq
	vector	hyp_exception_el2, 0	// fiq
	vector	hyp_exception_el2, 0	// serror
	vector	hyp_exception_el2, 0	// current EL, SPx: sync
	vector	hyp_exception_el2, 0	// irq
	vector	hyp_exception_el2, 0	// fiq
	vector	hyp_exception_el2, 0	// serror
	vector	hyp_trap_el1, 1		// lower EL, AArch64: sync
	vector	hyp_exception_el2, 1	// irq (never routed here: HCR_EL2.IMO = 0)
	vector	hyp_exception_el2, 1	// fiq
	vector	hyp_exception_el2, 1	// serror
	vector	hyp_exception_el2, 1	// lower EL, AArch32
	vector	hyp_exception_el2, 1
	vector	hyp_exception_el2, 1
	vector	hyp_exception_el2, 1

	// A CPU QEMU's PSCI started for Linux (qemu-linux), at EL2 with its MMU
	// off: x0 = its index (the context the hypervisor gave CPU_ON), its
	// own 64 KiB stack below the first CPU's, the vectors, then C.
	.section .text
	.global hyp_secondary_entry
hyp_secondary_entry:
	ldr	x1, =__stack_top
	lsl	x2, x0, #16
	sub	x1, x1, x2
	mov	sp, x1
	ldr	x1, =hyp_vectors
	msr	vbar_el2, x1
	isb
	bl	hyp_secondary_main
4:	wfi
	b	4b

	// Drop to the agent: x0..x3 are its arguments, ELR_EL2/SPSR_EL2 set.
	.section .text
	.global hyp_enter_el1
hyp_enter_el1:
	eret
