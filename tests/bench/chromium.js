// chromium.js: the same receipt as HTML printed to PDF by a headless
// Chromium kept running between documents, as PDF services do
// (playwright-core, page.setContent + page.pdf per document).
//
//	node chromium.js PLAYWRIGHT_CORE_DIR CHROMIUM HTML OUT.pdf N
//
// Launches CHROMIUM once, opens one page, prints 3 documents to warm up,
// then N, and prints
//	chromium-warm: N docs in S s: X ms/doc, Y docs/s, B bytes
'use strict';

const fs = require('fs');

async function main() {
	const [pwdir, exe, htmlPath, out, nArg] = process.argv.slice(2);
	const { chromium } = require(pwdir);
	const n = parseInt(nArg, 10);
	const html = fs.readFileSync(htmlPath, 'utf8');
	const browser = await chromium.launch({
		executablePath: exe,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
	});
	try {
		const page = await browser.newPage();
		let pdf;
		const one = async () => {
			await page.setContent(html, { waitUntil: 'load' });
			pdf = await page.pdf({ format: 'A4', printBackground: true });
		};
		for (let i = 0; i < 3; i++)
			await one();
		const t0 = process.hrtime.bigint();
		for (let i = 0; i < n; i++)
			await one();
		const s = Number(process.hrtime.bigint() - t0) / 1e9;
		fs.writeFileSync(out, pdf);
		console.log(`chromium-warm: ${n} docs in ${s.toFixed(3)} s: ` +
		    `${(s * 1000 / n).toFixed(2)} ms/doc, ` +
		    `${(n / s).toFixed(1)} docs/s, ${pdf.length} bytes`);
	} finally {
		await browser.close();
	}
}

main().catch((e) => {
	console.error(`chromium.js: ${e && e.stack ? e.stack : e}`);
	process.exit(1);
});
