/*
 * config_keys.h: every qre.conf key, once: name, type, default (as the
 * text a user would write, so the default goes through the same parser
 * and validator as a user's value), range for numbers, and what it is.
 * qre.conf.sample and man/qre.conf.5 document the same list;
 * t/unit/test_config.c fails if either misses a key.
 *
 * Types: STR (text), INT (decimal, range-checked), MODE (octal file
 * mode), LEVEL (log level), URL (http(s) base URL, no trailing slash),
 * CIDRS (comma-separated IPv4/IPv6 CIDR list), LISTEN (an absolute
 * unix socket path, or IPv4-address:port: libfcgi has no IPv6).
 */
#ifndef QRE_CONFIG_KEYS_H
#define QRE_CONFIG_KEYS_H

#define QRE_CONFIG_KEYS(X)						\
	X(listen, LISTEN, "/run/qre/qre.sock", 0, 0,			\
	    "FastCGI listen address: an absolute unix socket path or IPv4:port") \
	X(listen_mode, MODE, "0660", 0, 0777,				\
	    "permissions of the unix socket (nginx must be able to connect)") \
	X(listen_backlog, INT, "1024", 16, 65535,			\
	    "listen(2) backlog of the FastCGI socket")			\
	X(workers, INT, "0", 0, 256,					\
	    "worker processes; 0 means one per CPU")			\
	X(pid_file, STR, "", 0, 0,					\
	    "file the master writes its pid to; empty for none")	\
	X(graceful_timeout, INT, "30", 1, 3600,				\
	    "seconds workers get to finish their request on stop or reload") \
	X(db_host, STR, "localhost", 0, 0,				\
	    "MariaDB/MySQL host (ignored when db_socket is set)")	\
	X(db_port, INT, "3306", 1, 65535,				\
	    "MariaDB/MySQL TCP port")					\
	X(db_socket, STR, "", 0, 0,					\
	    "MariaDB/MySQL unix socket path; empty to use db_host")	\
	X(db_user, STR, "qre", 0, 0,					\
	    "database user")						\
	X(db_password, STR, "", 0, 0,					\
	    "database password")					\
	X(db_name, STR, "qre", 0, 0,					\
	    "database name")						\
	X(db_connect_timeout, INT, "2", 1, 60,				\
	    "seconds to wait for a database connection")		\
	X(db_retry_after, INT, "5", 1, 3600,				\
	    "Retry-After seconds sent with 503 while the database is down") \
	X(public_url, URL, "https://localhost", 0, 0,			\
	    "public base URL that short links are built on")		\
	X(max_body, INT, "65536", 1024, 1048576,			\
	    "largest request body in bytes; larger gets 413")		\
	X(token_touch_interval, INT, "60", 1, 86400,			\
	    "seconds between lastUsed updates of one token")		\
	X(redirect_cache_ttl, INT, "60", 0, 3600,			\
	    "seconds a worker may answer a short code from memory; 0 off") \
	X(scan_flush_ms, INT, "200", 10, 10000,				\
	    "longest a scan waits in a worker before it is written")	\
	X(scan_batch, INT, "256", 1, 20000,				\
	    "scans a worker writes at once (when that many are waiting)") \
	X(state_dir, STR, QRE_STATEDIR, 0, 0,				\
	    "directory of qre-fcgi's own state: the scan spool files")	\
	X(scan_spool_max_mb, INT, "1024", 1, 1048576,			\
	    "MiB of not yet stored scans one worker keeps on disk at most") \
	X(schema_dir, STR, QRE_DATADIR "/schema", 0, 0,			\
	    "directory of numbered SQL migrations for qre-admin migrate") \
	X(webhook_allow_cidrs, CIDRS, "", 0, 0,				\
	    "private address ranges webhooks may be sent to (SSRF allowlist)") \
	X(webhook_connect_timeout_ms, INT, "3000", 100, 60000,		\
	    "milliseconds a webhook receiver gets to accept the connection") \
	X(webhook_timeout_ms, INT, "10000", 500, 120000,			\
	    "milliseconds a webhook delivery may take in all")		\
	X(webhook_concurrency, INT, "32", 1, 1024,				\
	    "deliveries qre-webhooks sends at once")			\
	X(webhook_batch, INT, "100", 1, 1000,				\
	    "scans in one scan delivery at most")			\
	X(webhook_run_seconds, INT, "55", 1, 3600,			\
	    "how long one qre-webhooks run lasts (cron starts one a minute)") \
	X(webhook_disable_after_hours, INT, "72", 1, 8760,		\
	    "hours of failures after which an endpoint is disabled")	\
	X(webhook_secret_overlap_hours, INT, "24", 0, 720,		\
	    "hours an old secret still signs after a rotation")		\
	X(log_level, LEVEL, "info", 0, 0,				\
	    "error, warn, info or debug")

#endif
