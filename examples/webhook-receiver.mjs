#!/usr/bin/env node
// webhook-receiver.mjs: a receiver for qre's webhooks in plain Node (no
// packages).  Each delivery is a POST whose JSON body is signed twice with
// the endpoint's secret (see qre-webhooks(8), SIGNATURES):
//
//   X-Qregg-Signature: sha256=<hex HMAC-SHA256(secret string, raw body)>
//   webhook-signature: v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>
//       (Standard Webhooks; key = base64-decoded part after "whsec_";
//       a space-separated list, any entry may match)
//
// This receiver checks both, against the raw bytes, in constant time.  The
// Standard Webhooks signature is required because it binds
// webhook-timestamp: a delivery more than 5 minutes off our clock is
// refused, so a captured request cannot be replayed later (a genuine retry
// carries a fresh timestamp).  X-Qregg-Signature binds no time, so it is
// not accepted on its own.  While a rotated secret still signs (the
// overlap after PATCH {"rotateSecret": true}), X-Qregg-Signature is made
// with the old secret, X-Qregg-Signature-New with the new one, and
// webhook-signature holds both, so either the old or the new secret
// verifies.
//
// Delivery is at least once: a repeat carries the same webhook-id.  Ids
// already handled are answered 200 and not processed again.  (This keeps
// them in memory; a real receiver keeps them where it keeps its data.)
//
// Answers: 200 at once for a genuine delivery, then the work (here, one
// JSON line on stdout); 401 for a missing or bad signature or a stale
// timestamp; 400/405/413 for what is not a delivery.  Anything else makes
// qre retry, so answer 2xx quickly and do slow work afterwards.
//
// Usage:
//   QRE_WEBHOOK_SECRET=whsec_... [PORT=8787] [HOST=127.0.0.1] \
//       node examples/webhook-receiver.mjs
// PORT=0 picks a free port; the address is printed on stderr.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const SECRET = process.env.QRE_WEBHOOK_SECRET || '';
const HOST = process.env.HOST || '127.0.0.1';
const PORT = Number(process.env.PORT ?? 8787);
const TOLERANCE_S = 5 * 60;       // how far webhook-timestamp may be off
const MAX_BODY = 1 << 20;         // 1 MiB: deliveries are far smaller
const SEEN_MAX = 10_000;          // webhook-ids remembered for de-duplication

if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(SECRET)) {
  console.error('webhook-receiver: set QRE_WEBHOOK_SECRET to the endpoint ' +
      'secret (whsec_...)');
  process.exit(2);
}
const KEY = Buffer.from(SECRET.slice('whsec_'.length), 'base64');

// Constant-time comparison of two strings (false when the lengths differ,
// which reveals nothing: every genuine signature has the same length).
function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// X-Qregg-Signature (or, during a rotation, X-Qregg-Signature-New): keyed
// with the whole secret.
function qreggValid(headers, body) {
  const want = 'sha256=' +
      createHmac('sha256', SECRET).update(body).digest('hex');
  return ['x-qregg-signature', 'x-qregg-signature-new']
      .some((h) => typeof headers[h] === 'string' && safeEqual(headers[h], want));
}

// webhook-signature: "v1,<base64>" entries, space-separated.
function standardValid(id, ts, sigs, body) {
  const want = 'v1,' + createHmac('sha256', KEY)
      .update(`${id}.${ts}.`).update(body).digest('base64');
  // No early exit: every entry is compared.
  return sigs.split(' ').reduce((ok, sig) => safeEqual(sig, want) || ok, false);
}

// Why a delivery is refused, or null when it is genuine and fresh.
function verify(headers, body) {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sigs = headers['webhook-signature'];
  if (!id || !ts || !sigs) return 'missing webhook-id/-timestamp/-signature';
  if (!/^\d{1,12}$/.test(ts)) return 'bad webhook-timestamp';
  if (Math.abs(Date.now() / 1000 - Number(ts)) > TOLERANCE_S)
    return 'webhook-timestamp outside the tolerance (replay?)';
  const standard = standardValid(id, ts, sigs, body);
  const qregg = qreggValid(headers, body);
  if (!standard || !qregg) return 'bad signature';
  return null;
}

const seen = new Map();           // webhook-id -> when it was handled
function firstTime(id) {
  if (seen.has(id)) return false;
  seen.set(id, Date.now());
  if (seen.size > SEEN_MAX) seen.delete(seen.keys().next().value);
  return true;
}

// The work for one verified event: here, one JSON line on stdout.
function handle(id, event) {
  console.log(JSON.stringify({
    receivedAt: new Date().toISOString(),
    webhookId: id,
    event: event.event,
    timestamp: event.timestamp,
    data: event.data,
  }));
}

function answer(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain' });
  res.end(text + '\n');
}

const server = createServer((req, res) => {
  if (req.method !== 'POST') return answer(res, 405, 'POST only');
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) {
      answer(res, 413, 'too large');
      req.destroy();
    } else {
      chunks.push(chunk);
    }
  });
  req.on('end', () => {
    if (res.writableEnded) return;
    const body = Buffer.concat(chunks);     // the raw bytes, as signed
    const why = verify(req.headers, body);
    if (why) {
      console.error(`webhook-receiver: refused: ${why}`);
      return answer(res, 401, 'invalid signature');
    }
    let event;
    try {
      event = JSON.parse(body.toString('utf8'));   // only once verified
    } catch {
      return answer(res, 400, 'not JSON');
    }
    const id = req.headers['webhook-id'];
    if (!firstTime(id)) return answer(res, 200, 'already handled');
    answer(res, 200, 'ok');                 // acknowledge first ...
    setImmediate(() => handle(id, event));  // ... then do the work
  });
});

server.listen(PORT, HOST, () => {
  const { address, port } = server.address();
  console.error(`webhook-receiver: listening on http://${address}:${port}/`);
});
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => process.exit(0));
