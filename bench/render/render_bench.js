// render_bench.js: the reference renderers, the same cases as
// render_bench.c, one at a time in one Node process.
//
// usage: node render_bench.js [SECONDS]   (per case, default 2)
// prints one line per case: name, renders/s, ms/render, width, height,
// bytes (tab-separated).
'use strict';

const QRCode = require('qrcode');
const bwipjs = require('bwip-js');

const URL = 'https://example.com/some/path?x=1';
const CODE128_DATA = 'QRE-0123456789';
const WARMUP = 100;
const seconds = Number(process.argv[2] || 2);

// Sizes as close to render_bench.c's as each library allows: qrcode
// takes the width in pixels; bwip-js takes pixels per module (scale).
const cases = [
	['qr_png_300', () => QRCode.toDataURL(URL, { width: 300 })],
	['qr_svg_300', () => QRCode.toString(URL, { type: 'svg', width: 300 })],
	['code128_png', () => bwipjs.toBuffer({ bcid: 'code128',
	    text: CODE128_DATA, scale: 2, height: 18, includetext: true })],
	['datamatrix_png', () => bwipjs.toBuffer({ bcid: 'datamatrix',
	    text: URL, scale: 7 })],
];

function pngSize(buf) {
	if (typeof buf === 'string' && buf.startsWith('data:image/png;base64,'))
		buf = Buffer.from(buf.slice(22), 'base64');
	if (Buffer.isBuffer(buf) && buf.length > 24)
		return [buf.readUInt32BE(16), buf.readUInt32BE(20), buf.length];
	const m = /width="(\d+)" height="(\d+)"/.exec(buf);
	return m ? [Number(m[1]), Number(m[2]), buf.length] : [0, 0, buf.length];
}

async function main() {
	for (const [name, fn] of cases) {
		for (let i = 0; i < WARMUP; i++)
			await fn();
		let n = 0;
		const start = process.hrtime.bigint();
		let elapsed;
		do {
			for (let i = 0; i < 16; i++, n++)
				await fn();
			elapsed = Number(process.hrtime.bigint() - start) / 1e9;
		} while (elapsed < seconds);
		const [w, h, bytes] = pngSize(await fn());
		console.log([name, (n / elapsed).toFixed(0),
		    (elapsed * 1e3 / n).toFixed(4), w, h, bytes].join('\t'));
	}
}

main().catch((e) => { console.error(e); process.exit(1); });
