/* scan_view.c: see scan_view.h. */
#include "compat.h"

#include <time.h>

#include <json-c/json.h>

#include "scan_view.h"
#include "store_scans.h"
#include "timefmt.h"

/* A string member, or null when s is NULL. */
static void
put_str(struct json_object *o, const char *key, const char *s)
{
	json_object_object_add(o, key, s ? json_object_new_string(s) : NULL);
}

static struct json_object *
scan_json_at(const struct scan_row *s, const char *timestamp)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "timestamp", json_object_new_string(timestamp));
	put_str(o, "country", s->has_country && s->country[0] ? s->country : NULL);
	put_str(o, "city", s->has_city && s->city[0] ? s->city : NULL);
	put_str(o, "device", s->device[0] ? s->device : NULL);
	put_str(o, "os", s->has_os && s->os[0] ? s->os : NULL);
	put_str(o, "browser", s->has_browser && s->browser[0] ? s->browser : NULL);
	put_str(o, "referrer", s->has_referrer && s->referrer[0] ?
	    s->referrer : NULL);
	return o;
}

struct json_object *
scan_json(const struct scan_row *s)
{
	char ts[RFC3339_LEN];

	return scan_json_at(s, rfc3339((time_t)(s->at_ms / 1000), ts));
}

struct json_object *
scan_event_json(const struct scan_row *s)
{
	char ts[RFC3339_MS_LEN];

	return scan_json_at(s, rfc3339_ms(s->at_ms, ts));
}
