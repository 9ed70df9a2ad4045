#!/usr/bin/env python3
"""webhook_receiver.py: a receiver for qre's webhooks, standard library only.

Each delivery is a POST whose JSON body is signed twice with the
endpoint's secret (see qre-webhooks(8), SIGNATURES):

    X-Qregg-Signature: sha256=<hex HMAC-SHA256(secret string, raw body)>
    webhook-signature: v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>
        (Standard Webhooks; key = base64-decoded part after "whsec_";
        a space-separated list, any entry may match)

This receiver checks both, against the raw bytes, with
hmac.compare_digest.  The Standard Webhooks signature is required because
it binds webhook-timestamp: a delivery more than 5 minutes off our clock
is refused, so a captured request cannot be replayed later (a genuine
retry carries a fresh timestamp).  X-Qregg-Signature binds no time, so it
is not accepted on its own.  While a rotated secret still signs (the
overlap after PATCH {"rotateSecret": true}), X-Qregg-Signature is made
with the old secret, X-Qregg-Signature-New with the new one, and
webhook-signature holds both, so either the old or the new secret
verifies.

Delivery is at least once: a repeat carries the same webhook-id.  Ids
already handled are answered 200 and not processed again.  (This keeps
them in memory; a real receiver keeps them where it keeps its data.)

Answers: 200 at once for a genuine delivery, then the work (here, one
JSON line on stdout); 401 for a missing or bad signature or a stale
timestamp; 400/405/411/413 for what is not a delivery.  Anything else
makes qre retry, so answer 2xx quickly and do slow work afterwards.

Usage:
    QRE_WEBHOOK_SECRET=whsec_... [PORT=8787] [HOST=127.0.0.1] \\
        python3 examples/webhook_receiver.py
PORT=0 picks a free port; the address is printed on stderr.
"""

import base64
import binascii
import collections
import hashlib
import hmac
import json
import os
import re
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ.get("QRE_WEBHOOK_SECRET", "")
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = int(os.environ.get("PORT", "8787"))
TOLERANCE_S = 5 * 60      # how far webhook-timestamp may be off
MAX_BODY = 1 << 20        # 1 MiB: deliveries are far smaller
SEEN_MAX = 10_000         # webhook-ids remembered for de-duplication


def secret_key(secret):
    """The HMAC key of webhook-signature: the base64 after "whsec_"."""
    if not secret.startswith("whsec_"):
        raise ValueError("the secret must start with whsec_")
    try:
        return base64.b64decode(secret[len("whsec_"):], validate=True)
    except binascii.Error as e:
        raise ValueError(f"the secret is not whsec_<base64>: {e}") from None


def qregg_valid(headers, body):
    """X-Qregg-Signature (or, during a rotation, X-Qregg-Signature-New):
    keyed with the whole secret."""
    want = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    ok = False
    for name in ("X-Qregg-Signature", "X-Qregg-Signature-New"):
        got = headers.get(name)
        if got is not None:
            ok |= hmac.compare_digest(got.encode(), want.encode())
    return ok


def standard_valid(msg_id, ts, sigs, body):
    """webhook-signature: "v1,<base64>" entries, space-separated."""
    mac = hmac.new(KEY, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256)
    want = ("v1," + base64.b64encode(mac.digest()).decode()).encode()
    ok = False
    for sig in sigs.split(" "):     # no early exit: compare every entry
        ok |= hmac.compare_digest(sig.encode(), want)
    return ok


def verify(headers, body):
    """Why a delivery is refused, or None when it is genuine and fresh."""
    msg_id = headers.get("webhook-id")
    ts = headers.get("webhook-timestamp")
    sigs = headers.get("webhook-signature")
    if not (msg_id and ts and sigs):
        return "missing webhook-id/-timestamp/-signature"
    if not re.fullmatch(r"[0-9]{1,12}", ts):
        return "bad webhook-timestamp"
    if abs(time.time() - int(ts)) > TOLERANCE_S:
        return "webhook-timestamp outside the tolerance (replay?)"
    standard = standard_valid(msg_id, ts, sigs, body)
    qregg = qregg_valid(headers, body)
    if not (standard and qregg):
        return "bad signature"
    return None


class Seen:
    """The webhook-ids handled so far, the oldest forgotten first."""

    def __init__(self, limit):
        self.ids = collections.OrderedDict()
        self.limit = limit
        self.lock = threading.Lock()

    def first_time(self, msg_id):
        with self.lock:
            if msg_id in self.ids:
                return False
            self.ids[msg_id] = time.time()
            if len(self.ids) > self.limit:
                self.ids.popitem(last=False)
            return True


SEEN = Seen(SEEN_MAX)
OUTPUT = threading.Lock()


def handle(msg_id, event):
    """The work for one verified event: here, one JSON line on stdout."""
    line = json.dumps({
        "receivedAt": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
        "webhookId": msg_id,
        "event": event.get("event"),
        "timestamp": event.get("timestamp"),
        "data": event.get("data"),
    }, separators=(",", ":"))
    with OUTPUT:
        print(line, flush=True)


class Receiver(BaseHTTPRequestHandler):
    server_version = "qre-example-receiver/1.0"

    def answer(self, status, text):
        payload = (text + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def do_POST(self):
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            return self.answer(411, "Content-Length required")
        if int(length) > MAX_BODY:
            return self.answer(413, "too large")
        body = self.rfile.read(int(length))     # the raw bytes, as signed
        why = verify(self.headers, body)
        if why:
            print(f"webhook_receiver: refused: {why}", file=sys.stderr, flush=True)
            return self.answer(401, "invalid signature")
        try:
            event = json.loads(body)            # only once verified
        except ValueError:
            return self.answer(400, "not JSON")
        if not isinstance(event, dict):
            return self.answer(400, "not a JSON object")
        msg_id = self.headers["webhook-id"]
        if not SEEN.first_time(msg_id):
            return self.answer(200, "already handled")
        self.answer(200, "ok")                  # acknowledge first ...
        handle(msg_id, event)                   # ... then do the work

    def do_GET(self):
        self.answer(405, "POST only")

    do_PUT = do_DELETE = do_PATCH = do_GET

    def log_message(self, fmt, *args):          # access log on stderr
        sys.stderr.write("webhook_receiver: %s %s\n" % (
            self.address_string(), fmt % args))


if __name__ == "__main__":
    try:
        KEY = secret_key(SECRET)
    except ValueError as e:
        sys.exit(f"webhook_receiver: set QRE_WEBHOOK_SECRET to the endpoint "
                 f"secret (whsec_...): {e}")
    httpd = ThreadingHTTPServer((HOST, PORT), Receiver)
    host, port = httpd.server_address[:2]
    print(f"webhook_receiver: listening on http://{host}:{port}/",
          file=sys.stderr, flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
