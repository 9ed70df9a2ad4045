/* useragent.c: see useragent.h. */
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "compat.h"
#include "useragent.h"

struct ua_rule {
	const char *token;	/* a substring of the User-Agent */
	const char *name;	/* what it means */
};

/*
 * Bots first: a preview fetcher often claims to be a browser as well
 * ("facebookexternalhit/1.1 ... Chrome/..."), never the other way round.
 */
static const struct ua_rule bots[] = {
	{ "Slackbot", "Slackbot" },
	{ "Slack-ImgProxy", "Slackbot" },
	{ "facebookexternalhit", "Facebook" },
	{ "Facebot", "Facebook" },
	{ "meta-externalagent", "Facebook" },
	{ "Twitterbot", "Twitterbot" },
	{ "WhatsApp", "WhatsApp" },
	{ "TelegramBot", "TelegramBot" },
	{ "Discordbot", "Discordbot" },
	{ "LinkedInBot", "LinkedInBot" },
	{ "SkypeUriPreview", "Skype" },
	{ "Googlebot", "Googlebot" },
	{ "Google-InspectionTool", "Googlebot" },
	{ "GoogleOther", "Googlebot" },
	{ "AdsBot-Google", "Googlebot" },
	{ "APIs-Google", "Googlebot" },
	{ "bingbot", "Bingbot" },
	{ "BingPreview", "Bingbot" },
	{ "DuckDuckBot", "DuckDuckBot" },
	{ "YandexBot", "YandexBot" },
	{ "Baiduspider", "Baiduspider" },
	{ "Applebot", "Applebot" },
	{ "Pinterestbot", "Pinterest" },
	{ "redditbot", "Reddit" },
	{ "Embedly", "Embedly" },
	{ "Iframely", "Iframely" },
	{ "vkShare", "VK" },
	{ "Snapchat", "Snapchat" },
	{ "MicrosoftPreview", "Microsoft" },
	{ "Mastodon", "Mastodon" },
	{ "curl/", "curl" },
	{ "Wget/", "Wget" },
	{ "python-requests", "python-requests" },
	{ "Python-urllib", "Python" },
	{ "aiohttp", "Python" },
	{ "Go-http-client", "Go" },
	{ "okhttp", "okhttp" },
	{ "Java/", "Java" },
	{ "libwww-perl", "Perl" },
	{ "HeadlessChrome", "HeadlessChrome" },
	{ "PhantomJS", "PhantomJS" },
	{ "node-fetch", "Node" },
	{ "axios/", "Node" },
	{ "undici", "Node" },
	{ "Wappalyzer", "Wappalyzer" },
	{ "Bot", "Bot" },	/* last resorts: "...Bot/1.0", "crawler" */
	{ "bot/", "Bot" },
	{ "bot;", "Bot" },
	{ "crawler", "Bot" },
	{ "spider", "Bot" },
};

/* Order matters: iPadOS and Android before the desktop systems they echo. */
static const struct ua_rule systems[] = {
	{ "iPhone", "iOS" },
	{ "iPad", "iPadOS" },
	{ "iPod", "iOS" },
	{ "Android", "Android" },
	{ "CrOS", "ChromeOS" },
	{ "Windows Phone", "Windows Phone" },
	{ "Windows", "Windows" },
	{ "Macintosh", "macOS" },
	{ "Mac OS X", "macOS" },
	{ "HarmonyOS", "HarmonyOS" },
	{ "KaiOS", "KaiOS" },
	{ "Tizen", "Tizen" },
	{ "Linux", "Linux" },
	{ "FreeBSD", "FreeBSD" },
	{ "OpenBSD", "OpenBSD" },
};

/*
 * Browsers built on Chrome or Safari name themselves before the engine
 * they carry, so their rows come first.
 */
static const struct ua_rule browsers[] = {
	{ "Edg/", "Edge" },
	{ "EdgA/", "Edge" },
	{ "EdgiOS/", "Edge" },
	{ "Edge/", "Edge" },
	{ "OPR/", "Opera" },
	{ "OPiOS/", "Opera" },
	{ "Opera", "Opera" },
	{ "SamsungBrowser/", "Samsung Internet" },
	{ "YaBrowser/", "Yandex" },
	{ "UCBrowser/", "UC Browser" },
	{ "Vivaldi/", "Vivaldi" },
	{ "Brave", "Brave" },
	{ "DuckDuckGo/", "DuckDuckGo" },
	{ "Instagram", "Instagram" },
	{ "FBAN/", "Facebook" },
	{ "FBAV/", "Facebook" },
	{ "Line/", "LINE" },
	{ "MicroMessenger/", "WeChat" },
	{ "GSA/", "Google App" },
	{ "CriOS/", "Chrome" },
	{ "FxiOS/", "Firefox" },
	{ "Firefox/", "Firefox" },
	{ "Chromium/", "Chromium" },
	{ "Chrome/", "Chrome" },
	{ "Trident/", "Internet Explorer" },
	{ "MSIE ", "Internet Explorer" },
	{ "Safari/", "Safari" },
	{ "AppleWebKit/", "Safari" },	/* in-app web views on iOS */
};

static const char *
first_match(const char *ua, const struct ua_rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(ua, rules[i].token) != NULL)
			return rules[i].name;
	return NULL;
}

void
ua_classify(const char *ua, struct ua_info *out)
{
	const char *bot;

	memset(out, 0, sizeof(*out));
	out->device = UA_DESKTOP;
	if (ua == NULL || *ua == '\0') {
		/* No User-Agent at all is a script, not a person's phone. */
		out->device = UA_BOT;
		out->is_bot = 1;
		return;
	}
	out->os = first_match(ua, systems, QRE_NELEM(systems));
	if ((bot = first_match(ua, bots, QRE_NELEM(bots))) != NULL) {
		out->device = UA_BOT;
		out->is_bot = 1;
		out->browser = bot;
		return;
	}
	out->browser = first_match(ua, browsers, QRE_NELEM(browsers));
	if (out->os != NULL && (strcmp(out->os, "iPadOS") == 0 ||
	    (strcmp(out->os, "Android") == 0 && strstr(ua, "Mobile") == NULL) ||
	    strstr(ua, "Tablet") != NULL))
		out->device = UA_TABLET;
	else if (out->os != NULL && (strcmp(out->os, "iOS") == 0 ||
	    strcmp(out->os, "Android") == 0 ||
	    strcmp(out->os, "Windows Phone") == 0 ||
	    strcmp(out->os, "KaiOS") == 0 || strstr(ua, "Mobile") != NULL))
		out->device = UA_MOBILE;
}

void
ua_classify_cached(const char *ua, struct ua_info *out)
{
	static struct {
		char ua[UA_CACHE_LEN_MAX + 1];
		struct ua_info info;
	} cache[UA_CACHE_SLOTS];
	uint32_t h;
	size_t len;

	if (ua == NULL) {
		ua_classify(ua, out);
		return;
	}
	len = strlen(ua);
	if (len > UA_CACHE_LEN_MAX) {
		ua_classify(ua, out);
		return;
	}
	h = fnv1a(ua);
	h %= UA_CACHE_SLOTS;
	if (strcmp(cache[h].ua, ua) != 0 || cache[h].ua[0] == '\0') {
		ua_classify(ua, &cache[h].info);
		memcpy(cache[h].ua, ua, len + 1);
	}
	*out = cache[h].info;
}

const char *
ua_device_name(enum ua_device d)
{
	static const char *const names[] = {
		[UA_DESKTOP] = "desktop", [UA_MOBILE] = "mobile",
		[UA_TABLET] = "tablet", [UA_BOT] = "bot",
	};

	return (size_t)d < QRE_NELEM(names) ? names[d] : "desktop";
}
