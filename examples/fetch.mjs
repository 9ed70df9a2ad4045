#!/usr/bin/env node
// fetch.mjs: the qre v1 API from Node 18+ with the global fetch and no
// packages.  It
//
//   1. creates a dynamic URL code (POST /api/v1/codes);
//   2. downloads its image as bytes (GET /api/v1/codes/{id}/image) and
//      saves it;
//   3. points it at a new destination (PATCH /api/v1/codes/{id}); the
//      saved image stays valid, as it encodes the short URL;
//   4. lists the codes page by page (GET /api/v1/codes?page=&perPage=)
//      until it meets the new code.
//
// Usage:
//   QRE_TOKEN=qre_... [QRE_BASE_URL=https://qr.example.com] \
//       node examples/fetch.mjs [OUTPUT.png]
//
// QRE_BASE_URL defaults to https://localhost:8443 (the scripts/stack stack).
// Its certificate is self-signed: either set QRE_INSECURE=1, which turns
// off certificate checks for this process (never in production), or give
// QRE_HTTP_URL, the stack's plain-HTTP loopback listener
// (http://127.0.0.1:8081), which is then used instead.
//
// Exits 1 with the API's error code and message when a call fails.
import { writeFile } from 'node:fs/promises';

const BASE_URL = (process.env.QRE_HTTP_URL || process.env.QRE_BASE_URL ||
    'https://localhost:8443').replace(/\/+$/, '');
const TOKEN = process.env.QRE_TOKEN;
const OUT = process.argv[2] || 'qre-fetch.png';
const DESTINATION = 'https://example.com/fetch-mjs';
const NEW_DESTINATION = 'https://example.com/fetch-mjs/updated';
const TIMEOUT_MS = 30_000;

if (!TOKEN) {
  console.error('fetch.mjs: set QRE_TOKEN to an API token (qre_...)');
  process.exit(2);
}
if (process.env.QRE_INSECURE === '1' && BASE_URL.startsWith('https:')) {
  // Read by Node's TLS layer at each new connection: set it before the
  // first fetch.  Node prints a warning about it, rightly.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
}

// An API failure: the HTTP status and the envelope's error code/message.
class QreError extends Error {
  constructor(status, code, message) {
    super(`HTTP ${status}: ${code}: ${message}`);
    this.status = status;
    this.code = code;
  }
}

// A request to the API.  JSON answers are returned whole (the envelope,
// so that callers can read "pagination" beside "data"); other answers,
// such as images, as { contentType, bytes }.  A 429 (the per-key limit of
// 60 requests a minute, or the daily quota) was not carried out: it is
// retried twice, after the Retry-After it names (at most a minute).
async function api(method, path, body, attempt = 1) {
  const res = await fetch(BASE_URL + path, {
    method,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (res.status === 429 && attempt < 3) {
    const wait = Math.min(Number(res.headers.get('retry-after')) || 5, 60);
    console.error(`fetch.mjs: ${method} ${path}: 429, retrying in ${wait}s`);
    await res.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    return api(method, path, body, attempt + 1);
  }
  const contentType = res.headers.get('content-type') || '';
  if (!contentType.startsWith('application/json')) {
    if (!res.ok) throw new QreError(res.status, 'http_error', res.statusText);
    return { contentType, bytes: Buffer.from(await res.arrayBuffer()) };
  }
  const envelope = await res.json();
  if (!res.ok || envelope.success !== true) {
    const err = envelope.error || {};
    throw new QreError(res.status, err.code || 'unknown', err.message || '');
  }
  return envelope;
}

// Every code of the account, newest first, fetched one page at a time.
async function* allCodes(perPage = 20) {
  for (let page = 1; ; page++) {
    const { data, pagination } = await api('GET',
        `/api/v1/codes?page=${page}&perPage=${perPage}`);
    yield* data;
    if (page >= pagination.totalPages) return;
  }
}

async function main() {
  // 1. A dynamic URL code: "payload.url" is where its short URL redirects.
  const { data: code } = await api('POST', '/api/v1/codes', {
    type: 'url',
    mode: 'dynamic',
    title: 'fetch.mjs example',
    payload: { url: DESTINATION },
  });
  console.log(`created dynamic code ${code.id}: ${code.shortUrl} -> ` +
      code.payload.url);

  // 2. Its image as raw bytes (no data URI on this surface).
  const image = await api('GET',
      `/api/v1/codes/${code.id}/image?format=png&size=400`);
  if (image.contentType !== 'image/png')
    throw new Error(`expected image/png, got ${image.contentType}`);
  await writeFile(OUT, image.bytes);
  console.log(`wrote ${OUT} (${image.bytes.length} bytes, encodes ` +
      `${code.shortUrl})`);

  // 3. A new destination; send only the fields that change.
  const { data: updated } = await api('PATCH', `/api/v1/codes/${code.id}`,
      { destination: NEW_DESTINATION });
  console.log(`updated code ${updated.id}: ${updated.shortUrl} -> ` +
      updated.payload.url);

  // 4. Walk the list, 10 per page, until the new code shows up (newest
  //    first, so on the first page unless codes are being made meanwhile).
  let seen = 0;
  for await (const c of allCodes(10)) {
    seen++;
    if (c.id === code.id) {
      console.log(`listed ${seen} code(s) before finding ${c.id} ` +
          `("${c.title}", ${c.scans} scans, active: ${c.active})`);
      return;
    }
  }
  throw new Error(`code ${code.id} is not in the list of ${seen} codes`);
}

main().catch((err) => {
  // fetch() itself fails with "fetch failed"; the reason is in err.cause.
  const cause = err.cause ? ` (${err.cause.code || err.cause.message})` : '';
  console.error(`fetch.mjs: ${err.message}${cause}`);
  process.exit(1);
});
