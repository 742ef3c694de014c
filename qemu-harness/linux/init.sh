#!/bin/busybox sh
# SPDX-License-Identifier: MIT
# smmufuzz qemu-linux: bind the virtio-rng devices behind the SMMU, read
# each, report what the SMMU driver said, power off (the hypervisor ends
# the run on PSCI SYSTEM_OFF). Every line for the runner starts "smmufuzz-guest: ".
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
for m in virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio-rng; do
	[ -f /mods/$m.ko ] && insmod /mods/$m.ko
done
# smmufuzz.more=N on the command line: N more 256-byte reads per device
# (more DMA while a hostile hypervisor changes ownership).
more=0
for w in $(cat /proc/cmdline); do
	case "$w" in smmufuzz.more=*) more=${w#smmufuzz.more=} ;; esac
done
rng=/sys/class/misc/hw_random
replug() {
	echo 1 > /sys/bus/pci/devices/0000:00:02.0/remove
	echo 1 > /sys/bus/pci/rescan
}
# More than one CPU: 00:02.0 leaves and comes back four times on one CPU
# while another reads through the SMMU (the first rng, 00:01.0's): the
# driver's commands from two CPUs at once.
if [ "$(grep -c ^processor /proc/cpuinfo)" -gt 1 ] && [ -e /sys/bus/pci/devices/0000:00:02.0 ]; then
	( for i in 1 2 3 4; do replug; done ) &
	dd if=/dev/hwrng of=/dev/null bs=256 count=32 2>/dev/null
	wait
	echo "smmufuzz-guest: replugged 0000:00:02.0 4 times while reading"
fi
for r in $(cat $rng/rng_available 2>/dev/null); do
	[ "$r" = none ] && continue
	echo "$r" > $rng/rng_current
	b=$(dd if=/dev/hwrng bs=16 count=1 2>/dev/null | od -An -tx1 | tr -d ' \n')
	echo "smmufuzz-guest: rng $r ${b:-nothing}"
	[ "$more" -gt 0 ] && dd if=/dev/hwrng of=/dev/null bs=256 count="$more" 2>/dev/null
done
# A device leaves and comes back (PCI remove, rescan): the driver detaches
# it from its domain and releases it, then probes and attaches it again.
if [ -e /sys/bus/pci/devices/0000:00:02.0/remove ]; then
	replug
	echo "smmufuzz-guest: replugged 0000:00:02.0"
fi
for v in /sys/bus/virtio/devices/*; do
	[ -e "$v" ] && echo "smmufuzz-guest: virtio $(basename $v) $(basename $(readlink -f $v/..)) $(cat $v/features 2>/dev/null | cut -c34)"
done
dmesg | grep -iE 'smmu|iommu' | sed 's/^/smmufuzz-guest: dmesg /'
for d in /sys/bus/pci/devices/*; do
	g=$(readlink $d/iommu_group 2>/dev/null)
	echo "smmufuzz-guest: pci $(basename $d) group ${g##*/}"
done
echo "smmufuzz-guest: done"
poweroff -f
