// Reckon's browser journeys: Debian's Chromium, headless, driven by
// playwright-core against the real stack at $BASE (tests/browser/run
// starts it). Every page visited is checked with axe-core at 1280×800 and
// at 390×844, screenshotted at both widths into screenshots/, and must
// log no console error, page error or CSP violation.
//
// Prints TAP, one line per check. With RECKON_TAP_NO_PLAN=1 (as run
// passes it) no plan is printed: run relays the lines to tests/lib.sh,
// which adds its own last test and prints the one plan. Exits 1 if any
// check failed.
//
//	BASE=http://127.0.0.1:8080 node journeys.mjs
//
// Environment: BASE (required), CHROMIUM (default /usr/bin/chromium),
// RECKON_README_SHOT (a file to write the owner's overview at 1280×800
// to, for the README's docs/overview.png; none if unset).

import { chromium } from 'playwright-core';
import { readFile, mkdir, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BASE = (process.env.BASE || '').replace(/\/$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = path.join(HERE, 'screenshots');
const README_SHOT = process.env.RECKON_README_SHOT || '';
const PASSWORD = 'demo-password';
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };
const TIMEOUT = 15000;

// ---- TAP -----------------------------------------------------------

let n = 0;
let failed = 0;

function diag(...lines)
{
	for (const l of lines.join('\n').split('\n'))
		console.log(`# ${l}`);
}

function ok(pass, desc, ...why)
{
	n++;
	desc = desc.replace(/[\r\n]+/g, ' ').replace(/#/g, '\\#');
	console.log(`${pass ? 'ok' : 'not ok'} ${n} - ${desc}`);
	if (!pass) {
		failed++;
		if (why.length)
			diag(...why.map(String));
	}
	return pass;
}

function is(got, want, desc)
{
	return ok(got === want, desc, `got:  ${JSON.stringify(got)}`,
	    `want: ${JSON.stringify(want)}`);
}

function like(got, re, desc)
{
	return ok(re.test(String(got)), desc,
	    `${JSON.stringify(String(got).slice(0, 300))}`, `does not match ${re}`);
}

// step DESC FN: one TAP line for an action; a thrown error fails it (and
// is shown), the journey goes on with the next step.
async function step(desc, fn)
{
	try {
		const r = await fn();
		ok(true, desc);
		return r;
	} catch (e) {
		ok(false, desc, String(e && e.message || e).split('\n').slice(0, 8).join('\n'));
		return undefined;
	}
}

// ---- money ---------------------------------------------------------

// "$1,234.56" -> 123456 (cents); NaN if it is not such an amount.
function cents(s)
{
	const m = /([0-9][0-9,]*)\.([0-9]{2})/.exec(String(s));
	return m ? Number(m[1].replace(/,/g, '')) * 100 + Number(m[2]) : NaN;
}

// ---- the browser ---------------------------------------------------

const AXE_SOURCE = await readFile(path.join(HERE, 'node_modules', 'axe-core',
    'axe.min.js'), 'utf8');

// Chromium asks every new host for /favicon.ico on its own, once, some
// time after the first page has loaded: whatever that logs is kept here
// and checked once at the end, not against whichever page it lands on.
const faviconErrors = [];

let shot = 0;		// screenshots are numbered in the order visited
let pagesChecked = 0;

// watch PAGE: collect what it logs as errors: console errors (which in
// Chromium include the CSP violation reports, from CDP Log.entryAdded),
// uncaught exceptions, and subresources that failed or answered >= 400.
function watch(page)
{
	page.errors = [];
	page.docStatus = new Map();	// document URL -> its status
	page.on('console', (m) => {
		if (m.type() !== 'error')
			return;
		const loc = m.location();
		const text = m.text();
		const st = /^Failed to load resource: the server responded with a status of (\d+)/.exec(text);
		// A page that is itself an error page (401, 403, 404) is
		// logged by Chromium as a failed resource; go and clickTo
		// check the status of every page.
		if (st && page.docStatus.get(loc.url) === Number(st[1]))
			return;
		if (/\/favicon\.ico$/.test(loc.url)) {
			faviconErrors.push(`console: ${text} (${loc.url})`);
			return;
		}
		page.errors.push(`console: ${text}${loc.url ? ` (${loc.url})` : ''}`);
	});
	page.on('pageerror', (e) => page.errors.push(`page error: ${e.message}`));
	page.on('requestfailed', (r) => {
		// Downloads are aborted as navigations once saved.
		if (r.failure()?.errorText === 'net::ERR_ABORTED' &&
		    /\.(pdf|csv|zip)(\?|$)/.test(r.url()))
			return;
		page.errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
	});
	page.on('response', (r) => {
		if (r.request().resourceType() === 'document')
			page.docStatus.set(r.url(), r.status());
		else if (r.status() >= 400)
			page.errors.push(`${r.status()} for ${r.url()}`);
	});
	return page;
}

// newPage: a fresh context (its own cookies) and page at 1280×800.
async function newPage(browser)
{
	const context = await browser.newContext({
		viewport: WIDE,
		acceptDownloads: true,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	context.setDefaultTimeout(TIMEOUT);
	context.setDefaultNavigationTimeout(TIMEOUT);
	return watch(await context.newPage());
}

// axe PAGE: violations of every rule axe-core runs by default (WCAG 2.x
// A and AA, best practices). The strict CSP (script-src 'self') refuses
// addScriptTag, which inserts an inline <script>; axe is evaluated
// through the DevTools protocol instead, which the page's CSP does not
// govern, so the page's own CSP stays on and enforced.
async function axe(page)
{
	const loaded = await page.evaluate(() => typeof window.axe === 'object');
	if (!loaded)
		await page.evaluate(AXE_SOURCE);
	return await page.evaluate(async () => {
		const r = await window.axe.run(document, {
			resultTypes: ['violations'],
		});
		if (r.passes.length === 0)
			throw new Error('axe passed no rule at all: did it run?');
		return r.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			nodes: v.nodes.map((x) => ({
				target: x.target.join(' '),
				html: x.html.slice(0, 200),
				summary: x.failureSummary,
			})),
		}));
	});
}

function describeViolations(vs)
{
	const out = [];
	for (const v of vs) {
		out.push(`${v.id} (${v.impact}): ${v.help}`);
		for (const x of v.nodes.slice(0, 5)) {
			out.push(`  at ${x.target}: ${x.html}`);
			if (x.summary)
				out.push(...x.summary.split('\n').map((l) => `    ${l}`));
		}
		if (v.nodes.length > 5)
			out.push(`  and ${v.nodes.length - 5} more`);
	}
	return out;
}

function slug(s)
{
	return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

// noteClipped PAGE WHERE: a note (not a test) for every table whose
// scroll box is narrower than the table, naming the columns that are
// out of sight until the reader scrolls it sideways; each once.
async function noteClipped(page, where)
{
	const clipped = await page.evaluate(() => {
		const out = [];
		for (const box of document.querySelectorAll('.table-wrap')) {
			if (box.scrollWidth <= box.clientWidth + 1)
				continue;
			const right = box.getBoundingClientRect().right;
			const hidden = [...box.querySelectorAll('thead th')]
			    .filter((th) => th.getBoundingClientRect().right > right + 1)
			    .map((th) => th.textContent.trim());
			const label = box.getAttribute('aria-labelledby');
			const h = label && document.getElementById(label.split(' ')[0]);
			out.push({
				table: h ? h.textContent.trim() : 'a table',
				px: `${box.scrollWidth} px in ${box.clientWidth} px`,
				hidden: hidden.join(', ') || '(parts of columns)',
			});
		}
		return out;
	}).catch(() => []);
	for (const c of clipped) {
		const key = `${page.viewportSize().width} ${c.table} ${c.hidden}`;
		if (clippedSeen.has(key))
			continue;
		clippedSeen.add(key);
		diag(`layout: ${where}: table "${c.table}" is ${c.px}; ` +
		    `out of sight: ${c.hidden}`);
	}
}
const clippedSeen = new Set();

// check PAGE NAME [EXTRA]: the page as it is now, at both widths: axe
// finds nothing, the page does not scroll sideways on a phone, and
// nothing was logged as an error since the last check. Screenshots of
// both; EXTRA.atWide() runs at 1280×800. Leaves the page at 1280×800.
async function check(page, name, extra = {})
{
	pagesChecked++;
	shot++;
	const base = `${String(shot).padStart(2, '0')}-${slug(name)}`;
	await page.waitForLoadState('load');
	for (const [vp, label] of [[WIDE, '1280×800'], [NARROW, '390×844']]) {
		await page.setViewportSize(vp);
		let vs;
		try {
			vs = await axe(page);
		} catch (e) {
			ok(false, `axe: ${name} at ${label}: no violations`,
			    `axe did not run: ${e.message}`);
			continue;
		}
		ok(vs.length === 0, `axe: ${name} at ${label}: no violations`,
		    ...describeViolations(vs));
		const file = path.join(SHOTS, `${base}-${vp.width}.png`);
		await page.screenshot({ path: file, fullPage: true });
		if (extra.atWide && vp === WIDE)
			await extra.atWide();
		await noteClipped(page, `${name} at ${label}`);
		// A table wider than its frame says so, and only then.
		const hints = await page.evaluate(() =>
		    [...document.querySelectorAll('.table-wrap')].map((e) => {
			const h = e.querySelector('.scroll-hint');
			return {
				table: e.getAttribute('aria-labelledby'),
				over: e.scrollWidth > e.clientWidth,
				shown: h !== null &&
				    getComputedStyle(h).visibility === 'visible' &&
				    h.getBoundingClientRect().height > 0,
			};
		    }));
		for (const h of hints)
			ok(h.over === h.shown, `${name} at ${label}: table ` +
			    `${h.table} ${h.over ? 'overflows and says so' :
			    'fits and shows no scroll hint'}`);
		if (vp === NARROW) {
			const w = await page.evaluate(() => ({
				scroll: document.documentElement.scrollWidth,
				client: document.documentElement.clientWidth,
			}));
			ok(w.scroll <= w.client,
			    `${name} at ${label}: the page does not scroll sideways`,
			    `document is ${w.scroll} px wide in a ${w.client} px viewport`);
		}
	}
	await page.setViewportSize(WIDE);
	const errs = page.errors.splice(0);
	ok(errs.length === 0,
	    `${name}: no console error, page error or CSP violation`, ...errs);
}

// go PAGE URL [STATUS]: navigate; the main document must answer STATUS.
async function go(page, url, status = 200)
{
	const full = url.startsWith('http') ? url : BASE + url;
	const r = await page.goto(full);
	if (!r || r.status() !== status)
		throw new Error(`GET ${url}: ${r ? r.status() : 'no response'}, not ${status}`);
	return r;
}

// clickTo PAGE LOCATOR PATHRE: click, wait for the navigation to a URL
// whose path and query match PATHRE, and a 200 document.
async function clickTo(page, locator, pathRe)
{
	const [resp] = await Promise.all([
		page.waitForNavigation({ url: (u) => pathRe.test(u.pathname + u.search) }),
		locator.click(),
	]);
	if (resp && resp.status() !== 200)
		throw new Error(`${page.url()}: ${resp.status()}`);
}

async function signIn(page, email, password = PASSWORD)
{
	await go(page, '/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await Promise.all([
		page.waitForNavigation(),
		page.getByRole('button', { name: 'Sign in' }).click(),
	]);
}

function nav(page, name)
{
	return page.getByRole('navigation', { name: 'Main' })
	    .getByRole('link', { name, exact: true });
}

function flash(page)
{
	return page.locator('[role="status"]').first();
}

// The subscription row of PRODUCT on the overview.
function subRow(page, product)
{
	return page.locator('table.subs tbody tr')
	    .filter({ has: page.getByRole('rowheader', { name: product, exact: true }) });
}

// The customer credit on the overview, in cents.
async function overviewCredit(page)
{
	const dd = page.locator('.summary-item')
	    .filter({ has: page.locator('dt', { hasText: /^Customer credit$/ }) })
	    .locator('dd .num').first();
	return cents(await dd.textContent());
}

// ---- the journeys ---------------------------------------------------

// 1. The customer's billing admin: details, cancel and keep renewing,
// synchronize with the deployed sensors.
async function customer(browser)
{
	diag('journey 1: the billing admin (billing@demo.test)');
	const page = await newPage(browser);

	await step('the sign-in page answers 200', () => go(page, '/login'));
	await check(page, 'sign-in page');

	await step('billing@demo.test signs in and lands on the overview', async () => {
		await signIn(page, 'billing@demo.test');
		if (new URL(page.url()).pathname !== '/billing')
			throw new Error(`landed on ${page.url()}`);
		await page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
	});
	await check(page, 'overview (billing admin)');

	await step('"Billing details" in the navigation opens the details', () =>
	    clickTo(page, nav(page, 'Billing details'), /^\/billing\/details$/));
	await check(page, 'billing details');

	await step('change the invoice email, add a CC email, save', async () => {
		await page.getByLabel('Invoice email', { exact: true }).fill('finance@acme.test');
		await page.getByLabel('Add a CC email').fill('ap@acme.test');
		await clickTo(page, page.getByRole('button', { name: 'Save billing details' }),
		    /^\/billing\/details\?done=saved$/);
	});
	like(await flash(page).textContent().catch(() => ''), /Billing details saved/,
	    'the page says the details were saved');
	is(await page.getByLabel('Invoice email', { exact: true }).inputValue().catch(() => ''),
	    'finance@acme.test', 'the new invoice email is shown');
	const ccs = await page.locator('input[name="cc_email"]').evaluateAll(
	    (els) => els.map((e) => e.value)).catch(() => []);
	ok(ccs.includes('ap@acme.test'), 'the new CC email is listed',
	    `CC emails shown: ${ccs.join(', ')}`);
	await check(page, 'billing details saved');

	await step('"Overview" in the navigation', () =>
	    clickTo(page, nav(page, 'Overview'), /^\/billing$/));
	const row = subRow(page, 'Temperature sensor');
	await step('"Cancel renewal" on the temperature sensors opens the confirmation', () =>
	    clickTo(page, row.getByRole('link', { name: /^Cancel renewal\s*:\s*Temperature sensor$/ }),
	    /^\/billing\/subscriptions\/cancel\?subscription_id=\d+$/));
	like(await page.locator('h1').textContent().catch(() => ''),
	    /Cancel the renewal of Temperature sensor\?/, 'the confirmation asks in words');
	const end = (/continues until (\d{4}-\d{2}-\d{2})/.exec(
	    await page.locator('main').textContent().catch(() => '')) || [])[1];
	ok(!!end, 'the confirmation says until when the service continues');
	await check(page, 'cancel renewal confirmation');

	await step('confirm "Cancel renewal"', () =>
	    clickTo(page, page.getByRole('button', { name: 'Cancel renewal' }),
	    /^\/billing\?done=cancelled/));
	like(await flash(page).textContent().catch(() => ''),
	    new RegExp(`Renewal cancelled\\. Your service continues until ${end}`),
	    'the overview says the renewal is cancelled, and until when');
	is(await row.getByRole('cell', { name: `Cancels on ${end}`, exact: true }).count()
	    .catch(() => 0), 1, `the status is "Cancels on ${end}"`);
	await check(page, 'overview after cancelling');

	await step('"Keep renewing" takes it back', () =>
	    clickTo(page, row.getByRole('button', { name: /^Keep renewing\s*:\s*Temperature sensor$/ }),
	    /^\/billing\?done=resumed$/));
	like(await flash(page).textContent().catch(() => ''),
	    /will renew automatically again/, 'the overview says it renews again');
	is(await row.getByRole('cell', { name: 'Active', exact: true }).count()
	    .catch(() => 0), 1, 'the status is Active again');
	await check(page, 'overview after keeping the renewal');

	const before = await overviewCredit(page).catch(() => NaN);
	ok(Number.isFinite(before), 'the overview shows the customer credit');

	await step('"Sensors" in the navigation opens the synchronization preview', () =>
	    clickTo(page, nav(page, 'Sensors'), /^\/billing\/sensors\/sync$/));
	const credit = cents(await page.locator('tfoot td').last().textContent().catch(() => ''));
	ok(credit > 0, 'the preview shows a credit', `credit: ${credit}`);
	await check(page, 'sensors synchronization preview');

	await step('"Synchronize now"', () =>
	    clickTo(page, page.getByRole('button', { name: 'Synchronize now' }),
	    /^\/billing\?done=synced$/));
	like(await flash(page).textContent().catch(() => ''),
	    /Synchronized with your deployed sensors/, 'the overview says it synchronized');
	const after = await overviewCredit(page).catch(() => NaN);
	is(after, before + credit,
	    `the overview shows the higher customer credit (${before} + ${credit} cents)`);
	await check(page, 'overview after synchronizing');

	await page.context().close();
}

// 2. The accountant: a month of receipts, one PDF, the month's CSV.
async function accountant(browser)
{
	diag('journey 2: the accountant (accountant@demo.test)');
	const page = await newPage(browser);

	await step('accountant@demo.test signs in and lands on the overview', async () => {
		await signIn(page, 'accountant@demo.test');
		if (new URL(page.url()).pathname !== '/billing')
			throw new Error(`landed on ${page.url()}`);
	});
	await check(page, 'overview (accountant)');

	await step('"Receipts" in the navigation', () =>
	    clickTo(page, nav(page, 'Receipts'), /^\/billing\/receipts$/));
	await check(page, 'receipts');

	// The month before the one shown: the demo bills every month.
	const shown = await page.getByLabel('Month').inputValue().catch(() => '');
	const [y, m] = shown.split('-').map(Number);
	const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
	await step(`pick the month ${prev} and show it`, async () => {
		if (!/^\d{4}-\d{2}$/.test(shown))
			throw new Error(`the month picker shows "${shown}"`);
		await page.getByLabel('Month').fill(prev);
		await clickTo(page, page.getByRole('button', { name: 'Show month' }),
		    new RegExp(`^/billing/receipts\\?period=${prev}$`));
	});
	const rows = await page.locator('table.receipts tbody tr').count().catch(() => 0);
	ok(rows > 0, `the month ${prev} lists documents`, `${rows} rows`);
	await check(page, `receipts of a month`);

	const link = page.locator('table.receipts tbody tr').first()
	    .getByRole('link', { name: /^PDF/ });
	const href = await link.getAttribute('href').catch(() => null);
	const dir = await mkdtemp(path.join(tmpdir(), 'reckon-dl-'));
	await step(`download the PDF ${href}`, async () => {
		const [dl, resp] = await Promise.all([
			page.waitForEvent('download'),
			page.waitForResponse((r) => new URL(r.url()).pathname === href),
			link.click(),
		]);
		is(resp.status(), 200, 'the PDF answers 200');
		is(resp.headers()['content-type'], 'application/pdf',
		    'the PDF has Content-Type application/pdf');
		const file = path.join(dir, dl.suggestedFilename());
		await dl.saveAs(file);
		is(dl.suggestedFilename(), path.basename(href), 'saved under its number');
		const head = (await readFile(file)).subarray(0, 5).toString('latin1');
		is(head, '%PDF-', 'the downloaded file starts with %PDF-');
	});

	const csv = page.getByRole('link', { name: /^Download CSV/ });
	const csvHref = await csv.getAttribute('href').catch(() => null);
	is(csvHref, `/billing/receipts.csv?period=${prev}`, 'a CSV link for the month');
	await step('download the CSV', async () => {
		const [dl, resp] = await Promise.all([
			page.waitForEvent('download'),
			page.waitForResponse((r) => r.url() === BASE + csvHref),
			csv.click(),
		]);
		is(resp.status(), 200, 'the CSV answers 200');
		like(resp.headers()['content-type'], /^text\/csv(;|$)/,
		    'the CSV has Content-Type text/csv');
		const file = path.join(dir, dl.suggestedFilename());
		await dl.saveAs(file);
		const text = await readFile(file, 'utf8');
		is(text.trimEnd().split(/\r\n/).length, rows + 1,
		    'the CSV has a header and one row per document listed');
	});
	await rm(dir, { recursive: true, force: true });
	// The downloads leave the page where it was.
	await check(page, 'receipts after the downloads');

	await page.context().close();
}

// 3. The owner: change the invoice email, see it in the audit log.
async function owner(browser)
{
	diag('journey 3: the owner (owner@demo.test)');
	const page = await newPage(browser);

	await step('owner@demo.test signs in and lands on the overview', async () => {
		await signIn(page, 'owner@demo.test');
		if (new URL(page.url()).pathname !== '/billing')
			throw new Error(`landed on ${page.url()}`);
	});
	// The README's picture: what fits in 1280×800.
	await check(page, 'overview (owner)', {
		atWide: async () => {
			if (!README_SHOT)
				return;
			await mkdir(path.dirname(README_SHOT), { recursive: true });
			await page.screenshot({ path: README_SHOT });
		},
	});

	await step('"Billing details" in the navigation', () =>
	    clickTo(page, nav(page, 'Billing details'), /^\/billing\/details$/));
	const field = page.getByLabel('Invoice email', { exact: true });
	const old = await field.inputValue().catch(() => '');
	like(old, /@/, `the invoice email is ${old}`);
	await step('change the invoice email and save', async () => {
		await field.fill('ledger@acme.test');
		await clickTo(page, page.getByRole('button', { name: 'Save billing details' }),
		    /^\/billing\/details\?done=saved$/);
	});
	is(await field.inputValue().catch(() => ''), 'ledger@acme.test',
	    'the new invoice email is shown');
	await check(page, 'billing details saved (owner)');

	await step('"Audit log" in the navigation', () =>
	    clickTo(page, nav(page, 'Audit log'), /^\/billing\/audit$/));
	// The rows of the audit table as {column header: cell text}.
	const entries = await page.locator('main table').first().evaluate((t) => {
		const heads = [...t.querySelectorAll('thead th')].map((h) => h.textContent.trim());
		return [...t.querySelectorAll('tbody tr')].map((tr) => Object.fromEntries(
		    [...tr.children].map((c, i) => [heads[i], c.textContent.replace(/\s+/g, ' ').trim()])));
	}).catch(() => []);
	const change = entries.find((e) => e.What === 'Invoice email' && e.After === 'ledger@acme.test');
	ok(!!change, 'the audit log has a row: What "Invoice email", After "ledger@acme.test"',
	    ...entries.slice(0, 5).map((e) => JSON.stringify(e)));
	is(change?.Before, old, `with Before "${old}"`);
	is(change?.Who, 'owner@demo.test', 'and Who "owner@demo.test"');
	is(entries.indexOf(change), 0, 'the newest entry comes first');
	await check(page, 'audit log');

	await page.context().close();
}

// 4. The pages nobody aims for: a wrong password, the 403 of a member,
// the error pages of the application and of nginx.
async function others(browser)
{
	diag('the sign-in error, the 403 page, the error pages');
	const page = await newPage(browser);

	await step('a wrong password is refused on the sign-in page', async () => {
		await signIn(page, 'member@demo.test', 'not-the-password');
		await page.getByRole('alert').waitFor();
	});
	await check(page, 'sign-in page, wrong password');

	await step('member@demo.test signs in and gets the 403 page', async () => {
		await signIn(page, 'member@demo.test');
		like(await page.locator('h1').textContent(), /403\s*Access denied/,
		    'the member sees "403 Access denied"');
		like(await page.locator('main').textContent(),
		    /Ask an owner or a billing admin of your organization/,
		    'who to ask for access');
		ok(await page.getByRole('button', { name: 'Sign out' }).count() === 1,
		    'and a way to sign out, not a link back to the same 403');
	});
	await check(page, '403 page (member)');

	await step('a page that does not exist, signed in: the 404 page',
	    () => go(page, '/billing/no-such-page', 404));
	like(await page.locator('h1').textContent().catch(() => ''), /404\s*Page not found/,
	    'it says "Page not found"');
	await check(page, '404 page (application)');
	await page.context().close();

	const anon = await newPage(browser);
	await step('a page that does not exist, signed out: nginx\'s 404 page',
	    () => go(anon, '/no-such-page', 404));
	like(await anon.locator('h1').textContent().catch(() => ''), /404\s*Page not found/,
	    'it says "Page not found"');
	await check(anon, '404 page (nginx)');

	// The watch above would see a CSP violation: an inline script is
	// refused, and reported on the console.
	await go(anon, '/login');
	anon.errors.length = 0;
	let refused = false;
	try {
		await anon.addScriptTag({ content: 'window.reckonInline = 1;' });
	} catch (e) {
		refused = true;
	}
	await anon.waitForTimeout(200);
	ok(refused && !(await anon.evaluate(() => 'reckonInline' in window)),
	    'the CSP refuses an inline script (and so addScriptTag)');
	ok(anon.errors.some((e) => /Content Security Policy/.test(e)),
	    'and the refusal is caught as a CSP violation on the console',
	    ...anon.errors);

	// And axe does find what it should: a field without a label.
	await anon.evaluate(() => {
		const i = document.createElement('input');
		i.type = 'text';
		document.querySelector('main').append(i);
	});
	const vs = await axe(anon).catch((e) => [{ id: `error: ${e.message}` }]);
	ok(vs.some((v) => v.id === 'label'),
	    'axe reports a field without a label (rule "label")',
	    `violations: ${vs.map((v) => v.id).join(', ') || 'none'}`);
	await anon.context().close();
}

// ---- main -----------------------------------------------------------

if (!BASE) {
	console.log('not ok 1 - BASE is set (the URL of a running Reckon)');
	process.exit(1);
}
const started = Date.now();
// Never outlive the runner's own limit with a browser left behind.
setTimeout(() => {
	ok(false, 'the journeys end within 240 s');
	process.exit(1);
}, 240000).unref();
await rm(SHOTS, { recursive: true, force: true });
await mkdir(SHOTS, { recursive: true });

let browser;
try {
	browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		// launch() gives the browser a fresh, temporary user data
		// directory of its own and removes it at close.
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
		    '--no-first-run', '--disable-background-networking',
		    '--disable-component-update', '--disable-sync'],
		timeout: 60000,
	});
	ok(true, `Chromium ${browser.version()} starts headless`);
} catch (e) {
	ok(false, `Chromium starts headless (${CHROMIUM})`, e.message);
}

if (browser) {
	for (const journey of [customer, accountant, owner, others]) {
		try {
			await journey(browser);
		} catch (e) {
			ok(false, `${journey.name}: the journey ran to its end`,
			    String(e.stack || e));
		}
	}
	await browser.close();
	ok(faviconErrors.length === 0,
	    "the browser's own request for /favicon.ico logs no error",
	    ...faviconErrors);
}

diag(`${pagesChecked} pages checked at 2 widths, ${shot * 2} screenshots in ` +
    `${path.relative(process.cwd(), SHOTS) || '.'}, ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s`);
if (process.env.RECKON_TAP_NO_PLAN !== '1')
	console.log(`1..${n}`);
process.exit(failed > 0 ? 1 : 0);
