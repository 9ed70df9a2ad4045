/*
 * render_bench.c: render()s per second on one thread, for the cases
 * bench/render/run compares with Node's qrcode and bwip-js.
 *
 * usage: render_bench [SECONDS [CASE]]   (per case, default 2; one
 * case by name, for profiling)
 * prints one line per case: name, renders/s, ms/render, width, height,
 * bytes (tab-separated).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render.h"

#define URL		"https://example.com/some/path?x=1"
#define CODE128_DATA	"QRE-0123456789"
#define WARMUP		200
/* Look at the clock every this many renders. */
#define CLOCK_EVERY	64

struct bench_case {
	const char		*name;
	enum render_kind	 kind;
	const char		*barcode_format;
	enum render_format	 format;
	const char		*data;
	int			 size;
};

/*
 * Sizes match what the references draw: CODE128 at 340 px is 2 px per
 * module with its text (bwip-js scale 2: 290 x 119), DATAMATRIX at 300
 * px is 12 px per module (bwip-js scale 7: 308 x 308).
 */
static const struct bench_case cases[] = {
	{ "qr_png_300", RENDER_QR, NULL, RENDER_PNG, URL, 300 },
	{ "qr_svg_300", RENDER_QR, NULL, RENDER_SVG, URL, 300 },
	{ "code128_png", RENDER_BARCODE, "CODE128", RENDER_PNG, CODE128_DATA,
	  340 },
	{ "datamatrix_png", RENDER_BARCODE, "DATAMATRIX", RENDER_PNG, URL,
	  300 },
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
once(const struct render_spec *spec, struct render_result *out)
{
	char why[RENDER_REASON_MAX];

	if (render(spec, out, why, sizeof(why)) != RENDER_OK) {
		fprintf(stderr, "render_bench: %s\n", why);
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	double seconds = argc > 1 ? atof(argv[1]) : 2.0, start, elapsed;
	struct render_spec spec;
	struct render_result r;
	size_t i;
	long n, k;

	if (seconds <= 0) {
		fprintf(stderr, "usage: render_bench [SECONDS [CASE]]\n");
		return 2;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (argc > 2 && strcmp(argv[2], cases[i].name) != 0)
			continue;
		render_spec_init(&spec);
		spec.kind = cases[i].kind;
		spec.barcode_format = cases[i].barcode_format;
		spec.format = cases[i].format;
		spec.data = (const unsigned char *)cases[i].data;
		spec.data_len = strlen(cases[i].data);
		spec.size = cases[i].size;
		for (k = 0; k < WARMUP; k++) {
			if (once(&spec, &r) == -1)
				return 1;
			render_result_free(&r);
		}
		n = 0;
		start = now();
		do {
			for (k = 0; k < CLOCK_EVERY; k++, n++) {
				if (once(&spec, &r) == -1)
					return 1;
				render_result_free(&r);
			}
		} while ((elapsed = now() - start) < seconds);
		if (once(&spec, &r) == -1)
			return 1;
		printf("%s\t%.0f\t%.4f\t%d\t%d\t%zu\n", cases[i].name,
		    n / elapsed, elapsed * 1e3 / n, r.width, r.height, r.len);
		render_result_free(&r);
	}
	return 0;
}
