/* test_useragent.c: real User-Agent strings and what they must mean. */
#include <string.h>

#include "tap.h"
#include "useragent.h"

static const struct {
	const char *ua, *device, *os, *browser;
	int bot;
} cases[] = {
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
	  "mobile", "iOS", "Safari", 0 },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) CriOS/123.0.6312.52 Mobile/15E148 Safari/604.1",
	  "mobile", "iOS", "Chrome", 0 },
	{ "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
	  "tablet", "iPadOS", "Safari", 0 },
	{ "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like "
	  "Gecko) Chrome/123.0.6312.99 Mobile Safari/537.36",
	  "mobile", "Android", "Chrome", 0 },
	{ "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like "
	  "Gecko) Chrome/122.0.0.0 Safari/537.36",
	  "tablet", "Android", "Chrome", 0 },
	{ "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, "
	  "like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
	  "mobile", "Android", "Samsung Internet", 0 },
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
	  "Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.65",
	  "desktop", "Windows", "Edge", 0 },
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:124.0) Gecko/20100101 Firefox/124.0",
	  "desktop", "Windows", "Firefox", 0 },
	{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, "
	  "like Gecko) Version/17.4 Safari/605.1.15",
	  "desktop", "macOS", "Safari", 0 },
	{ "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
	  "Chrome/123.0.0.0 Safari/537.36 OPR/109.0.0.0",
	  "desktop", "Linux", "Opera", 0 },
	{ "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
	  "Chrome/123.0.0.0 Safari/537.36", "desktop", "ChromeOS", "Chrome", 0 },
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 "
	  "(KHTML, like Gecko) Mobile/15E148 Instagram 321.0.2.23.110",
	  "mobile", "iOS", "Instagram", 0 },
	{ "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
	  "bot", NULL, "Slackbot", 1 },
	{ "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
	  "bot", NULL, "Facebook", 1 },
	{ "Twitterbot/1.0", "bot", NULL, "Twitterbot", 1 },
	{ "WhatsApp/2.23.20.0 A", "bot", NULL, "WhatsApp", 1 },
	{ "TelegramBot (like TwitterBot)", "bot", NULL, "TelegramBot", 1 },
	{ "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
	  "bot", NULL, "Discordbot", 1 },
	{ "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
	  "(KHTML, like Gecko) Chrome/123.0.6312.58 Mobile Safari/537.36 (compatible; "
	  "Googlebot/2.1; +http://www.google.com/bot.html)",
	  "bot", "Android", "Googlebot", 1 },
	{ "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
	  "bot", NULL, "LinkedInBot", 1 },
	{ "curl/8.5.0", "bot", NULL, "curl", 1 },
	{ "Wget/1.21.3", "bot", NULL, "Wget", 1 },
	{ "python-requests/2.31.0", "bot", NULL, "python-requests", 1 },
	{ "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
	  "bot", NULL, "Bingbot", 1 },
	{ "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
	  "HeadlessChrome/123.0.0.0 Safari/537.36", "bot", "Linux", "HeadlessChrome", 1 },
	{ "", "bot", NULL, NULL, 1 },
};

int
main(void)
{
	struct ua_info u;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ua_classify(cases[i].ua, &u);
		is_str(ua_device_name(u.device), cases[i].device, "device of #%zu", i);
		is_str(u.os, cases[i].os, "os of #%zu", i);
		is_str(u.browser, cases[i].browser, "browser of #%zu", i);
		is_int(u.is_bot, cases[i].bot, "bot flag of #%zu", i);
	}
	/* The cached path agrees with the plain one, twice over. */
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct ua_info c;

			ua_classify(cases[i].ua, &u);
			ua_classify_cached(cases[i].ua, &c);
			ok(c.device == u.device && c.is_bot == u.is_bot &&
			    c.os == u.os && c.browser == u.browser,
			    "cached classification of #%zu (round %d)", i, round);
		}
	ua_classify(NULL, &u);
	ok(u.is_bot, "no User-Agent is a bot");
	return done_testing();
}
