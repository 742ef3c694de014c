# F1: one filter rule removed: the host's TLBI_NH_ALL (which would drop the
# hypervisor's own stage-1-over-stage-2 entries of every VMID) forwarded.
s/^		return refuse(site, "cmd.tlbi_nh_all");$/		return CMD_FORWARD;/
