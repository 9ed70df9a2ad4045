/*
 * fuzz_render.c: libFuzzer target for render().  The first bytes choose
 * the code, format and options, the rest is the data; every input must
 * render or be refused cleanly (no crash, leak or out-of-bounds access
 * under ASan and UBSan).  Built and run by fuzz/run.
 *
 * Input layout:
 *   [0]     code: 0 = RENDER_QR, i = the (i-1)-th barcode format (mod n+1)
 *   [1]     bit 0 svg, bit 1 transparent bg, bit 2 fg/bg from [5..10],
 *           bits 3-4 ECC (L M Q H), bit 5 ECC 'X', bit 6 any size,
 *           bit 7 any margin
 *   [2..3]  size: 64..1024, or any int16 with bit 6
 *   [4]     margin: -1..32, or any int8 with bit 7
 *   [5..7]  fg, [8..10] bg (0xRRGGBB)
 *   [11]    unused
 *   [12..]  data
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define HEADER		12
/* Sizes beyond this only make the fuzzer slow, not wiser. */
#define SIZE_SPAN	961

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t len);

static volatile unsigned char touched;

static size_t
format_count(void)
{
	size_t n = 0;

	while (render_format_name(n) != NULL)
		n++;
	return n;
}

static void
fuzz_color(const uint8_t *in, size_t len)
{
	char text[16];
	uint32_t rgb;
	int tr;
	size_t n = len < sizeof(text) - 1 ? len : sizeof(text) - 1;

	memcpy(text, in, n);
	text[n] = '\0';
	(void)render_parse_color(text, &rgb, &tr);
	(void)render_parse_color(text, &rgb, NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *in, size_t len)
{
	static size_t nformats;
	struct render_spec spec;
	struct render_result out;
	char reason[RENDER_REASON_MAX];
	unsigned int pick, flags, v;

	if (nformats == 0)
		nformats = format_count();
	if (len < HEADER)
		return 0;
	render_spec_init(&spec);
	pick = in[0] % (unsigned int)(nformats + 1);
	if (pick > 0) {
		spec.kind = RENDER_BARCODE;
		spec.barcode_format = render_format_name(pick - 1);
	}
	flags = in[1];
	spec.format = flags & 1 ? RENDER_SVG : RENDER_PNG;
	spec.bg_transparent = (flags >> 1) & 1;
	if (flags & 4) {
		spec.fg = (uint32_t)in[5] << 16 | (uint32_t)in[6] << 8 | in[7];
		spec.bg = (uint32_t)in[8] << 16 | (uint32_t)in[9] << 8 | in[10];
	}
	spec.ecc = (flags & 0x20) ? 'X' : "LMQH"[(flags >> 3) & 3];
	v = (unsigned int)in[2] << 8 | in[3];
	spec.size = flags & 0x40 ? (int)(int16_t)v :
	    RENDER_SIZE_MIN + (int)(v % SIZE_SPAN);
	spec.margin = flags & 0x80 ? (int)(int8_t)in[4] : (int)(in[4] % 34) - 1;
	spec.data = in + HEADER;
	spec.data_len = len - HEADER;

	if (render(&spec, &out, reason, sizeof(reason)) == RENDER_OK) {
		size_t i;

		/* Touch every byte so ASan sees a short buffer. */
		for (i = 0; i < out.len; i++)
			touched ^= out.bytes[i];
		if (out.width < 1 || out.height < 1 || out.module_px < 1 ||
		    out.content_type == NULL || out.len < 8 ||
		    (memcmp(out.bytes, "\x89PNG", 4) != 0 &&
		    memcmp(out.bytes, "<?xml", 5) != 0))
			abort();
	} else if (out.bytes != NULL || reason[0] == '\0')
		abort();	/* a refusal leaves no image and says why */
	render_result_free(&out);
	fuzz_color(in + HEADER, len - HEADER);
	return 0;
}
