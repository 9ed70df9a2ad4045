#!/usr/bin/env bash
#
# curl.sh: the qre API from the shell, with nothing but bash, curl and
# coreutils (base64).  It
#
#   1. generates a static QR code (POST /api/codes/generate) and writes the
#      PNG to a file, decoding the data URI with base64 -d;
#   2. creates a dynamic QR code, whose image encodes a short URL;
#   3. changes the dynamic code's destination (PUT /api/codes/:id), which
#      leaves its image as it is;
#   4. lists the newest codes (GET /api/codes);
#   5. fetches the dynamic code's scan statistics from the v1 API
#      (GET /api/v1/codes/:id/stats): both APIs share one set of codes.
#
# Usage:
#   QRE_TOKEN=qre_... [QRE_BASE_URL=https://qr.example.com] [QRE_INSECURE=1] \
#       examples/curl.sh [OUTPUT.png] [TEXT]
#
# QRE_BASE_URL defaults to https://localhost:8443, the stack of
# scripts/stack.  QRE_INSECURE=1 skips TLS certificate checks (curl -k),
# which that stack's self-signed certificate needs; never set it in
# production.  Exits non-zero, after printing the API's error, as soon as a
# call fails: an HTTP status that is not 2xx or an answer whose "success"
# is not true.
#
# The JSON answers are picked apart with grep and sed, which is enough for
# the flat, compact fields read here (ids, URLs, base64).  In a real script
# use jq if you have it: jq -r .data.id
set -euo pipefail

BASE_URL=${QRE_BASE_URL:-https://localhost:8443}
BASE_URL=${BASE_URL%/}
TOKEN=${QRE_TOKEN:?set QRE_TOKEN to an API token (qre_...)}
OUT=${1:-qre-example.png}
TEXT=${2:-Hello from qre (curl.sh)}
DESTINATION=https://example.com/curl-sh
NEW_DESTINATION=https://example.com/curl-sh/updated

CURL=(curl --silent --show-error --max-time 30)
if [[ ${QRE_INSECURE:-} == 1 ]]; then
	CURL+=(--insecure)	# only for a self-signed test certificate
fi

BODY_FILE=$(mktemp)
HEAD_FILE=$(mktemp)
trap 'rm -f "$BODY_FILE" "$HEAD_FILE"' EXIT

die() {
	printf 'curl.sh: %s\n' "$*" >&2
	exit 1
}

# json_escape STRING: STRING as a JSON string literal, quotes included.
json_escape() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//\"/\\\"}
	s=${s//$'\n'/\\n}
	s=${s//$'\r'/\\r}
	s=${s//$'\t'/\\t}
	printf '"%s"' "$s"
}

# json_field NAME JSON: the first string value of "NAME" in JSON (empty
# when there is none).  Good enough for the compact answers of qre.
json_field() {
	grep -o "\"$1\":\"[^\"]*\"" <<<"$2" | head -n 1 |
	    sed -e "s/^\"$1\":\"//" -e 's/"$//' || true
}

# json_number NAME JSON: the first number value of "NAME" in JSON.
json_number() {
	grep -o "\"$1\":[0-9]*" <<<"$2" | head -n 1 | sed "s/^\"$1\"://" || true
}

# api METHOD PATH [JSON]: calls the API and leaves the answer in $REPLY.
# A 429 (the per-key limit of 60 requests a minute, or the daily quota)
# is retried twice after the Retry-After it names, up to a minute: such a
# request was not carried out.  Any other failure -- curl's own, a non-2xx
# status, "success" not true -- ends the script with the error code and
# message of the API's envelope.
api() {
	local method=$1 path=$2 body=${3:-} status wait attempt
	local args=(--request "$method" --output "$BODY_FILE"
	    --dump-header "$HEAD_FILE" --write-out '%{http_code}'
	    --header "Authorization: Bearer $TOKEN")
	if [[ -n $body ]]; then
		args+=(--header 'Content-Type: application/json' --data-binary "$body")
	fi
	for attempt in 1 2 3; do
		status=$("${CURL[@]}" "${args[@]}" "$BASE_URL$path") ||
		    die "$method $path: curl failed (exit $?)"
		[[ $status == 429 && $attempt -lt 3 ]] || break
		wait=$(tr -d '\r' <"$HEAD_FILE" |
		    sed -n 's/^[Rr]etry-[Aa]fter: *\([0-9][0-9]*\)$/\1/p' | head -n 1)
		wait=${wait:-5}
		((wait <= 60)) || wait=60
		echo "curl.sh: $method $path: 429, retrying in ${wait}s" >&2
		sleep "$wait"
	done
	REPLY=$(<"$BODY_FILE")
	if [[ $status != 2?? ]] || ! grep -q '"success":true' <<<"$REPLY"; then
		die "$method $path: HTTP $status:" \
		    "$(json_field code "$REPLY"): $(json_field message "$REPLY")"
	fi
}

# 1. A static QR code, not saved: the image comes back as a data URI.
api POST /api/codes/generate "{\"type\":\"qr\",\"data\":$(json_escape "$TEXT"),
    \"format\":\"png\",\"customization\":{\"size\":400,\"errorCorrection\":\"M\"}}"
uri=$(json_field imageBase64 "$REPLY")
[[ $uri == data:image/png\;base64,* ]] || die "no PNG data URI in the answer"
printf '%s' "${uri#data:image/png;base64,}" | base64 -d >"$OUT" ||
    die "could not decode the image into $OUT"
echo "generated a QR code for \"$TEXT\" and wrote $OUT ($(wc -c <"$OUT") bytes)"

# 2. A dynamic QR code, saved in the library: its image encodes the short
#    URL, which redirects to "data".
api POST /api/codes/generate "{\"type\":\"qr\",\"isDynamic\":true,
    \"name\":\"curl.sh example\",\"data\":\"$DESTINATION\"}"
id=$(json_field id "$REPLY")
short_url=$(json_field shortUrl "$REPLY")
[[ -n $id && -n $short_url ]] || die "no id or shortUrl in the answer"
echo "created dynamic code $id: $short_url -> $DESTINATION"

# 3. A new destination: targetUrl (targetData for text); the printed image
#    keeps working because it encodes the short URL, not the destination.
api PUT "/api/codes/$id" "{\"targetUrl\":\"$NEW_DESTINATION\"}"
[[ $(json_field targetUrl "$REPLY") == "$NEW_DESTINATION" ]] ||
    die "the destination did not change"
echo "updated code $id: $short_url -> $NEW_DESTINATION"

# 4. The newest codes, without their images.
api GET "/api/codes?limit=5&offset=0"
echo "listed codes: $(json_number total "$REPLY") in all, newest first:"
grep -o '"id":"[^"]*","name":[^,]*' <<<"$REPLY" |
    sed -e 's/"id":"\([^"]*\)","name":/  \1 /' || true

# 5. Scan statistics from the v1 API (same id).
api GET "/api/v1/codes/$id/stats"
echo "stats of code $id: $(json_number totalScans "$REPLY") scans," \
    "$(json_number uniqueVisitors "$REPLY") unique visitors"
