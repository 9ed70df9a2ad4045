'use strict';
/*
 * t/render/zxing-read.js PNG...: what ZXing (zxing-cpp as WebAssembly,
 * the npm package zxing-wasm, with pngjs, both from docs/node_modules)
 * reads in each PNG: one JSON line per file, in order,
 *   {"file": F, "format": "QRCode", "text": "...", "eci": true}
 * or {"file": F, "format": null} when it finds nothing.  ZXing reads what
 * Debian's zbar cannot (Data Matrix, Aztec, PDF417, MaxiCode, Micro QR)
 * and honours ECI and Code 128's FNC4 (Latin-1), which zbar 0.23 does
 * not.  The WebAssembly is loaded from the package, never fetched.
 */
const fs = require('fs');
const path = require('path');

const DOCS = path.resolve(__dirname, '..', '..', 'docs');

/* docs/node_modules, wherever this script is started from. */
function resolve(name) {
	return require.resolve(name, { paths: [DOCS] });
}

async function main(files) {
	const { PNG } = require(resolve('pngjs'));
	const zxing = require(resolve('zxing-wasm/reader'));
	const wasm = fs.readFileSync(resolve('zxing-wasm/reader/zxing_reader.wasm'));

	await zxing.prepareZXingModule({ overrides: { wasmBinary: wasm },
	    fireImmediately: true });
	for (const file of files) {
		const png = PNG.sync.read(fs.readFileSync(file));
		const image = { data: new Uint8ClampedArray(png.data),
		    width: png.width, height: png.height, colorSpace: 'srgb' };
		const found = await zxing.readBarcodes(image, { tryHarder: true,
		    formats: [], maxNumberOfSymbols: 1 });
		const r = found.find((b) => b.isValid);
		process.stdout.write(JSON.stringify(r ? { file, format: r.format,
		    text: r.text, eci: r.hasECI } : { file, format: null }) + '\n');
	}
}

main(process.argv.slice(2)).catch((e) => {
	process.stderr.write(`zxing-read: ${e.stack || e}\n`);
	process.exit(1);
});
