// SPDX-License-Identifier: MIT
// The EL1 agent's entry (x0 = the job) and its own exception vectors. A
// data abort is what the hypervisor injects when the host touches memory
// its stage 2 does not map: counted in agent_faults and skipped, as a
// store that faulted. Anything else is a broken agent.

	.section .text.boot, "ax"
	.global _start
_start:
	mov	x19, x0
	ldr	x0, =__stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	ldr	x0, =agent_vectors
	msr	vbar_el1, x0
	isb
	mov	x0, x19
	bl	agent_main
3:	wfi
	b	3b

.macro	unexpected
	.balign	0x80
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	b	agent_exception
.endm

	.section .text.vectors, "ax"
	.balign	0x800
agent_vectors:
	unexpected			// current EL, SP0
	unexpected
	unexpected
	unexpected
	.balign	0x80			// current EL, SPx: sync
	stp	x0, x1, [sp, #-16]!
	mrs	x0, esr_el1
	lsr	x1, x0, #26
	cmp	x1, #0x25		// data abort, same EL
	b.ne	4f
	adrp	x0, agent_faults
	add	x0, x0, :lo12:agent_faults
	ldr	w1, [x0]
	add	w1, w1, #1
	str	w1, [x0]
	mrs	x0, elr_el1
	add	x0, x0, #4
	msr	elr_el1, x0
	ldp	x0, x1, [sp], #16
	eret
4:	ldp	x0, x1, [sp], #16
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	b	agent_exception
	unexpected			// irq
	unexpected			// fiq
	unexpected			// serror
	unexpected			// lower EL
	unexpected
	unexpected
	unexpected
	unexpected
	unexpected
	unexpected
	unexpected
