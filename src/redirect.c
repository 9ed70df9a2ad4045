/*
 * redirect.c: GET|HEAD /{shortCode}.  An active URL code answers 302 to
 * its destination, an active text code a small page showing the text;
 * an inactive one 410, an unknown one 404 (small HTML pages: people see
 * these, not API clients).  Each GET records a scan in the worker's
 * buffer.  The lookup comes from the worker's cache while the code's
 * codegen counter is unchanged, so most redirects touch no database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "util.h"
#include "bytebuf.h"
#include "codegen.h"
#include "compat.h"
#include "db.h"
#include "handlers.h"
#include "log.h"
#include "random.h"
#include "redirect_cache.h"
#include "response.h"
#include "scan_buffer.h"
#include "store_codes.h"
#include "store_scans.h"
#include "useragent.h"
#include "worker.h"

#define SECONDS_PER_DAY 86400
#define VISITOR_INPUT_MAX 2048	/* address, NUL, User-Agent: bytes hashed */
#define SALT_RETRY_MS 1000	/* a stand-in salt asks the database this often */

_Static_assert(SCAN_PUBLIC_ID_LEN == CODE_ID_LEN &&
    SCAN_SHORT_CODE_LEN == SHORT_CODE_LEN, "a scan carries its code's names");

static const char page_head[] = "<!doctype html>\n<html lang=\"en\"><head>"
    "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-"
    "width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">"
    "<title>";
static const char page_style[] = "</title><style>body{font:16px/1.5 "
    "system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em;"
    "color:#222}p.text{white-space:pre-wrap;overflow-wrap:anywhere;"
    "font-size:1.2em}</style></head><body>";
static const char page_tail[] = "</body></html>\n";

/*
 * Text as HTML: the five special characters escaped, line breaks (LF,
 * CRLF or CR) as <br>, tabs kept (the page has white-space: pre-wrap),
 * other control characters as U+FFFD.  The text was valid UTF-8 when it
 * was stored.
 */
static void
put_text(struct bytebuf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': bytebuf_puts(b, "&amp;"); break;
		case '<': bytebuf_puts(b, "&lt;"); break;
		case '>': bytebuf_puts(b, "&gt;"); break;
		case '"': bytebuf_puts(b, "&quot;"); break;
		case '\'': bytebuf_puts(b, "&apos;"); break;
		case '\t': bytebuf_putc(b, '\t'); break;
		case '\r':
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
			/* FALLTHROUGH */
		case '\n': bytebuf_puts(b, "<br>"); break;
		default:
			if (c < 0x20 || c == 0x7F)
				bytebuf_puts(b, "\xef\xbf\xbd");
			else
				bytebuf_putc(b, (char)c);
		}
	}
}

static enum qre_err
send_page(struct req *r, int status, const char *title, const char *heading,
    const char *text, size_t text_len)
{
	struct bytebuf b;

	bytebuf_init(&b, 1024 + text_len * 2);
	bytebuf_puts(&b, page_head);
	bytebuf_puts(&b, title);
	bytebuf_puts(&b, page_style);
	if (heading != NULL) {
		bytebuf_puts(&b, "<h1>");
		bytebuf_puts(&b, heading);
		bytebuf_puts(&b, "</h1>");
	}
	if (text != NULL) {
		bytebuf_puts(&b, "<p class=\"text\">");
		put_text(&b, text, text_len);
		bytebuf_puts(&b, "</p>");
	}
	bytebuf_puts(&b, page_tail);
	if (b.failed) {
		bytebuf_free(&b);
		return QRE_E_INTERNAL;
	}
	resp_header(r, "Cache-Control", "private, no-store");
	resp_header(r, "X-Robots-Tag", "noindex");
	resp_send(r, status, "text/html; charset=utf-8", b.p, b.len);
	bytebuf_free(&b);
	return QRE_E_OK;
}

static enum qre_err
not_found(struct req *r)
{
	return send_page(r, 404, "Not found", "This code does not exist",
	    NULL, 0);
}

/* The day's salt, fetched once per worker per UTC day. */
static int
salt_for(struct req *r, long long now_ms)
{
	struct worker_state *ws = r->ws;
	long day = (long)(now_ms / 1000 / SECONDS_PER_DAY);

	if (ws->salt_day == day && (!ws->salt_local ||
	    now_ms < ws->salt_retry_ms))
		return 0;
	if (visitor_salt_today(r->db, ws->salt) == DB_OK) {
		ws->salt_day = day;
		ws->salt_local = 0;
		return 0;
	}
	ws->salt_retry_ms = now_ms + SALT_RETRY_MS;
	if (ws->salt_day == day)
		return 0;	/* still the stand-in; the database is still down */
	/*
	 * The database is down and this worker has no salt for today (it
	 * started during the outage, or the day turned): a salt of its own
	 * keeps the scan, at the price of counting a visitor it shares with
	 * other workers twice.  The shared salt is fetched again next time.
	 */
	if (RAND_bytes(ws->salt, VISITOR_SALT_LEN) != 1)
		return -1;
	log_warn("scans: no visitor salt from the database (%s); using this "
	    "worker's own until it is back", db_error(r->db));
	ws->salt_day = day;
	ws->salt_local = 1;
	return 0;
}

static void
copy_param(struct req *r, const char *name, char *out, size_t outsz)
{
	const char *v = req_env(r, name);

	out[0] = '\0';
	if (v == NULL)
		return;
	/* Cut at a UTF-8 boundary so the column never gets half a character. */
	if (strlcpy(out, v, outsz) >= outsz) {
		size_t n = outsz - 1;

		while (n > 0 && ((unsigned char)out[n] & 0xC0) == 0x80)
			n--;
		out[n] = '\0';
	}
}

static void
record_scan(struct req *r, const char *short_code,
    const struct redirect_target *t)
{
	const char *ua = req_env(r, "HTTP_USER_AGENT");
	const char *addr = req_env(r, "REMOTE_ADDR");
	struct ua_info info;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	long long now_ms;
	struct scan scan, *s = &scan;
	const char *cc;
	char who[VISITOR_INPUT_MAX];
	int n;

	now_ms = clock_ms(CLOCK_REALTIME);
	if (salt_for(r, now_ms) == -1) {
		log_warn("scan of %s not recorded: no visitor salt (%s)",
		    t->public_id, db_error(r->db));
		return;
	}
	memset(s, 0, sizeof(*s));
	ua_classify_cached(ua, &info);
	s->code_id = t->code_id;
	s->account_id = t->account_id;
	strlcpy(s->public_id, t->public_id, sizeof(s->public_id));
	strlcpy(s->short_code, short_code, sizeof(s->short_code));
	s->at_ms = now_ms;
	cc = req_env(r, "GEOIP_COUNTRY_CODE");
	if (cc != NULL && strlen(cc) == 2)
		memcpy(s->country, cc, 3);
	copy_param(r, "GEOIP_CITY", s->city, sizeof(s->city));
	copy_param(r, "HTTP_REFERER", s->referrer, sizeof(s->referrer));
	s->device = info.device;
	s->os = info.os;
	s->browser = info.browser;
	s->is_bot = info.is_bot;
	/*
	 * The address is used here, in memory, and nowhere else: only a keyed
	 * hash of it and the User-Agent is kept, under a salt that is
	 * deleted when the day is over.
	 */
	n = snprintf(who, sizeof(who), "%s%c%s", addr ? addr : "", '\0',
	    ua ? ua : "");
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(who))
		n = sizeof(who) - 1;	/* a long User-Agent's head is enough */
	HMAC(EVP_sha256(), r->ws->salt, VISITOR_SALT_LEN,
	    (const unsigned char *)who, (size_t)n, mac, &maclen);
	OPENSSL_cleanse(who, sizeof(who));
	if (maclen >= VISITOR_HASH_LEN)
		memcpy(s->visitor, mac, VISITOR_HASH_LEN);
	scan_buffer_push(r->ws->scans, s);
}

/* The code for short_code: from the cache, or read and remembered. */
static enum qre_err
lookup(struct req *r, const char *short_code, struct redirect_target *out,
    const struct redirect_target **t)
{
	uint64_t gen = codegen_read(short_code);
	time_t now = time(NULL);
	struct code *c;
	enum db_rc rc;
	int found = 0;

	if ((*t = redirect_cache_get(r->ws->cache, short_code, gen, now)))
		return QRE_E_OK;
	if ((c = malloc(sizeof(*c))) == NULL)
		return QRE_E_INTERNAL;
	rc = code_by_short(r->db, short_code, c, &found);
	if (rc != DB_OK) {
		free(c);
		/* Down: what this worker knew is better than a 503. */
		if (rc == DB_DOWN && (*t = redirect_cache_get_stale(r->ws->cache,
		    short_code, gen)) != NULL)
			return QRE_E_OK;
		return rc == DB_DOWN ? QRE_E_DB_DOWN : QRE_E_INTERNAL;
	}
	memset(out, 0, sizeof(*out));
	out->found = found;
	if (found) {
		out->code_id = c->id;
		out->account_id = c->account_id;
		memcpy(out->public_id, c->public_id, sizeof(out->public_id));
		out->is_active = c->is_active;
		out->target_type = c->target_type;
		out->target = c->target;
		out->target_len = c->target_len;
	}
	redirect_cache_put(r->ws->cache, short_code, gen, now, out);
	/* Answer from the cache's copy: c goes now. */
	if ((*t = redirect_cache_get(r->ws->cache, short_code, gen, now)) == NULL) {
		/* Not cached (ttl 0 or out of memory): keep our own copy. */
		static char target[CODE_TARGET_BUF];

		memcpy(target, c->target, c->target_len + 1);
		out->target = target;
		*t = out;
	}
	free(c);
	return QRE_E_OK;
}

enum qre_err
redirect_handle(struct req *r)
{
	const char *short_code = r->params[0];
	const struct redirect_target *t;
	struct redirect_target mine;
	enum qre_err e;

	/* Only a well-formed short code may cost a lookup. */
	if (strlen(short_code) != SHORT_CODE_LEN ||
	    !is_base62(short_code, SHORT_CODE_LEN))
		return not_found(r);
	if ((e = lookup(r, short_code, &mine, &t)) != QRE_E_OK) {
		if (e == QRE_E_DB_DOWN)
			resp_header(r, "Retry-After", "%ld", r->cfg->db_retry_after);
		return send_page(r, e == QRE_E_DB_DOWN ? 503 : 500,
		    "Try again", "This code cannot be opened right now; try "
		    "again in a moment", NULL, 0);
	}
	if (!t->found)
		return not_found(r);
	if (!t->is_active)
		return send_page(r, 410, "Gone", "This code is no longer active",
		    NULL, 0);
	if (r->method == HTTP_GET)
		record_scan(r, short_code, t);
	if (t->target_type == TARGET_URL) {
		resp_header(r, "Location", "%s", t->target);
		resp_header(r, "Cache-Control", "private, no-store");
		resp_send(r, 302, "text/html; charset=utf-8", NULL, 0);
		return QRE_E_OK;
	}
	return send_page(r, 200, "Message", NULL, t->target, t->target_len);
}
