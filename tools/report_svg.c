// SPDX-License-Identifier: MIT
/*
 * Line charts as SVG, drawn here: axes with round ticks (time as m:ss or
 * h:mm, counts as 1.2k / 3.4M), one polyline per curve in a palette that
 * stays apart for colour-blind readers (Okabe & Ito), a legend above the
 * plot. The same element is inlined in report.html and written as a file
 * for report.md.
 */
#include <math.h>
#include <string.h>

#include "report.h"

#define MARGIN_L	64
#define MARGIN_R	16
#define MARGIN_T	52
#define MARGIN_B	44
#define TICKS		5
#define MAX_POINTS	600	/* per curve: more are thinned evenly */

static const char *const palette[] = {
	"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
	"#000000", "#F0E442",
};

const char *svg_color(unsigned i)
{
	return palette[i % (sizeof(palette) / sizeof(palette[0]))];
}

/* A round step near (hi - lo) / TICKS: 1, 2, 2.5 or 5 times a power of 10
 * (time: 10 s, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 6, 12 h, days). */
static double nice_step(double span, bool time)
{
	static const double tsteps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900,
					 1800, 3600, 7200, 14400, 21600, 43200, 86400 };
	double raw = span / TICKS, p, m;
	size_t i;

	if (raw <= 0)
		return 1;
	if (time) {
		for (i = 0; i < sizeof(tsteps) / sizeof(tsteps[0]); i++)
			if (tsteps[i] >= raw)
				return tsteps[i];
		return ceil(raw / 86400) * 86400;
	}
	p = pow(10, floor(log10(raw)));
	m = raw / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

static void tick_label(double v, bool time, char *buf, size_t cap)
{
	if (time) {
		long s = lround(v);

		if (s >= 3600)
			snprintf(buf, cap, "%ld:%02ld h", s / 3600, (s / 60) % 60);
		else
			snprintf(buf, cap, "%ld:%02ld", s / 60, s % 60);
	} else if (fabs(v) >= 1e6) {
		snprintf(buf, cap, "%.3gM", v / 1e6);
	} else if (fabs(v) >= 1e4) {
		snprintf(buf, cap, "%.3gk", v / 1e3);
	} else {
		snprintf(buf, cap, "%.4g", v);
	}
}

static void text(FILE *f, double x, double y, const char *anchor, const char *cls,
		 const char *s)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y,
		anchor, cls);
	html_escape(f, s);
	fputs("</text>\n", f);
}

void svg_chart(FILE *f, const struct chart *ch, unsigned w, unsigned h)
{
	double x0 = INFINITY, x1 = -INFINITY, y1 = 0, xs, ys, step, v;
	double pw = (double)w - MARGIN_L - MARGIN_R, ph = (double)h - MARGIN_T - MARGIN_B;
	unsigned i, points = 0;
	size_t k;
	char lab[32];

	for (i = 0; i < ch->ncurves; i++)
		for (k = 0; k < ch->curves[i].n; k++) {
			x0 = fmin(x0, ch->curves[i].x[k]);
			x1 = fmax(x1, ch->curves[i].x[k]);
			y1 = fmax(y1, ch->curves[i].y[k]);
			points++;
		}
	if (points == 0) {
		x0 = 0;
		x1 = 1;
	}
	if (ch->x_is_time || x0 > 0)
		x0 = 0;
	if (x1 <= x0)
		x1 = x0 + 1;
	step = nice_step(y1 > 0 ? y1 : 1, false);
	y1 = ceil((y1 > 0 ? y1 : 1) / step) * step;
	xs = pw / (x1 - x0);
	ys = ph / y1;

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" "
		"viewBox=\"0 0 %u %u\" role=\"img\" class=\"chart\">\n", w, h, w, h);
	fputs("<style>.t{font:600 14px sans-serif;fill:#222}.a{font:12px sans-serif;"
	      "fill:#444}.l{font:13px sans-serif;fill:#222}.n{font:13px sans-serif;"
	      "fill:#888}</style>\n", f);
	fprintf(f, "<rect width=\"%u\" height=\"%u\" fill=\"#fff\"/>\n", w, h);
	text(f, MARGIN_L, 18, "start", "t", ch->title);
	/* Legend: one swatch and label per curve, in a row. */
	{
		double lx = MARGIN_L;

		for (i = 0; i < ch->ncurves; i++) {
			fprintf(f, "<rect x=\"%.1f\" y=\"28\" width=\"14\" height=\"4\" fill=\"%s\"/>\n",
				lx, svg_color(ch->curves[i].color));
			text(f, lx + 18, 35, "start", "l", ch->curves[i].label);
			lx += 28 + 7.5 * (double)strlen(ch->curves[i].label);
		}
	}
	/* Grid and ticks. */
	for (v = 0; v <= y1 + step / 2; v += step) {
		double y = MARGIN_T + ph - v * ys;

		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>\n",
			MARGIN_L, y, MARGIN_L + pw, y);
		tick_label(v, false, lab, sizeof(lab));
		text(f, MARGIN_L - 6, y + 4, "end", "a", lab);
	}
	step = nice_step(x1 - x0, ch->x_is_time);
	for (v = ceil(x0 / step) * step; v <= x1 + step / 1e6; v += step) {
		double x = MARGIN_L + (v - x0) * xs;

		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>\n",
			x, MARGIN_T, x, MARGIN_T + ph);
		tick_label(v, ch->x_is_time, lab, sizeof(lab));
		text(f, x, MARGIN_T + ph + 16, "middle", "a", lab);
	}
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
		"stroke=\"#999\"/>\n", MARGIN_L, MARGIN_T, pw, ph);
	text(f, MARGIN_L + pw / 2, (double)h - 6, "middle", "a", ch->xlabel);
	fprintf(f, "<text transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\" "
		"class=\"a\">", MARGIN_T + ph / 2);
	html_escape(f, ch->ylabel);
	fputs("</text>\n", f);
	if (points == 0)
		text(f, MARGIN_L + pw / 2, MARGIN_T + ph / 2, "middle", "n",
		     "no samples recorded");
	/* The curves. */
	for (i = 0; i < ch->ncurves; i++) {
		const struct curve *cv = &ch->curves[i];
		size_t every = cv->n > MAX_POINTS ? (cv->n + MAX_POINTS - 1) / MAX_POINTS : 1;

		if (cv->n == 0)
			continue;
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
			"stroke-linejoin=\"round\" points=\"", svg_color(cv->color));
		for (k = 0; k < cv->n; k += every)
			fprintf(f, "%.1f,%.1f ", MARGIN_L + (cv->x[k] - x0) * xs,
				MARGIN_T + ph - cv->y[k] * ys);
		if ((cv->n - 1) % every != 0)
			fprintf(f, "%.1f,%.1f", MARGIN_L + (cv->x[cv->n - 1] - x0) * xs,
				MARGIN_T + ph - cv->y[cv->n - 1] * ys);
		fputs("\"/>\n", f);
		if (cv->n == 1)
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
				MARGIN_L + (cv->x[0] - x0) * xs, MARGIN_T + ph - cv->y[0] * ys,
				svg_color(cv->color));
	}
	fputs("</svg>\n", f);
}
