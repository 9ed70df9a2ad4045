'use strict';
/*
 * t/openapi/check-responses.js: the live server against docs/openapi.yaml,
 * as TAP.  A representative request to every operation (creating what it
 * needs: tokens, codes, scans, a webhook with a receiver of our own on
 * 127.0.0.1, which the stack allowlists), plus the error answers each
 * can give; every answer's status must be documented for its operation,
 * its Content-Type documented, its JSON body valid against the
 * document's schema -- strictly: a member the document does not declare
 * is a failure -- and its documented headers present and well-formed.
 *
 * Settings: the stack's var/stack.env (or $QRE_STACK_ENV): QRE_HTTP_URL,
 * QRE_BASE_URL, QRE_TOKEN.  $QRE_OPENAPI_TOKEN replaces QRE_TOKEN (the
 * test uses a fresh enterprise account), and $QRE_OPENAPI_FREE_TOKEN, a
 * token of a fresh free account, enables the 403 and daily-quota checks.
 */
const http = require('http');
const net = require('net');
const { stackEnv, request, Tap, loadDoc, operations, strictCopy, ajvErrors,
    METHODS } = require('./lib');

const t = new Tap();
const env = stackEnv();
const BASE = env.QRE_HTTP_URL;
const HTTPS = env.QRE_BASE_URL;
const TOKEN = process.env.QRE_OPENAPI_TOKEN || env.QRE_TOKEN;
const FREE = process.env.QRE_OPENAPI_FREE_TOKEN;
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const RATE = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

let DOC, AJV;
const OPS = {};		/* "GET /api/codes/{id}" -> {method, path, op} */
const covered = {};	/* the same key -> Set of statuses seen */
const validators = new Map();

function validator(schema) {
	if (!validators.has(schema))
		validators.set(schema, AJV.compile(strictCopy(schema)));
	return validators.get(schema);
}

function secured(op) {
	return (op.security === undefined ? DOC.security : op.security).length > 0;
}

/* Problems of res as an answer documented by resp (a Response Object). */
function responseProblems(res, resp, method, { secure } = {}) {
	const p = [];
	const ct = (res.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
	if (resp.content && method !== 'HEAD') {
		const media = resp.content[ct];
		if (!media) {
			p.push(`Content-Type '${ct}' is not documented (${Object.keys(resp.content).join(', ')})`);
		} else if (ct === 'application/json') {
			if (res.json === undefined)
				p.push(`the body is not JSON: ${res.text.slice(0, 200)}`);
			else {
				const v = validator(media.schema);
				if (!v(res.json))
					p.push(`body: ${ajvErrors(v.errors)}\n${res.text.slice(0, 300)}`);
			}
		} else if (ct === 'image/png') {
			if (res.body.slice(0, 8).toString('hex') !== '89504e470d0a1a0a')
				p.push('not a PNG');
		} else if (ct === 'image/svg+xml') {
			if (!/^(<\?xml[^>]*>\s*)?<svg[\s>]/.test(res.text))
				p.push('not an SVG');
		} else if (ct === 'text/html') {
			if (!/^<!doctype html>/i.test(res.text))
				p.push('not an HTML page');
		}
	} else if (res.body.length !== 0) {
		p.push(`a body where the document has none (${res.body.length} bytes, ${ct})`);
	}
	for (const [name, h] of Object.entries(resp.headers || {})) {
		const v = res.headers[name.toLowerCase()];
		if (v === undefined) {
			if (h.required)
				p.push(`no ${name} header`);
			continue;
		}
		if (h.schema) {
			const hv = validator(h.schema);
			if (!hv(v))
				p.push(`${name}: '${v}': ${ajvErrors(hv.errors)}`);
		}
	}
	if (secure && res.status >= 200 && res.status < 300)
		for (const name of RATE)
			if (res.headers[name.toLowerCase()] === undefined)
				p.push(`no ${name} on an authenticated success`);
	return p;
}

/*
 * res against operation KEY: the status documented (and the one wanted,
 * when given), and the answer as documented.  todo marks a known bug.
 */
function check(key, res, want, label, todo) {
	const o = OPS[key];
	const p = [];
	if (!o) {
		t.ok(false, `${key}: in the document`);
		return false;
	}
	const status = String(res.status);
	const resp = o.op.responses[status];
	(covered[key] = covered[key] || new Set()).add(res.status);
	if (want !== undefined && res.status !== want)
		p.push(`status ${res.status}, wanted ${want}: ${res.text.slice(0, 300)}`);
	if (!resp)
		p.push(`status ${status} is not documented (${Object.keys(o.op.responses).join(', ')})`);
	else
		p.push(...responseProblems(res, resp, o.method.toUpperCase(),
		    { secure: secured(o.op) }));
	return t.ok(p.length === 0, `${key} -> ${res.status}${label ? ` (${label})` : ''}`,
	    p.join('\n'), todo);
}

/*
 * A list read by cursor: the first page ("cursor="), the next one, the
 * last one's null nextCursor, and the 400s of a cursor that is not one
 * and of a cursor beside a page number.
 */
async function cursorWalk(key, path, next, numbered = 'page') {
	let r = await api('GET', `${path}&cursor=`);
	check(key, r, 200, 'first page by cursor');
	let cur = r.json ? next(r) : null;
	t.ok(typeof cur === 'string', `${key}: a nextCursor after a page of 1`, r.text.slice(0, 300));
	for (let i = 0; i < 1000 && typeof cur === 'string'; i++) {
		r = await api('GET', `${path}&cursor=${cur}`);
		if (i === 0)
			check(key, r, 200, 'the next page by cursor');
		cur = r.status === 200 && r.json ? next(r) : undefined;
	}
	t.ok(cur === null, `${key}: nextCursor null on the last page`);
	check(key, await api('GET', `${path}&cursor=nonsense`), 400, 'cursor=nonsense');
	check(key, await api('GET', `${path}&${numbered}=1&cursor=`), 400, `cursor and ${numbered}`);
}

function auth(tok) {
	return tok ? { Authorization: `Bearer ${tok}` } : {};
}

function api(method, path, { token = TOKEN, body, headers = {}, base = BASE } = {}) {
	return request(method, base + path, {
		headers: Object.assign(auth(token), headers), body });
}

/* Which documented path templates a concrete path matches. */
function templatesOf(path) {
	return Object.keys(DOC.paths).filter((tpl) => {
		const re = new RegExp('^' + tpl.replace(/\{[^}]+\}/g, '[^/]+') + '$');
		return re.test(path);
	});
}

/* A receiver of our own for the webhook test pings: answers 204. */
function receiver() {
	const got = [];
	const srv = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => { body += c; });
		req.on('end', () => {
			got.push({ headers: req.headers, body });
			res.writeHead(204);
			res.end();
		});
	});
	return new Promise((resolve) => srv.listen(0, '127.0.0.1', () =>
	    resolve({ srv, got, url: `http://127.0.0.1:${srv.address().port}/hook` })));
}

/* A raw request line nginx refuses itself (two Host headers). */
function rawRequest(base, text) {
	const u = new URL(base);
	return new Promise((resolve, reject) => {
		const s = net.connect(Number(u.port), u.hostname, () => s.end(text));
		let data = '';
		s.on('data', (c) => { data += c; });
		s.on('end', () => {
			const [head, ...rest] = data.split('\r\n\r\n');
			const lines = head.split('\r\n');
			const headers = {};
			for (const l of lines.slice(1)) {
				const i = l.indexOf(':');
				headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
			}
			const body = rest.join('\r\n\r\n');
			let json;
			try { json = JSON.parse(body); } catch (e) { json = undefined; }
			resolve({ status: Number(lines[0].split(' ')[1]), headers,
			    body: Buffer.from(body), text: body, json });
		});
		s.on('error', reject);
		s.setTimeout(10000, () => s.destroy(new Error('raw request: timeout')));
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
	({ deref: DOC, ajv: AJV } = await loadDoc());
	for (const o of operations(DOC))
		OPS[`${o.method.toUpperCase()} ${o.path}`] = o;
	t.diag(`${Object.keys(OPS).length} operations; server ${BASE}`);
	let r;

	/* ---- health, tokens ------------------------------------------- */
	check('GET /healthz', await api('GET', '/healthz', { token: null }), 200);
	check('GET /api/tokens', await api('GET', '/api/tokens'), 200);
	check('GET /api/tokens', await api('GET', '/api/tokens', { token: null }), 401, 'no token');
	check('GET /api/tokens', await api('GET', '/api/tokens',
	    { token: null, headers: { Authorization: 'Bearer nope' } }), 401, 'malformed token');
	const tname = `openapi ${RUN}`;
	r = await api('POST', '/api/tokens', { body: { name: tname } });
	check('POST /api/tokens', r, 201);
	const extraToken = r.json && r.json.data && r.json.data.token;
	check('POST /api/tokens', await api('POST', '/api/tokens', { body: { name: tname } }), 409, 'same name');
	check('POST /api/tokens', await api('POST', '/api/tokens', { body: {} }), 400, 'no name');
	check('POST /api/tokens', await api('POST', '/api/tokens', { body: { name: ' ' } }), 422, 'blank name');
	check('POST /api/tokens', await api('POST', '/api/tokens', { body: '{"name":' }), 400, 'malformed JSON');
	check('POST /api/tokens', await api('POST', '/api/tokens',
	    { body: 'name=x', headers: { 'Content-Type': 'text/plain' } }), 415, 'text/plain');
	check('POST /api/tokens', await api('POST', '/api/tokens',
	    { body: JSON.stringify({ name: 'x', pad: 'x'.repeat(70000) }) }), 413, "qre's own 413");

	/* ---- codes API ------------------------------------------------ */
	r = await api('POST', '/api/codes/generate', { body: { type: 'qr', data: 'https://example.com/' } });
	check('POST /api/codes/generate', r, 200, 'not saved');
	r = await api('POST', '/api/codes/generate', { body: { type: 'qr', data: 'Hello, world', name: 'Greeting',
	    format: 'svg', saveToLibrary: true, customization: { color: '#1D4ED8', backgroundColor: 'transparent',
	    size: 256, errorCorrection: 'H', margin: 2 } } });
	check('POST /api/codes/generate', r, 201, 'saved SVG');
	const staticId = r.json && r.json.data.id;
	r = await api('POST', '/api/codes/generate', { body: { type: 'qr', data: 'https://example.com/menu',
	    isDynamic: true, name: 'Menu' } });
	check('POST /api/codes/generate', r, 201, 'dynamic URL');
	const dynId = r.json && r.json.data.id;
	const dynShort = r.json && r.json.data.shortCode;
	r = await api('POST', '/api/codes/generate', { body: { type: 'barcode', barcodeFormat: 'ean13',
	    data: '590123412345', saveToLibrary: true } });
	check('POST /api/codes/generate', r, 201, 'EAN-13 barcode');
	const barId = r.json && r.json.data.id;
	check('POST /api/codes/generate', await api('POST', '/api/codes/generate',
	    { body: { type: 'barcode', data: '1' } }), 400, 'no barcodeFormat');
	check('POST /api/codes/generate', await api('POST', '/api/codes/generate',
	    { body: { type: 'barcode', barcodeFormat: 'EAN13', data: 'letters' } }), 422, 'not encodable');
	check('POST /api/codes/generate', await api('POST', '/api/codes/generate',
	    { body: { type: 'qr', data: 'x', customization: { size: 10 } } }), 422, 'size out of range');

	check('GET /api/codes', await api('GET', '/api/codes'), 200);
	check('GET /api/codes', await api('GET', '/api/codes?type=barcode&limit=1&offset=0'), 200, 'filtered');
	check('GET /api/codes', await api('GET', '/api/codes?limit=abc'), 400, 'limit=abc');
	check('GET /api/codes', await api('GET', '/api/codes?limit=101'), 422, 'limit=101');
	await cursorWalk('GET /api/codes', '/api/codes?limit=1', (r) => r.json.data.nextCursor,
	    'offset');
	check('GET /api/codes/{id}', await api('GET', `/api/codes/${staticId}`), 200, 'static');
	check('GET /api/codes/{id}', await api('GET', `/api/codes/${dynId}`), 200, 'dynamic');
	check('GET /api/codes/{id}', await api('GET', `/api/codes/${barId}`), 200, 'barcode');
	check('GET /api/codes/{id}', await api('GET', '/api/codes/AAAAAAAAAAAAAAAA'), 404);
	check('PUT /api/codes/{id}', await api('PUT', `/api/codes/${staticId}`,
	    { body: { name: null, data: 'Hello again' } }), 200, 'static: new data');
	check('PUT /api/codes/{id}', await api('PUT', `/api/codes/${dynId}`,
	    { body: { targetUrl: 'https://example.com/lunch', name: 'Lunch' } }), 200, 'dynamic: new target');
	check('PUT /api/codes/{id}', await api('PUT', `/api/codes/${staticId}`,
	    { body: { targetUrl: 'https://example.com/' } }), 422, 'targetUrl on a static code');
	check('PUT /api/codes/{id}', await api('PUT', `/api/codes/${staticId}`,
	    { body: { isActive: 'yes' } }), 400, 'wrong type');
	check('PUT /api/codes/{id}', await api('PUT', '/api/codes/AAAAAAAAAAAAAAAA',
	    { body: { isActive: true } }), 404);
	check('DELETE /api/codes/{id}', await api('DELETE', `/api/codes/${barId}`), 200);
	check('DELETE /api/codes/{id}', await api('DELETE', `/api/codes/${barId}`), 404, 'again');

	/* ---- v1 codes ------------------------------------------------- */
	r = await api('POST', '/api/v1/codes', { body: { type: 'url', mode: 'dynamic', title: 'Menu',
	    payload: { url: 'https://example.com/menu' } } });
	check('POST /api/v1/codes', r, 201, 'dynamic URL');
	const v1Id = r.json && r.json.data.id;
	const v1Short = r.json && r.json.data.shortCode;
	r = await api('POST', '/api/v1/codes', { body: { type: 'text', payload: { text: 'Line 1\n<b>Line 2</b>' } } });
	check('POST /api/v1/codes', r, 201, 'dynamic text');
	const textId = r.json && r.json.data.id;
	const textShort = r.json && r.json.data.shortCode;
	r = await api('POST', '/api/v1/codes', { body: { type: 'url', mode: 'static', title: null,
	    payload: { url: 'https://example.com/static' } } });
	check('POST /api/v1/codes', r, 201, 'static URL');
	const v1Static = r.json && r.json.data.id;
	check('POST /api/v1/codes', await api('POST', '/api/v1/codes',
	    { body: { type: 'url', payload: {} } }), 400, 'no payload.url');
	check('POST /api/v1/codes', await api('POST', '/api/v1/codes',
	    { body: { type: 'url', payload: { url: 'ftp://example.com/' } } }), 422, 'not http(s)');
	check('GET /api/v1/codes', await api('GET', '/api/v1/codes?page=1&perPage=3'), 200);
	check('GET /api/v1/codes', await api('GET', '/api/v1/codes?page=0'), 422, 'page=0');
	check('GET /api/v1/codes', await api('GET', '/api/v1/codes?perPage=x'), 400, 'perPage=x');
	await cursorWalk('GET /api/v1/codes', '/api/v1/codes?perPage=1',
	    (r) => r.json.pagination.nextCursor);
	check('GET /api/v1/codes/{id}', await api('GET', `/api/v1/codes/${v1Id}`), 200);
	check('GET /api/v1/codes/{id}', await api('GET', `/api/v1/codes/${dynId}`), 200, 'made by the codes API');
	check('GET /api/v1/codes/{id}', await api('GET', '/api/v1/codes/short'), 404);
	check('PATCH /api/v1/codes/{id}', await api('PATCH', `/api/v1/codes/${v1Id}`,
	    { body: { title: 'Dinner', destination: 'https://example.com/dinner' } }), 200);
	check('PATCH /api/v1/codes/{id}', await api('PATCH', `/api/v1/codes/${v1Static}`,
	    { body: { destination: 'https://example.com/static2' } }), 200, 'static: re-encoded');
	check('PATCH /api/v1/codes/{id}', await api('PATCH', `/api/v1/codes/${v1Id}`,
	    { body: { active: 'no' } }), 400, 'wrong type');
	check('PATCH /api/v1/codes/{id}', await api('PATCH', `/api/v1/codes/${v1Id}`,
	    { body: { destination: 'not a url' } }), 422, 'URL code given text');

	/* ---- the redirect, and scans ---------------------------------- */
	const phone = { 'User-Agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) ' +
	    'AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
	    Referer: 'https://example.org/poster' };
	check('GET /{shortCode}', await api('GET', `/${v1Short}`, { token: null, headers: phone }), 302, 'URL code');
	check('GET /{shortCode}', await api('GET', `/${v1Short}`, { token: null,
	    headers: { 'User-Agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' } }), 302, 'a bot');
	check('HEAD /{shortCode}', await api('HEAD', `/${v1Short}`, { token: null }), 302, 'URL code');
	check('GET /{shortCode}', await api('GET', `/${textShort}`, { token: null, headers: phone }), 200, 'text code');
	check('HEAD /{shortCode}', await api('HEAD', `/${textShort}`, { token: null }), 200, 'text code');
	check('GET /{shortCode}', await api('GET', '/ZZZZZZZ', { token: null }), 404, 'unknown');
	check('HEAD /{shortCode}', await api('HEAD', '/ZZZZZZZ', { token: null }), 404, 'unknown');
	check('GET /{shortCode}', await api('GET', '/abc', { token: null }), 404, 'wrong length');
	check('PATCH /api/v1/codes/{id}', await api('PATCH', `/api/v1/codes/${textId}`,
	    { body: { active: false } }), 200, 'deactivate');
	check('GET /{shortCode}', await api('GET', `/${textShort}`, { token: null }), 410, 'inactive');
	check('HEAD /{shortCode}', await api('HEAD', `/${textShort}`, { token: null }), 410, 'inactive');

	/* Scans are buffered by the worker: wait for both to be stored. */
	let scans;
	for (let i = 0; i < 50; i++) {
		scans = await api('GET', `/api/v1/codes/${v1Id}/scans`);
		if (scans.json && scans.json.pagination && scans.json.pagination.total >= 2)
			break;
		await sleep(100);
	}
	check('GET /api/v1/codes/{id}/scans', scans, 200, `${scans.json ? scans.json.pagination.total : '?'} scans`);
	const bots = ((scans.json && scans.json.data) || []).filter((s) => s.isBot).length;
	t.ok(scans.json && scans.json.data.length === 2 && bots === 1,
	    'the listing has the phone and the bot (flagged)', scans.text.slice(0, 400));
	check('GET /api/v1/codes/{id}/scans', await api('GET',
	    `/api/v1/codes/${v1Id}/scans?from=2020-01-01&to=2020-01-31T23:59:59Z&page=1&perPage=5`), 200, 'a range');
	check('GET /api/v1/codes/{id}/scans', await api('GET', `/api/v1/codes/${v1Id}/scans?from=yesterday`), 400, 'from=yesterday');
	check('GET /api/v1/codes/{id}/scans', await api('GET',
	    `/api/v1/codes/${v1Id}/scans?from=2024-02-01&to=2024-01-01`), 422, 'from after to');
	check('GET /api/v1/codes/{id}/scans', await api('GET', '/api/v1/codes/AAAAAAAAAAAAAAAA/scans'), 404);
	await cursorWalk('GET /api/v1/codes/{id}/scans', `/api/v1/codes/${v1Id}/scans?perPage=1`,
	    (r) => r.json.pagination.nextCursor);
	r = await api('GET', `/api/v1/codes/${v1Id}/stats`);
	check('GET /api/v1/codes/{id}/stats', r, 200);
	t.ok(r.json && r.json.data.totalScans === 1 && r.json.data.byDevice.length === 1 &&
	    r.json.data.byDevice[0].value === 'mobile' && r.json.data.byReferrer[0].value === 'example.org',
	    'stats count the phone, not the bot', r.text.slice(0, 600));
	const today = new Date().toISOString().slice(0, 10);
	check('GET /api/v1/codes/{id}/stats', await api('GET',
	    `/api/v1/codes/${v1Id}/stats?from=${today}&to=${today}`), 200, 'today');
	check('GET /api/v1/codes/{id}/stats', await api('GET', `/api/v1/codes/${v1Id}/stats?to=2024-13-01`), 400, 'bad date');

	check('GET /api/v1/codes/{id}/image', await api('GET', `/api/v1/codes/${v1Id}/image`), 200, 'PNG');
	check('GET /api/v1/codes/{id}/image', await api('GET',
	    `/api/v1/codes/${v1Id}/image?format=svg&size=128&color=1D4ED8&backgroundColor=transparent`), 200, 'SVG');
	check('GET /api/v1/codes/{id}/image', await api('GET', `/api/v1/codes/${v1Id}/image?size=10`), 422, 'size=10');
	check('GET /api/v1/codes/{id}/image', await api('GET', `/api/v1/codes/${v1Id}/image?size=big`), 400, 'size=big');
	check('GET /api/v1/codes/{id}/image', await api('GET', '/api/v1/codes/AAAAAAAAAAAAAAAA/image'), 404);

	/* ---- webhooks ------------------------------------------------- */
	const rcv = await receiver();
	try {
		r = await api('POST', '/api/v1/webhooks', { body: { url: rcv.url, events: ['scan', 'ping', 'code.created'] } });
		check('POST /api/v1/webhooks', r, 201);
		const wid = r.json && r.json.data.id;
		check('POST /api/v1/webhooks', await api('POST', '/api/v1/webhooks',
		    { body: { url: rcv.url, events: ['code.exploded'] } }), 422, 'unknown event');
		check('POST /api/v1/webhooks', await api('POST', '/api/v1/webhooks',
		    { body: { url: rcv.url } }), 400, 'no events');
		check('POST /api/v1/webhooks', await api('POST', '/api/v1/webhooks',
		    { body: { url: 'http://10.1.2.3/hook', events: ['scan'] } }), 422, 'private address');
		check('GET /api/v1/webhooks', await api('GET', '/api/v1/webhooks'), 200);
		check('GET /api/v1/webhooks/{id}', await api('GET', `/api/v1/webhooks/${wid}`), 200);
		check('GET /api/v1/webhooks/{id}', await api('GET', '/api/v1/webhooks/AAAAAAAAAAAAAAAA'), 404);
		/* A test ping is queued (202); the sender settles it within seconds. */
		const settled = async (id) => {
			let res;
			for (let i = 0; i < 150; i++) {
				res = await api('GET', `/api/v1/webhooks/${wid}/deliveries/${id}`);
				if (!res.json || !res.json.data || res.json.data.status !== 'pending')
					break;
				await new Promise((ok) => setTimeout(ok, 100));
			}
			return res;
		};
		r = await api('POST', `/api/v1/webhooks/${wid}/test`);
		check('POST /api/v1/webhooks/{id}/test', r, 202, 'our receiver');
		r = await settled(r.json && r.json.data.deliveryId);
		check('GET /api/v1/webhooks/{id}/deliveries/{deliveryId}', r, 200, 'the ping settled');
		t.ok(r.json && r.json.data.delivered === true && r.json.data.statusCode === 204 &&
		    rcv.got.length >= 1 && /sha256=[0-9a-f]{64}/.test(rcv.got[0].headers['x-qregg-signature'] || ''),
		    'the ping reached the receiver, signed', r.text);
		check('PATCH /api/v1/webhooks/{id}', await api('PATCH', `/api/v1/webhooks/${wid}`,
		    { body: { url: 'http://127.0.0.1:9/', events: ['scan', 'code.updated'], rotateSecret: true } }),
		    200, 'new URL, events and secret');
		check('PATCH /api/v1/webhooks/{id}', await api('PATCH', `/api/v1/webhooks/${wid}`,
		    { body: { events: 'scan' } }), 400, 'events not an array');
		check('PATCH /api/v1/webhooks/{id}', await api('PATCH', `/api/v1/webhooks/${wid}`,
		    { body: { url: 'gopher://127.0.0.1/' } }), 422, 'not http(s)');
		r = await api('POST', `/api/v1/webhooks/${wid}/test`);
		check('POST /api/v1/webhooks/{id}/test', r, 202, 'refused: 127.0.0.1:9');
		const refused = r.json && r.json.data.deliveryId;
		r = await settled(refused);
		check('GET /api/v1/webhooks/{id}/deliveries/{deliveryId}', r, 200, 'failed ping');
		t.ok(r.json && r.json.data.status === 'failed' && r.json.data.delivered === false,
		    'the refused ping failed, once', r.text);
		check('GET /api/v1/webhooks/{id}/deliveries/{deliveryId}', await api('GET',
		    `/api/v1/webhooks/${wid}/deliveries/AAAAAAAAAAAAAAAA`), 404);
		check('POST /api/v1/webhooks/{id}/test', await api('POST', '/api/v1/webhooks/AAAAAAAAAAAAAAAA/test'), 404);
		r = await api('GET', `/api/v1/webhooks/${wid}/deliveries?page=1&perPage=10`);
		check('GET /api/v1/webhooks/{id}/deliveries', r, 200);
		t.ok(r.json && r.json.data.length >= 2, 'both pings are in the log', r.text.slice(0, 400));
		check('GET /api/v1/webhooks/{id}/deliveries', await api('GET',
		    `/api/v1/webhooks/${wid}/deliveries?perPage=101`), 422, 'perPage=101');
		check('GET /api/v1/webhooks/{id}/deliveries', await api('GET',
		    `/api/v1/webhooks/${wid}/deliveries?page=x`), 400, 'page=x');
		await cursorWalk('GET /api/v1/webhooks/{id}/deliveries',
		    `/api/v1/webhooks/${wid}/deliveries?perPage=1`, (r) => r.json.pagination.nextCursor);
		check('PATCH /api/v1/webhooks/{id}', await api('PATCH', `/api/v1/webhooks/${wid}`,
		    { body: { active: false } }), 200, 'pause');
		check('POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/retry', await api('POST',
		    `/api/v1/webhooks/${wid}/deliveries/${refused}/retry`), 200);
		check('POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/retry', await api('POST',
		    `/api/v1/webhooks/${wid}/deliveries/AAAAAAAAAAAAAAAA/retry`), 404);
		check('DELETE /api/v1/webhooks/{id}', await api('DELETE', `/api/v1/webhooks/${wid}`), 200);
		check('DELETE /api/v1/webhooks/{id}', await api('DELETE', `/api/v1/webhooks/${wid}`), 404, 'again');
	} finally {
		rcv.srv.close();
	}

	/* ---- the codes go; the extra token goes ----------------------- */
	for (const id of [v1Id, textId, v1Static])
		check('DELETE /api/v1/codes/{id}', await api('DELETE', `/api/v1/codes/${id}`), 200);
	check('DELETE /api/v1/codes/{id}', await api('DELETE', `/api/v1/codes/${v1Id}`), 404, 'again');
	for (const id of [staticId, dynId])
		check('DELETE /api/codes/{id}', await api('DELETE', `/api/codes/${id}`), 200);
	check('GET /{shortCode}', await api('GET', `/${dynShort}`, { token: null }), 404, 'deleted code');

	/* ---- 405 on every path: Allow is what the document lists ------ */
	const sample = { '{id}': 'AAAAAAAAAAAAAAAA', '{name}': 'nope', '{deliveryId}': 'AAAAAAAAAAAAAAAA',
	    '{shortCode}': 'Ab3xY7z' };
	for (const tpl of Object.keys(DOC.paths)) {
		const path = tpl.replace(/\{[^}]+\}/g, (m) => sample[m]);
		const allowed = new Set();
		for (const other of templatesOf(path))
			for (const m of METHODS)
				if (DOC.paths[other][m] && m !== 'head')
					allowed.add(m.toUpperCase());
		const method = ['PATCH', 'PUT', 'DELETE', 'POST', 'GET'].find((m) => !allowed.has(m));
		r = await api(method, path, { token: null });
		const p = responseProblems(r, DOC.components.responses.MethodNotAllowed, method);
		const allow = (r.headers.allow || '').split(/,\s*/).filter(Boolean);
		if (r.status !== 405)
			p.push(`status ${r.status}`);
		if (allow.length !== new Set(allow).size)
			p.push(`Allow repeats a method: '${r.headers.allow}'`);
		if ([...new Set(allow)].sort().join() !== [...allowed].sort().join())
			p.push(`Allow '${r.headers.allow}', the document has ${[...allowed].join(', ')}`);
		t.ok(p.length === 0, `${method} ${tpl} -> 405, Allow: ${[...allowed].join(', ')}`, p.join('\n'));
		/* ... and each operation of the path declares it (HEAD's
		 * declaration, which has no body, is validate-doc.js's). */
		for (const m of METHODS)
			if (DOC.paths[tpl][m] && m !== 'head')
				check(`${m.toUpperCase()} ${tpl}`, r, 405, `${method} on the path`);
	}

	/* ---- nginx's own answers -------------------------------------- */
	r = await rawRequest(BASE, 'GET /api/tokens HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n');
	{
		const p = responseProblems(r, DOC.components.responses.BadRequest, 'GET');
		if (r.status !== 400)
			p.push(`status ${r.status}`);
		t.ok(p.length === 0, "nginx's 400 (two Host headers) -> components.responses.BadRequest", p.join('\n'));
	}
	if (HTTPS) {
		check('POST /api/tokens', await api('POST', '/api/tokens', { base: HTTPS, token: null,
		    body: JSON.stringify({ name: 'x'.repeat(70000) }) }), 413, "nginx's 413 on HTTPS");
		/* The per-key limit (60 at once): a token of our own, used up. */
		let last;
		for (let i = 0; i < 90 && extraToken; i++) {
			last = await api('GET', '/api/tokens', { base: HTTPS, token: extraToken });
			if (last.status === 429)
				break;
		}
		if (last && last.status === 429) {
			check('GET /api/tokens', last, 429, "nginx's per-key limit on HTTPS");
			t.ok(last.json && last.json.error.code === 'rate_limited' &&
			    /^[1-9][0-9]*$/.test(last.headers['retry-after'] || ''),
			    `rate_limited, Retry-After: ${last.headers['retry-after']}`, last.text);
		} else {
			t.ok(false, 'the per-key limit answers 429 on HTTPS', last && last.text);
		}
	}
	if (extraToken)
		check('DELETE /api/tokens/{name}', await api('DELETE', `/api/tokens/${encodeURIComponent(tname)}`), 200);
	check('DELETE /api/tokens/{name}', await api('DELETE', `/api/tokens/${encodeURIComponent(tname)}`), 404, 'again');

	/* ---- a free account: plan limits and the daily quota ---------- */
	if (FREE) {
		const dyn = { type: 'url', payload: { url: 'https://example.com/free' } };
		for (let i = 0; i < 2; i++)
			check('POST /api/v1/codes', await api('POST', '/api/v1/codes', { token: FREE, body: dyn }), 201, `free: dynamic ${i + 1} of 2`);
		r = await api('POST', '/api/v1/codes', { token: FREE, body: dyn });
		check('POST /api/v1/codes', r, 403, 'free: a third dynamic code');
		check('POST /api/codes/generate', await api('POST', '/api/codes/generate', { token: FREE,
		    body: { type: 'qr', data: 'https://example.com/', isDynamic: true } }), 403, 'free: a third dynamic code');
		r = await api('GET', '/api/tokens', { token: FREE });
		t.ok(/^\d+$/.test(r.headers['x-ratelimit-limit'] || '') && r.headers['x-ratelimit-limit'] === '100' &&
		    /^\d+$/.test(r.headers['x-ratelimit-remaining'] || ''),
		    `free: X-RateLimit-Limit ${r.headers['x-ratelimit-limit']}, Remaining ${r.headers['x-ratelimit-remaining']}`);
		for (let i = 0; i < 110; i++) {
			r = await api('GET', '/api/tokens', { token: FREE });
			if (r.status !== 200)
				break;
		}
		check('GET /api/tokens', r, 429, 'free: the daily quota');
		t.ok(r.json && r.json.error.code === 'daily_quota_exceeded' && /^\d+$/.test(r.headers['retry-after'] || '') &&
		    r.headers['x-ratelimit-remaining'] === '0', 'daily_quota_exceeded, Retry-After, Remaining 0', r.text);
	} else {
		t.skip('plan limits and the daily quota', 'no QRE_OPENAPI_FREE_TOKEN (a free account)');
	}

	/* ---- every operation answered as documented, at least once ---- */
	const missing = Object.keys(OPS).filter((k) =>
	    ![...(covered[k] || [])].some((s) => s >= 200 && s < 400));
	t.ok(missing.length === 0, `every one of the ${Object.keys(OPS).length} operations was called with success`,
	    `never: ${missing.join(', ')}`);
	const seen = new Set();
	for (const s of Object.values(covered))
		for (const x of s)
			seen.add(x);
	t.diag(`statuses seen: ${[...seen].sort().join(' ')}`);
	return t.done();
}

main().then((rc) => process.exit(rc), (e) => {
	t.ok(false, 'check-responses ran to the end', e.stack);
	process.exit(t.done());
});
