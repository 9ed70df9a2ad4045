'use strict';
/*
 * t/openapi/lib.js: what the OpenAPI tests share -- the stack's settings
 * (var/stack.env or $QRE_STACK_ENV, as t/lib/Qre.pm reads them), the
 * document and its tools from docs/node_modules, plain HTTP(S) requests
 * that never follow redirects, and TAP output.
 */
const fs = require('fs');
const path = require('path');
const http = require('http');
const https = require('https');

const ROOT = path.resolve(__dirname, '..', '..');
const DOCS = path.join(ROOT, 'docs');
const SPEC = process.env.QRE_OPENAPI_SPEC || path.join(DOCS, 'openapi.yaml');

/* docs/node_modules, wherever this script is started from. */
function need(name) {
	return require(require.resolve(name, { paths: [DOCS] }));
}

/* KEY=value lines; a value in double quotes loses them. */
function stackEnv() {
	const file = process.env.QRE_STACK_ENV || path.join(ROOT, 'var', 'stack.env');
	const env = {};
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		const m = /^(\w+)=(.*)$/.exec(line);
		if (!m)
			continue;
		env[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
	}
	return env;
}

/*
 * request(method, url, {headers, body}) -> {status, headers, body (Buffer),
 * text, json}.  Redirects are answered, not followed; TLS certificates
 * are not checked (the stack's is self-signed).
 */
function request(method, url, opts = {}) {
	const u = new URL(url);
	const mod = u.protocol === 'https:' ? https : http;
	const headers = Object.assign({}, opts.headers || {});
	let body = opts.body;

	/* As t/lib/Qre.pm: a body is JSON unless told otherwise. */
	if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body))
		body = JSON.stringify(body);
	if (body !== undefined &&
	    !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
		headers['Content-Type'] = 'application/json';
	if (body !== undefined)
		headers['Content-Length'] = Buffer.byteLength(body);
	return new Promise((resolve, reject) => {
		const req = mod.request({
			method, hostname: u.hostname, port: u.port,
			path: u.pathname + u.search, headers,
			rejectUnauthorized: false, agent: false, timeout: 30000,
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const buf = Buffer.concat(chunks);
				const text = buf.toString('utf8');
				let json;
				try { json = JSON.parse(text); } catch (e) { json = undefined; }
				resolve({ status: res.statusCode, headers: res.headers,
				    body: buf, text, json });
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`${method} ${url}: timeout`)));
		req.on('error', reject);
		if (body !== undefined)
			req.write(body);
		req.end();
	});
}

/* TAP with TODO support; the plan comes last. */
class Tap {
	constructor() { this.n = 0; this.failed = 0; }
	ok(pass, name, diag, todo) {
		this.n++;
		const clean = String(name).replace(/#/g, '\\#').replace(/\n/g, ' ');
		let line = `${pass ? 'ok' : 'not ok'} ${this.n} - ${clean}`;
		if (todo)
			line += ` # TODO ${todo}`;
		console.log(line);
		if (!pass && !todo)
			this.failed++;
		if (!pass && diag)
			this.diag(diag);
		return pass;
	}
	skip(name, reason) {
		this.n++;
		console.log(`ok ${this.n} - ${name} # SKIP ${reason}`);
	}
	diag(msg) {
		for (const l of String(msg).split('\n'))
			console.log(`# ${l}`);
	}
	done() {
		console.log(`1..${this.n}`);
		return this.failed === 0 ? 0 : 1;
	}
}

module.exports = { ROOT, DOCS, SPEC, need, stackEnv, request, Tap };

/*
 * The document three ways: as written (validated by swagger-parser, the
 * real validator), dereferenced (every $ref replaced), and an Ajv for
 * JSON Schema 2020-12 -- OpenAPI 3.1's dialect -- with the formats.
 */
async function loadDoc() {
	const SwaggerParser = need('@apidevtools/swagger-parser');
	const Ajv2020 = need('ajv/dist/2020');
	const addFormats = need('ajv-formats');
	const doc = await SwaggerParser.validate(SPEC);
	const deref = await SwaggerParser.dereference(SPEC);
	const ajv = new Ajv2020({ strict: true, allErrors: true,
	    allowUnionTypes: true, strictRequired: false, validateFormats: true });
	addFormats(ajv);
	ajv.addKeyword({ keyword: 'example' });	/* OpenAPI's annotation */
	return { doc, deref, ajv };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/* Every operation: {method, path, op, pathItem}. */
function operations(doc) {
	const out = [];
	for (const [p, item] of Object.entries(doc.paths || {}))
		for (const m of METHODS)
			if (item[m])
				out.push({ method: m, path: p, op: item[m], pathItem: item });
	return out;
}

/*
 * A copy of a response schema that refuses members it does not declare
 * (unevaluatedProperties: false on each object schema with properties),
 * so that what the server sends and the document omits is found.
 */
function strictCopy(schema, seen = new Map()) {
	if (schema === null || typeof schema !== 'object')
		return schema;
	if (seen.has(schema))
		return seen.get(schema);
	const copy = Array.isArray(schema) ? [] : {};
	seen.set(schema, copy);
	for (const [k, v] of Object.entries(schema))
		copy[k] = (k === 'example' || k === 'examples' || k === 'default' ||
		    k === 'const' || k === 'enum') ? v : strictCopy(v, seen);
	if (!Array.isArray(schema) && schema.properties &&
	    schema.additionalProperties === undefined &&
	    schema.unevaluatedProperties === undefined)
		copy.unevaluatedProperties = false;
	return copy;
}

function ajvErrors(errors) {
	return (errors || []).slice(0, 8).map((e) =>
	    `${e.instancePath || '(root)'} ${e.message}` +
	    (e.params && Object.keys(e.params).length ?
	    ' ' + JSON.stringify(e.params) : '')).join('\n');
}

module.exports.loadDoc = loadDoc;
module.exports.operations = operations;
module.exports.strictCopy = strictCopy;
module.exports.ajvErrors = ajvErrors;
module.exports.METHODS = METHODS;
