'use strict';
/*
 * t/openapi/swagger-ui.js: Swagger UI at /docs/ on the stack, in Debian's
 * headless Chromium driven by playwright-core (never a downloaded
 * browser), as TAP.  The page renders the operations; Authorize takes
 * the token; GET /api/tokens, tried out and executed, answers 200 with
 * "success": true from the same origin.  A screenshot goes to
 * var/docs-test.png (the stack's var/, or $QRE_DOCS_SCREENSHOT).
 *
 * Settings: the stack's var/stack.env (or $QRE_STACK_ENV): QRE_HTTP_URL,
 * QRE_TOKEN, QRE_VAR; $QRE_OPENAPI_TOKEN replaces QRE_TOKEN;
 * $QRE_CHROMIUM the browser (/usr/bin/chromium).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ROOT, need, stackEnv, Tap } = require('./lib');

const t = new Tap();
const env = stackEnv();
const BASE = env.QRE_HTTP_URL;
const TOKEN = process.env.QRE_OPENAPI_TOKEN || env.QRE_TOKEN;
const CHROMIUM = process.env.QRE_CHROMIUM || '/usr/bin/chromium';
const SHOT = process.env.QRE_DOCS_SCREENSHOT ||
    path.join(env.QRE_VAR || path.join(ROOT, 'var'), 'docs-test.png');
const WAIT = 20000;

async function main() {
	const { chromium } = need('playwright-core');
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'qre-chromium-'));
	const errors = [];
	let ctx;
	try {
		ctx = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu',
			    '--disable-quic', '--no-first-run',
			    '--disable-background-networking',
			    '--disable-component-update', '--disable-sync'],
			viewport: { width: 1280, height: 900 },
			timeout: 30000,
		});
		const page = ctx.pages()[0] || await ctx.newPage();
		page.setDefaultTimeout(WAIT);
		page.on('pageerror', (e) => errors.push(String(e)));

		const resp = await page.goto(`${BASE}/docs/`, { waitUntil: 'load' });
		t.ok(resp && resp.status() === 200, `GET ${BASE}/docs/ -> ${resp && resp.status()}`);
		await page.waitForSelector('.opblock .opblock-summary-method');
		/* Every operation drawn: method and path as Swagger UI shows them. */
		await page.waitForFunction(() =>
		    document.querySelectorAll('.opblock').length >= 25, null,
		    { timeout: WAIT }).catch(() => {});
		const ops = await page.$$eval('.opblock', (els) => els.map((el) => {
			const m = el.querySelector('.opblock-summary-method');
			const p = el.querySelector('.opblock-summary-path');
			return `${m ? m.textContent.trim() : '?'} ${p ?
			    (p.getAttribute('data-path') || p.textContent).trim() : '?'}`;
		}));
		t.ok(ops.length >= 25, `${ops.length} operations listed (at least 25)`);
		for (const want of ['POST /api/codes/generate', 'GET /api/v1/codes/{id}/stats',
		    'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/retry', 'GET /healthz',
		    'GET /{shortCode}', 'HEAD /{shortCode}', 'DELETE /api/tokens/{name}'])
			t.ok(ops.includes(want), `"${want}" is listed`, ops.join('\n'));
		const title = await page.textContent('.info .title');
		t.ok(/qre API/.test(title || ''), `the title: ${(title || '').trim()}`);

		/* Authorize: the bearer token. */
		await page.click('.scheme-container .btn.authorize');
		await page.fill('.auth-container input[id="auth-bearer-value"], ' +
		    '.auth-container input[aria-label="auth-bearer-value"]', TOKEN);
		await page.click('.auth-btn-wrapper .btn.modal-btn.authorize');
		await page.waitForSelector('.auth-btn-wrapper .btn-done');
		const authorized = await page.isVisible('.auth-container h6:has-text("Authorized")');
		t.ok(authorized, 'Authorize accepted the token');
		await page.click('.auth-btn-wrapper .btn-done');

		/* GET /api/tokens: try it out, execute. */
		const op = page.locator('#operations-Tokens-listTokens');
		await op.locator('.opblock-summary').first().click();
		await op.locator('.try-out__btn').click();
		await op.locator('.btn.execute').click();
		const row = op.locator('.live-responses-table .response');
		await row.first().waitFor();
		const status = (await row.first().locator('.response-col_status').textContent()).trim();
		const body = await op.locator('.live-responses-table .response-col_description pre').first().textContent();
		const url = (await op.locator('.request-url pre').first().textContent() || '').trim();
		t.ok(status === '200', `Execute: status ${status}`);
		t.ok(/"success":\s*true/.test(body || ''), 'Execute: the body has "success": true',
		    (body || '').slice(0, 300));
		t.ok(url === `${BASE}/api/tokens`, `the request went to this origin: ${url}`);
		const curl = await op.locator('.curl-command, .request-snippets').first().textContent().catch(() => '');
		t.ok(/Authorization: Bearer qre_/.test(curl || ''), 'the request carried the bearer token');

		await row.first().scrollIntoViewIfNeeded();
		fs.mkdirSync(path.dirname(SHOT), { recursive: true });
		await page.screenshot({ path: SHOT, fullPage: false });
		t.ok(fs.statSync(SHOT).size > 1000, `screenshot: ${SHOT}`);
		t.ok(errors.length === 0, 'no JavaScript errors on the page', errors.join('\n'));
	} finally {
		if (ctx)
			await ctx.close().catch(() => {});
		fs.rmSync(profile, { recursive: true, force: true });
	}
	return t.done();
}

main().then((rc) => process.exit(rc), (e) => {
	t.ok(false, 'swagger-ui check ran to the end', e.stack);
	process.exit(t.done());
});
