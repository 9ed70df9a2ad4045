'use strict';
/*
 * t/openapi/validate-doc.js: docs/openapi.yaml on its own, as TAP.
 * swagger-parser's validate() (the OpenAPI 3.1 meta-schema and its
 * semantic checks), every schema compiled by Ajv in strict 2020-12 mode,
 * every example checked against its schema, and the document held
 * against the source: each route of src/routes.c is an operation and
 * each operation a route, and the error codes are those of src/errors.h.
 */
const fs = require('fs');
const path = require('path');
const { ROOT, Tap, loadDoc, operations, strictCopy, ajvErrors } =
    require('./lib');

const t = new Tap();

/* "/api/codes/:id" and "/api/codes/{id}" both as "/api/codes/{}". */
function shape(p) {
	return p.replace(/:[A-Za-z]+/g, '{}').replace(/\{[A-Za-z]+\}/g, '{}');
}

function routes() {
	const src = fs.readFileSync(path.join(ROOT, 'src', 'routes.c'), 'utf8');
	const out = [];
	const re = /\{\s*HTTP_([A-Z]+),\s*"([^"]+)"/g;
	let m;
	while ((m = re.exec(src)) !== null)
		out.push({ method: m[1].toLowerCase(), path: m[2] });
	return out;
}

function errorCodes() {
	const src = fs.readFileSync(path.join(ROOT, 'src', 'errors.h'), 'utf8');
	const out = [];
	const re = /X\(\s*[A-Z_]+,\s*(\d+),\s*"([a-z_]+)"/g;
	let m;
	while ((m = re.exec(src)) !== null)
		if (m[2] !== 'ok')
			out.push({ status: Number(m[1]), code: m[2] });
	return out;
}

/* Every example of a media type object: [name, value]. */
function examplesOf(media) {
	const out = [];
	if (media.example !== undefined)
		out.push(['example', media.example]);
	for (const [name, ex] of Object.entries(media.examples || {}))
		if (ex && ex.value !== undefined)
			out.push([name, ex.value]);
	return out;
}

async function main() {
	let loaded;
	try {
		loaded = await loadDoc();
	} catch (e) {
		t.ok(false, 'swagger-parser validate(): the document is valid', e.message);
		return t.done();
	}
	const { doc, deref, ajv } = loaded;
	t.ok(true, 'swagger-parser validate(): the document is valid');
	t.ok(/^3\.1\.\d+$/.test(doc.openapi), `OpenAPI 3.1 (${doc.openapi})`);
	t.ok(doc.servers && doc.servers[0] && doc.servers[0].url === '/',
	    'the first server is "/" (Try it out calls the same origin)');
	const bearer = (doc.components.securitySchemes || {}).bearerAuth || {};
	t.ok(bearer.type === 'http' && bearer.scheme === 'bearer' &&
	    JSON.stringify(doc.security) === '[{"bearerAuth":[]}]',
	    'bearer security scheme, required by default');

	const ops = operations(deref);
	t.diag(`${ops.length} operations on ${Object.keys(doc.paths).length} paths`);
	t.ok(ops.length >= 25, `at least 25 operations (${ops.length})`);
	const ids = ops.map((o) => o.op.operationId);
	t.ok(ids.every(Boolean) && new Set(ids).size === ids.length,
	    'every operation has a unique operationId');

	/* The route table and the document name the same operations. */
	const rs = routes();
	const docSet = new Set(ops.map((o) => `${o.method.toUpperCase()} ${shape(o.path)}`));
	const routeSet = new Set(rs.map((r) => `${r.method.toUpperCase()} ${shape(r.path)}`));
	const undocumented = [...routeSet].filter((k) => !docSet.has(k));
	t.ok(rs.length >= 25 && undocumented.length === 0,
	    `every route of src/routes.c is documented (${rs.length} routes)`,
	    `missing: ${undocumented.join(', ')}`);
	/* HEAD is answered wherever GET is (src/router.c). */
	const invented = [...docSet].filter((k) => !routeSet.has(k) &&
	    !(k.startsWith('HEAD ') && routeSet.has(k.replace(/^HEAD/, 'GET'))));
	t.ok(invented.length === 0, 'every operation is a route',
	    `not routes: ${invented.join(', ')}`);

	/* Error codes: exactly the table of src/errors.h. */
	const codes = errorCodes();
	const documented = deref.components.schemas.ErrorCode.enum;
	const want = codes.map((c) => c.code).sort();
	t.ok(JSON.stringify([...documented].sort()) === JSON.stringify(want),
	    'ErrorCode enum is the code list of src/errors.h',
	    `errors.h: ${want.join(' ')}\ndocument: ${[...documented].sort().join(' ')}`);

	/* What every operation must document. */
	const problems = [];
	for (const o of ops) {
		const key = `${o.method.toUpperCase()} ${o.path}`;
		const r = o.op.responses;
		const secured = o.op.security === undefined ?
		    doc.security.length > 0 : o.op.security.length > 0;
		/* 405 (with Allow) is answered on every path, for any method. */
		const need = ['405'];
		if (secured)
			need.push('401', '429', '503');
		if (o.op.requestBody)
			need.push('400', '413', '415', '422');
		if (/\{(id|name|deliveryId)\}/.test(o.path))
			need.push('404');
		for (const s of need)
			if (!r[s])
				problems.push(`${key}: no ${s}`);
		if (!Object.keys(r).some((s) => /^[23]/.test(s)))
			problems.push(`${key}: no success response`);
		for (const [s, resp] of Object.entries(r)) {
			if (s === 'default')
				problems.push(`${key}: a "default" response hides undocumented statuses`);
			if (secured && /^2/.test(s))
				for (const h of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'])
					if (!(resp.headers || {})[h])
						problems.push(`${key} ${s}: no ${h} header`);
			if (/^(429|503)$/.test(s) && !(resp.headers || {})['Retry-After'])
				problems.push(`${key} ${s}: no Retry-After header`);
			if (s === '302' && !(resp.headers || {}).Location)
				problems.push(`${key} 302: no Location header`);
			if (o.method !== 'head' && s !== '302' && !resp.content)
				problems.push(`${key} ${s}: no content`);
			for (const [mt, media] of Object.entries(resp.content || {}))
				if (!media.schema)
					problems.push(`${key} ${s} ${mt}: no schema`);
		}
		if (o.op.requestBody) {
			const media = o.op.requestBody.content['application/json'];
			if (!media || !media.schema)
				problems.push(`${key}: request body without an application/json schema`);
			else if (examplesOf(media).length === 0)
				problems.push(`${key}: request body without an example`);
		}
	}
	t.ok(problems.length === 0,
	    'each operation documents its statuses, headers, schemas and examples',
	    problems.join('\n'));

	/* Every named schema compiles in Ajv's strict mode. */
	const bad = [];
	for (const [name, schema] of Object.entries(deref.components.schemas)) {
		try {
			ajv.compile(strictCopy(schema));
		} catch (e) {
			bad.push(`${name}: ${e.message}`);
		}
	}
	t.ok(bad.length === 0,
	    `all ${Object.keys(deref.components.schemas).length} component schemas compile (Ajv 2020-12, strict)`,
	    bad.join('\n'));
	/* And every other schema: parameters, headers, media types. */
	const others = [];
	let nschemas = 0;
	const compile = (where, schema) => {
		nschemas++;
		try {
			ajv.compile(strictCopy(schema));
		} catch (e) {
			others.push(`${where}: ${e.message}`);
		}
	};
	for (const o of ops) {
		const key = `${o.method.toUpperCase()} ${o.path}`;
		for (const prm of [...(o.pathItem.parameters || []), ...(o.op.parameters || [])])
			compile(`${key} parameter ${prm.name}`, prm.schema);
		for (const [mt, media] of Object.entries((o.op.requestBody || {}).content || {}))
			compile(`${key} request ${mt}`, media.schema);
		for (const [s, resp] of Object.entries(o.op.responses)) {
			for (const [h, hdr] of Object.entries(resp.headers || {}))
				compile(`${key} ${s} header ${h}`, hdr.schema);
			for (const [mt, media] of Object.entries(resp.content || {}))
				compile(`${key} ${s} ${mt}`, media.schema);
		}
	}
	t.ok(others.length === 0, `${nschemas} parameter, header and media type schemas compile`,
	    others.join('\n'));

	/* Examples agree with their schemas (responses strictly). */
	const wrong = [];
	let nex = 0;
	const check = (where, schema, value) => {
		nex++;
		let v;
		try {
			v = ajv.compile(schema);
		} catch (e) {
			wrong.push(`${where}: ${e.message}`);
			return;
		}
		if (!v(value))
			wrong.push(`${where}: ${ajvErrors(v.errors)}`);
	};
	for (const o of ops) {
		const key = `${o.method.toUpperCase()} ${o.path}`;
		const rb = o.op.requestBody;
		for (const [mt, media] of Object.entries((rb && rb.content) || {}))
			for (const [name, value] of examplesOf(media))
				check(`${key} request ${mt} ${name}`, media.schema, value);
		for (const [s, resp] of Object.entries(o.op.responses))
			for (const [mt, media] of Object.entries(resp.content || {}))
				if (mt === 'application/json')
					for (const [name, value] of examplesOf(media))
						check(`${key} ${s} ${name}`,
						    strictCopy(media.schema), value);
	}
	for (const [name, schema] of Object.entries(deref.components.schemas))
		if (schema.example !== undefined)
			check(`components.schemas.${name} example`, strictCopy(schema),
			    schema.example);
	t.ok(wrong.length === 0 && nex >= 30,
	    `${nex} examples match their schemas`, wrong.join('\n'));
	return t.done();
}

main().then((rc) => process.exit(rc), (e) => {
	t.ok(false, 'validate-doc ran', e.stack);
	process.exit(t.done());
});
