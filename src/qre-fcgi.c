/*
 * qre-fcgi: the FastCGI application server.  Loads the config, then
 * hands over to the pre-fork master (server.c).
 */
#include "compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "server.h"

static void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: qre-fcgi [-ht] [-c config]\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	static struct qre_config cfg;
	const char *path = QRE_CONFIG_DEFAULT_PATH;
	char err[1024];
	int ch, test_only = 0;

	log_init("qre-fcgi", LOG_LVL_INFO);
	while ((ch = getopt(argc, argv, "c:th")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 't':
			test_only = 1;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (optind != argc)
		usage(stderr, 2);
	if (config_load(path, &cfg, err, sizeof(err)) == -1)
		fatal("%s", err);
	if (test_only) {
		printf("%s: configuration OK\n", path);
		return 0;
	}
	log_set_level((enum log_level)cfg.log_level);
	return server_run(&cfg);
}
