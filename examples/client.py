#!/usr/bin/env python3
"""client.py: the qre codes API with the Python 3 standard library only.

It generates a QR code saved in the library and writes its PNG, reads the
code back, changes its data (which re-draws the image of a static code)
and writes the new PNG, deletes it, and shows that it is gone: a GET now
fails with the API's 404 error, caught and printed like any other.

Usage:
    QRE_TOKEN=qre_... [QRE_BASE_URL=https://qr.example.com] [QRE_INSECURE=1] \\
        python3 examples/client.py [OUTPUT.png] [TEXT] [NEW_TEXT]

QRE_BASE_URL defaults to https://localhost:8443, the stack of
scripts/stack, whose certificate is self-signed: QRE_INSECURE=1 turns off
certificate checks (never in production).  Every failure prints the error
envelope's code and message, {"success": false, "error": {"code": ...,
"message": ...}}, and exits 1.
"""

import base64
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.request

BASE_URL = os.environ.get("QRE_BASE_URL", "https://localhost:8443").rstrip("/")
TOKEN = os.environ.get("QRE_TOKEN", "")
TIMEOUT = 30  # seconds


class QreError(Exception):
    """A failed API call: the HTTP status and the envelope's code/message."""

    def __init__(self, status, code, message):
        super().__init__(f"HTTP {status}: {code}: {message}")
        self.status, self.code, self.message = status, code, message


def tls_context():
    """Verified TLS, unless QRE_INSECURE=1 (self-signed test certificates)."""
    ctx = ssl.create_default_context()
    if os.environ.get("QRE_INSECURE") == "1":
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


CONTEXT = tls_context()


def api(method, path, body=None, attempts=3):
    """Call the API; return the decoded JSON envelope or raise QreError.

    A 429 (the per-key limit of 60 requests a minute, or the daily quota)
    was not carried out: it is retried, after the Retry-After it names
    (at most a minute), up to attempts times in all.
    """
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(BASE_URL + path, data=data, headers=headers,
                                 method=method)
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT,
                                        context=CONTEXT) as res:
                envelope = json.load(res)
                status = res.status
            break
        except urllib.error.HTTPError as e:
            raw = e.read()
            retry_after = e.headers.get("Retry-After", "")
            if e.code == 429 and attempt < attempts:
                wait = min(int(retry_after) if retry_after.isdigit() else 5, 60)
                print(f"client.py: {method} {path}: 429, retrying in {wait}s",
                      file=sys.stderr)
                time.sleep(wait)
                continue
            # 4xx/5xx: the body is still the JSON error envelope (from qre
            # or, for the per-key rate limit, from nginx in the same form).
            try:
                err = json.loads(raw)["error"]
                code, message = err.get("code"), err.get("message")
            except (ValueError, KeyError, TypeError):
                code = "http_error"
                message = raw[:200].decode("utf-8", "replace") or e.reason
            raise QreError(e.code, code, message) from None
    if envelope.get("success") is not True:
        err = envelope.get("error") or {}
        raise QreError(status, err.get("code"), err.get("message"))
    return envelope


def save_data_uri(uri, path):
    """Write the image of a "data:image/png;base64,..." URI to path."""
    header, _, payload = uri.partition(",")
    if header != "data:image/png;base64":
        raise ValueError(f"not a base64 PNG data URI: {header[:40]}")
    image = base64.b64decode(payload, validate=True)
    with open(path, "wb") as f:
        f.write(image)
    return len(image)


def main():
    if not TOKEN:
        print("client.py: set QRE_TOKEN to an API token (qre_...)", file=sys.stderr)
        return 2
    out = sys.argv[1] if len(sys.argv) > 1 else "qre-client.png"
    text = sys.argv[2] if len(sys.argv) > 2 else "Hello from qre (client.py)"
    new_text = sys.argv[3] if len(sys.argv) > 3 else "Updated by qre (client.py)"
    stem, ext = os.path.splitext(out)
    updated_out = f"{stem}-updated{ext or '.png'}"

    # 1. Generate and keep it in the library (saveToLibrary): it gets an id.
    code = api("POST", "/api/codes/generate", {
        "type": "qr",
        "data": text,
        "name": "client.py example",
        "saveToLibrary": True,
        "customization": {"size": 400, "errorCorrection": "Q",
                          "color": "#1A237E", "backgroundColor": "#FFFFFF"},
    })["data"]
    size = save_data_uri(code["imageBase64"], out)
    print(f"generated code {code['id']} for {text!r}, wrote {out} ({size} bytes)")

    # 2. Read it back: the same data, and the image again.
    got = api("GET", f"/api/codes/{code['id']}")["data"]
    print(f"got code {got['id']}: name={got['name']!r} data={got['data']!r} "
          f"created {got['createdAt']}")

    # 3. Change its name and data; a static code's image is drawn anew.
    updated = api("PUT", f"/api/codes/{code['id']}",
                  {"name": "client.py example (updated)", "data": new_text})["data"]
    size = save_data_uri(updated["imageBase64"], updated_out)
    print(f"updated code {updated['id']}: data={updated['data']!r}, "
          f"wrote {updated_out} ({size} bytes)")

    # 4. Delete it.
    msg = api("DELETE", f"/api/codes/{code['id']}").get("message")
    print(f"deleted code {code['id']}: {msg}")

    # 5. It is gone: the API answers 404 with its error envelope.
    try:
        api("GET", f"/api/codes/{code['id']}")
    except QreError as e:
        if e.status != 404:
            raise
        print(f"GET after delete: {e.status} {e.code}: {e.message}")
    else:
        raise RuntimeError(f"code {code['id']} still exists after DELETE")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except QreError as e:
        print(f"client.py: API error {e.status}: {e.code}: {e.message}",
              file=sys.stderr)
    except (urllib.error.URLError, OSError, ValueError, RuntimeError) as e:
        print(f"client.py: {e}", file=sys.stderr)
    sys.exit(1)
