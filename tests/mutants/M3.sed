# M3: the host's EATS accepted and copied into the shadow STE.
s/^	if (FIELD_GET(STE1_EATS, host\[1\]) != 0)$/	if (0)/
s/^#define STE1_KEPT	(STE1_S1DSS/#define STE1_KEPT	(STE1_EATS | STE1_S1DSS/
