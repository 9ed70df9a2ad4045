/*
 * scan_view.h: a scan as the API shows it.  Used by the v1 listing and
 * by the scan webhook (qre-webhooks), so it depends on no request: a
 * view of a stored row and nothing else.
 */
#ifndef QRE_SCAN_VIEW_H
#define QRE_SCAN_VIEW_H

struct json_object;
struct scan_row;

/*
 * A scan as both the v1 listing and the scan webhook show it:
 * {timestamp, country, city, device, os, browser, referrer}; the
 * listing's timestamp is in whole seconds (as every time of the API),
 * the webhook's has milliseconds (scan_event_json).
 */
struct json_object *scan_json(const struct scan_row *s);
struct json_object *scan_event_json(const struct scan_row *s);

#endif
