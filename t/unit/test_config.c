/*
 * test_config.c: defaults, good and bad values (the message names file,
 * line and key), and every key documented in qre.conf.sample and
 * man/qre.conf.5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "tap.h"

static char path[] = "/tmp/qre-test-config-XXXXXX";

static int
load(const char *text, struct qre_config *cfg, char *err, size_t errsz)
{
	FILE *fp = fopen(path, "w");

	fputs(text, fp);
	fclose(fp);
	err[0] = '\0';
	return config_load(path, cfg, err, errsz);
}

static char *
slurp(const char *file)
{
	static char buf[256 * 1024];
	FILE *fp = fopen(file, "r");
	size_t n;

	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
documented(const char *file)
{
	char full[1024], needle[128];
	const char *srcdir = getenv("srcdir");
	char *text;

	snprintf(full, sizeof(full), "%s/%s", srcdir ? srcdir : ".", file);
	text = slurp(full);
	ok(text != NULL, "%s readable", full);
	if (text == NULL)
		return;
	for (size_t i = 0; i < config_nkeys; i++) {
		snprintf(needle, sizeof(needle), "%s", config_keys[i].name);
		ok(strstr(text, needle) != NULL, "%s documents %s", file, needle);
	}
}

int
main(void)
{
	static struct qre_config cfg;
	char err[1024], want[1200];
	int fd = mkstemp(path);

	close(fd);
	config_defaults(&cfg);
	is_str(cfg.listen, "/run/qre/qre.sock", "default listen");
	is_int(cfg.max_body, 65536, "default max_body is 64 KiB");
	is_int(cfg.listen_mode, 0660, "default mode is octal 660");
	is_int(cfg.workers, 0, "default workers: one per CPU");

	ok(load("# comment\n\nworkers = 3\nlisten = 127.0.0.1:9000\n"
	    "db_password = \"  spaced  \"\nlisten_mode=0666\n"
	    "public_url = https://qr.example.com\n"
	    "webhook_allow_cidrs = 127.0.0.0/8, ::1/128\n", &cfg, err,
	    sizeof(err)) == 0, "good file loads: %s", err);
	is_int(cfg.workers, 3, "workers");
	is_str(cfg.listen, "127.0.0.1:9000", "listen");
	is_str(cfg.db_password, "  spaced  ", "quotes keep spaces");
	is_int(cfg.listen_mode, 0666, "mode");
	is_str(cfg.db_name, "qre", "unset key keeps its default");

	ok(load("workers = 2\nworkers = many\n", &cfg, err, sizeof(err)) == -1,
	    "bad number refused");
	snprintf(want, sizeof(want), "%s:2: workers: 'many' is not a number", path);
	is_str(err, want, "message names file, line and key");
	ok(load("workers = 999\n", &cfg, err, sizeof(err)) == -1, "range");
	ok(strstr(err, ":1: workers: 999 is outside 0..256") != NULL, "%s", err);
	ok(load("nosuchkey = 1\n", &cfg, err, sizeof(err)) == -1, "unknown key");
	ok(strstr(err, ":1: nosuchkey: unknown key") != NULL, "%s", err);
	ok(load("just words\n", &cfg, err, sizeof(err)) == -1, "no '='");
	ok(load("listen_mode = 0999\n", &cfg, err, sizeof(err)) == -1,
	    "bad octal refused");
	ok(load("log_level = loud\n", &cfg, err, sizeof(err)) == -1,
	    "bad level refused");
	ok(load("public_url = ftp://x\n", &cfg, err, sizeof(err)) == -1,
	    "non-http URL refused");
	ok(load("public_url = https://x/\n", &cfg, err, sizeof(err)) == -1,
	    "trailing slash refused");
	ok(load("webhook_allow_cidrs = 10.0.0.0/33\n", &cfg, err,
	    sizeof(err)) == -1, "bad CIDR refused");
	ok(load("webhook_allow_cidrs = 10.0.0.0\n", &cfg, err,
	    sizeof(err)) == -1, "CIDR without prefix refused");
	ok(load("webhook_allow_cidrs = 127.0.0.0/8,\n", &cfg, err,
	    sizeof(err)) == -1, "trailing comma in a CIDR list refused");
	ok(load("listen = qre.sock\n", &cfg, err, sizeof(err)) == -1,
	    "relative socket path refused");
	ok(load("listen = [::1]:9000\n", &cfg, err, sizeof(err)) == -1,
	    "IPv6 listen refused (libfcgi cannot)");
	ok(load("listen = 127.0.0.1:70000\n", &cfg, err, sizeof(err)) == -1,
	    "port out of range refused");
	ok(load("listen = :9000\n", &cfg, err, sizeof(err)) == 0,
	    "any-address port accepted");
	ok(load("max_body = 10\n", &cfg, err, sizeof(err)) == -1,
	    "max_body below 1 KiB refused");
	ok(config_load("/nonexistent/qre.conf", &cfg, err, sizeof(err)) == -1 &&
	    strstr(err, "/nonexistent/qre.conf") != NULL, "missing file named");
	unlink(path);

	documented("qre.conf.sample");
	documented("man/qre.conf.5");
	return done_testing();
}
