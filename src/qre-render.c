/*
 * qre-render: render a QR code or barcode from the command line, with the
 * same library (and the same refusals) as the API.  See qre-render(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "barcode_formats.h"
#include "render.h"

/* Exit statuses, as documented in qre-render(1). */
#define EXIT_OK		0
#define EXIT_INPUT	1	/* the data or an option value was refused */
#define EXIT_USAGE	2	/* the command line is malformed */
#define EXIT_IO		3	/* reading the data or writing the image failed */
#define EXIT_INTERNAL	4	/* out of memory, or an encoder failed */

/* Long options without a short one. */
enum { OPT_FG = 256, OPT_BG };

static const struct option long_options[] = {
	{ "type",	required_argument,	NULL, 't' },
	{ "barcode",	required_argument,	NULL, 'b' },
	{ "format",	required_argument,	NULL, 'f' },
	{ "size",	required_argument,	NULL, 's' },
	{ "ecc",	required_argument,	NULL, 'e' },
	{ "margin",	required_argument,	NULL, 'm' },
	{ "fg",		required_argument,	NULL, OPT_FG },
	{ "bg",		required_argument,	NULL, OPT_BG },
	{ "output",	required_argument,	NULL, 'o' },
	{ "list",	no_argument,		NULL, 'l' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,			NULL, 0 }
};

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: qre-render [-t qr|barcode] [-b FORMAT] "
	    "[-f png|svg] [-s SIZE] [-e L|M|Q|H]\n"
	    "                  [--fg COLOR] [--bg COLOR] [-m MARGIN] "
	    "[-o FILE|-] DATA|-\n"
	    "       qre-render -l\n");
}

static int usage_error(const char *, ...)
	    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("qre-render: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage(stderr);
	return EXIT_USAGE;
}

/* A whole decimal int; -1 if arg is not one. */
static int
parse_int(const char *arg, int *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (arg[0] == '\0' || *end != '\0' || errno == ERANGE ||
	    n < INT_MIN || n > INT_MAX)
		return -1;
	*v = (int)n;
	return 0;
}

/*
 * The data from stdin, at most RENDER_DATA_MAX bytes: one more is read
 * to tell "exactly the limit" from "too long".
 */
static int
read_stdin(unsigned char *buf, size_t bufsz, size_t *len)
{
	size_t got = 0;
	ssize_t n;

	while (got < bufsz) {
		n = read(STDIN_FILENO, buf + got, bufsz - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			fprintf(stderr, "qre-render: reading stdin: %s\n",
			    strerror(errno));
			return EXIT_IO;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*len = got;
	return EXIT_OK;
}

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The image to path ("-": stdout); a partly written file is removed. */
static int
write_image(const char *path, const struct render_result *img)
{
	int fd, to_stdout = strcmp(path, "-") == 0;

	if (to_stdout)
		fd = STDOUT_FILENO;
	else if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0666)) == -1) {
		fprintf(stderr, "qre-render: %s: %s\n", path, strerror(errno));
		return EXIT_IO;
	}
	if (write_all(fd, img->bytes, img->len) == -1 ||
	    (!to_stdout && close(fd) == -1)) {
		fprintf(stderr, "qre-render: writing %s: %s\n",
		    to_stdout ? "stdout" : path, strerror(errno));
		if (!to_stdout) {
			(void)close(fd);
			(void)unlink(path);
		}
		return EXIT_IO;
	}
	return EXIT_OK;
}

static void
list_formats(void)
{
	const struct barcode_format *f;
	size_t i;

	for (i = 0; (f = barcode_format_at(i)) != NULL; i++)
		printf("%-26s %s\n", f->name, f->summary);
}

int
main(int argc, char *argv[])
{
	static unsigned char stdin_data[RENDER_DATA_MAX + 1];
	struct render_spec spec;
	struct render_result img = { 0 };
	char reason[RENDER_REASON_MAX];
	const char *output = "-", *type = NULL, *fg = NULL, *bg = NULL;
	enum render_status st;
	int ch, rc;

	render_spec_init(&spec);
	while ((ch = getopt_long(argc, argv, "t:b:f:s:e:m:o:lh", long_options,
	    NULL)) != -1) {
		switch (ch) {
		case 't':
			type = optarg;
			break;
		case 'b':
			spec.barcode_format = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "png") == 0)
				spec.format = RENDER_PNG;
			else if (strcmp(optarg, "svg") == 0)
				spec.format = RENDER_SVG;
			else
				return usage_error("format '%s' is not png or "
				    "svg", optarg);
			break;
		case 's':
			if (parse_int(optarg, &spec.size) == -1)
				return usage_error("size '%s' is not a number",
				    optarg);
			break;
		case 'e':
			if (strlen(optarg) != 1)
				return usage_error("error correction '%s' is "
				    "not one of L, M, Q, H", optarg);
			spec.ecc = optarg[0];
			break;
		case 'm':
			if (parse_int(optarg, &spec.margin) == -1)
				return usage_error("margin '%s' is not a "
				    "number", optarg);
			break;
		case OPT_FG:
			fg = optarg;
			break;
		case OPT_BG:
			bg = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'l':
			list_formats();
			return EXIT_OK;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		return usage_error("%s", argc == 0 ? "no DATA given" :
		    "only one DATA operand is allowed");

	/* -b alone means a barcode; -t qr with -b is a contradiction. */
	if (type == NULL)
		spec.kind = spec.barcode_format != NULL ? RENDER_BARCODE :
		    RENDER_QR;
	else if (strcmp(type, "qr") == 0)
		spec.kind = RENDER_QR;
	else if (strcmp(type, "barcode") == 0)
		spec.kind = RENDER_BARCODE;
	else
		return usage_error("type '%s' is not qr or barcode", type);
	if (spec.kind == RENDER_QR && spec.barcode_format != NULL)
		return usage_error("%s", "-b is for barcodes, not -t qr");
	if (spec.kind == RENDER_BARCODE && spec.barcode_format == NULL)
		return usage_error("%s", "-t barcode needs -b FORMAT "
		    "(see -l)");

	if (fg != NULL && render_parse_color(fg, &spec.fg, NULL) == -1) {
		fprintf(stderr, "qre-render: --fg '%s' is not a #RRGGBB "
		    "color\n", fg);
		return EXIT_INPUT;
	}
	if (bg != NULL && render_parse_color(bg, &spec.bg,
	    &spec.bg_transparent) == -1) {
		fprintf(stderr, "qre-render: --bg '%s' is not a #RRGGBB "
		    "color or 'transparent'\n", bg);
		return EXIT_INPUT;
	}

	if (strcmp(argv[0], "-") == 0) {
		if ((rc = read_stdin(stdin_data, sizeof(stdin_data),
		    &spec.data_len)) != EXIT_OK)
			return rc;
		spec.data = stdin_data;
	} else {
		spec.data = (const unsigned char *)argv[0];
		spec.data_len = strlen(argv[0]);
	}

	if ((st = render(&spec, &img, reason, sizeof(reason))) != RENDER_OK) {
		fprintf(stderr, "qre-render: %s\n", reason);
		return st == RENDER_EINPUT ? EXIT_INPUT : EXIT_INTERNAL;
	}
	rc = write_image(output, &img);
	render_result_free(&img);
	return rc;
}
