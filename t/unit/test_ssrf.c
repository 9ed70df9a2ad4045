/* test_ssrf.c: which addresses webhooks may reach, and URL shapes. */
#include <string.h>

#include "ssrf.h"
#include "tap.h"

int
main(void)
{
	static const char *const bad[] = { "127.0.0.1", "127.9.9.9", "10.1.2.3",
		"172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
		"100.64.0.1", "0.0.0.0", "224.0.0.1", "239.255.255.250",
		"255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12::1",
		"ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1" };
	static const char *const good[] = { "93.184.216.34", "1.1.1.1",
		"172.32.0.1", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8" };
	struct ssrf_target t;
	char why[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(ssrf_forbidden(bad[i], ""), "%s refused", bad[i]);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(!ssrf_forbidden(good[i], ""), "%s allowed", good[i]);
	ok(!ssrf_forbidden("127.0.0.1", "127.0.0.0/8"), "allowlisted loopback");
	ok(ssrf_forbidden("10.0.0.1", "127.0.0.0/8"), "only what is listed");
	ok(!ssrf_forbidden("10.20.30.40", "192.168.0.0/16, 10.20.0.0/16"),
	    "second range of a list");
	ok(!ssrf_forbidden("::1", "::1/128"), "IPv6 allowlist");
	ok(!ssrf_forbidden("::ffff:127.0.0.1", "127.0.0.0/8"),
	    "mapped address judged as IPv4");
	ok(ssrf_forbidden("not-an-address", ""), "garbage refused");

	ok(ssrf_parse("https://example.com/hook", &t, why, sizeof(why)) == 0 &&
	    t.https && t.port == 443 && strcmp(t.host, "example.com") == 0,
	    "https URL");
	ok(ssrf_parse("http://example.com:8080?x", &t, why, sizeof(why)) == 0 &&
	    !t.https && t.port == 8080, "port and query");
	ok(ssrf_parse("http://[::1]:9/x", &t, why, sizeof(why)) == 0 &&
	    strcmp(t.host, "::1") == 0 && t.port == 9, "IPv6 literal");
	ok(ssrf_parse("ftp://example.com/", &t, why, sizeof(why)) == -1,
	    "ftp refused: %s", why);
	ok(ssrf_parse("http://user:pw@example.com/", &t, why, sizeof(why)) == -1,
	    "user info refused: %s", why);
	ok(ssrf_parse("http://example.com:99999/", &t, why, sizeof(why)) == -1,
	    "bad port refused");
	ok(ssrf_parse("http:///x", &t, why, sizeof(why)) == -1, "no host");
	ok(ssrf_parse("http://exa mple.com/", &t, why, sizeof(why)) == -1,
	    "space refused");
	ok(ssrf_parse("http://[fe80::1%25lo]/", &t, why, sizeof(why)) == -1,
	    "a zone id refused: %s", why);
	ok(ssrf_parse("http://[example.com]/", &t, why, sizeof(why)) == -1,
	    "a name in brackets refused: %s", why);
	ok(ssrf_parse("http://[1.2.3.4]/", &t, why, sizeof(why)) == -1,
	    "IPv4 in brackets refused");
	ok(ssrf_parse("http://1.2.3.4/", &t, why, sizeof(why)) == 0 && t.literal,
	    "an IPv4 literal");
	ok(ssrf_parse("http://167838211/", &t, why, sizeof(why)) == 0 &&
	    !t.literal, "a number the resolver reads as IPv4 is a name to us");

	/* Literals: the kind of range named, nothing resolved, nothing pinned. */
	ok(ssrf_check("http://127.0.0.1:1/", "", &t, why, sizeof(why)) == -1,
	    "loopback refused at check");
	is_str(why, "url: 127.0.0.1 is a loopback address, which webhooks may "
	    "not reach", "... naming its kind");
	ok(ssrf_check("http://[fd00::1]/", "", &t, why, sizeof(why)) == -1 &&
	    strstr(why, "fd00::1 is a private address") != NULL, "%s", why);
	ok(ssrf_check("http://[::ffff:10.0.0.1]/", "", &t, why, sizeof(why)) == -1
	    && strstr(why, "is a private address") != NULL,
	    "mapped: judged as IPv4: %s", why);
	ok(ssrf_check("http://100.64.1.1/", "", &t, why, sizeof(why)) == -1 &&
	    strstr(why, "shared") != NULL, "%s", why);
	is_str(ssrf_range("::", ""), "an unspecified", "::: unspecified");
	is_str(ssrf_range("::1", ""), "a loopback", "::1: loopback");
	is_str(ssrf_range("::2", "::1/128"), "a reserved",
	    "::2: reserved, whatever is allowed beside it");
	is_str(ssrf_range("ff02::1", ""), "a multicast", "ff02::1: multicast");
	is_str(ssrf_range("169.254.169.254", ""), "a link-local",
	    "169.254.169.254: link-local");
	is_str(ssrf_range("8.8.8.8", ""), NULL, "8.8.8.8: none");
	ok(ssrf_check("http://[::1]:8443/hook", "127.0.0.0/8, ::1/128", &t, why,
	    sizeof(why)) == 0, "[::1] allowlisted: accepted");
	ok(strcmp(t.addr, "::1") == 0 && t.port == 8443 && t.literal,
	    "... to connect to ::1 port 8443");
	is_str(t.resolve, "", "... with no pin (curl cannot parse one for an "
	    "IPv6 host, and needs none)");
	ok(ssrf_check("http://[::2]/", "::1/128", &t, why, sizeof(why)) == -1,
	    "[::2] beside an allowed ::1/128: refused");
	ok(ssrf_check("http://127.0.0.1:9/", "127.0.0.0/8", &t, why,
	    sizeof(why)) == 0 && t.resolve[0] == '\0' &&
	    strcmp(t.addr, "127.0.0.1") == 0, "an allowed IPv4 literal: unpinned");

	/* Names: what they resolve to is never said. */
	ok(ssrf_check("http://localhost:1/", "", &t, why, sizeof(why)) == -1,
	    "a name resolving to loopback refused");
	ok(strstr(why, "127.0.0.1") == NULL && strstr(why, "loopback address")
	    == NULL && strncmp(why, "url: the host name", 18) == 0,
	    "without saying what it resolves to: %s", why);
	ok(ssrf_check("http://167838211:9/", "", &t, why, sizeof(why)) == -1 &&
	    strstr(why, "10.1.2.3") == NULL, "a number read as 10.1.2.3: %s", why);
	ok(ssrf_check("http://localhost:8/x", "127.0.0.0/8,::1/128", &t, why,
	    sizeof(why)) == 0 && strstr(t.resolve, "localhost:8:") == t.resolve,
	    "allowlisted: pinned as %s", t.resolve);
	return done_testing();
}
