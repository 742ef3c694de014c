# M1: event-queue pages released as soon as the host disables the queue,
# before CR0ACK says the SMMU stopped writing them.
/^bool queue_disable/,/^}/s/^	if (bit == CR0_CMDQEN)$/	if (1)/
