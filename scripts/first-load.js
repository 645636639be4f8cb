#!/usr/bin/env node
// First load of each public route, as a visitor opening it by URL with a cold cache:
// the bytes of WASM, JS and CSS transferred (encoded, i.e. brotli where the server sends it),
// and — with --slow — the time until the page is hydrated on a slow phone (1.6 Mbit/s down,
// 750 kbit/s up, 150 ms latency, CPU ×4, 412 px wide).
//
//   node scripts/first-load.js http://127.0.0.1:3000 [--slow] [--json out.json] [--budget F] [/more/paths …]
//   node scripts/first-load.js http://127.0.0.1:3000 --list   (only the routes, "name<TAB>path" lines)
//
// --budget F (scripts/first-load-budget.json) fails the run when a route's WASM + JS or CSS is
// over its budget, when a page reports an error, or when a client-side navigation (home → the
// feed through the header link) fetches anything but that route's chunks.
//
// Routes with an id (a course, a lesson, a profile, a post, a tag, a certificate) are taken
// from the site itself (the catalog, the feed, the sitemap), so run it against `tutorium demo`
// data. Needs Chromium (CHROME_PATH, default /usr/bin/chromium) and end2end's playwright-core.
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', 'end2end', 'node_modules', 'playwright-core'));

const args = process.argv.slice(2);
const base = (args.find((a) => /^https?:/.test(a)) || 'http://127.0.0.1:3000').replace(/\/$/, '');
const slow = args.includes('--slow');
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const jsonOut = flag('--json');
const budgetFile = flag('--budget');
const valueOf = new Set([jsonOut, budgetFile]);

async function routes(browser) {
  const ctx = await browser.newContext();
  const get = async (p) => (await ctx.request.get(base + p)).text();
  const sitemap = await get('/sitemap.xml');
  const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  const first = (re) => locs.find((p) => re.test(p));
  const course = first(/^\/courses\/[^/]+$/);
  const out = { home: '/', catalog: '/courses', feed: '/feed', tutors: '/tutors', login: '/login', signup: '/signup' };
  if (course) {
    out.course = course;
    const html = await get(course);
    const lesson = html.match(/href="(\/learn\/[^"]+)"/);
    if (lesson) out['lesson preview'] = lesson[1];
  }
  const profile = first(/^\/u\/[^/]+$/);
  if (profile) out.profile = profile;
  const post = first(/^\/posts\/\d+$/);
  if (post) out.post = post;
  const tag = first(/^\/tags\//);
  if (tag) out.tag = tag;
  const cert = first(/^\/certificates\/[A-Z0-9-]+$/);
  if (cert) out.certificate = cert;
  // Paths given on the command line (e.g. a certificate's page, which the sitemap leaves out).
  for (const p of args.filter((a) => a.startsWith('/') && !valueOf.has(a))) out[p.startsWith('/certificates/') ? 'certificate' : p.split('/')[1] || p] = p;
  await ctx.close();
  return out;
}

async function measure(browser, url) {
  const ctx = await browser.newContext({ viewport: { width: 412, height: 823 } });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (slow) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  const types = new Map();
  const bytes = { wasm: 0, js: 0, css: 0, other: 0 };
  const files = [];
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    const u = types.get(e.requestId) || '';
    const p = new URL(u, base).pathname;
    const kind = p.endsWith('.wasm') ? 'wasm' : p.endsWith('.js') ? 'js' : p.endsWith('.css') ? 'css' : 'other';
    bytes[kind] += e.encodedDataLength;
    if (kind !== 'other') files.push([p, e.encodedDataLength]);
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const t0 = Date.now();
  await page.goto(base + url, { waitUntil: 'commit' });
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120_000 });
  const hydratedMs = Date.now() - t0;
  await page.waitForLoadState('networkidle');
  await ctx.close();
  return { url, ...bytes, critical: bytes.wasm + bytes.js, hydratedMs, files, errors };
}

/** Opens `/`, then follows the header's "Feed" link inside the app (another group of pages,
 * app/src/routes.rs): what that fetches. */
async function navigation(browser) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(base + '/');
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120_000 });
  await page.waitForLoadState('networkidle');
  const fetched = [];
  page.on('request', (r) => { if (/\.(wasm|js)$/.test(new URL(r.url()).pathname)) fetched.push(new URL(r.url()).pathname); });
  await page.evaluate(() => { window.__stillTheSamePage = true; });
  await page.locator('.site-nav a[href="/feed"]').click();
  await page.waitForURL(base + '/feed');
  await page.waitForLoadState('networkidle');
  await page.locator('h1').first().waitFor({ state: 'attached' });
  const reloaded = !(await page.evaluate(() => window.__stillTheSamePage === true));
  await ctx.close();
  return { fetched, errors, reloaded };
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const list = await routes(browser);
  if (args.includes('--list')) {
    for (const [name, url] of Object.entries(list)) console.log(`${name}\t${url}`);
    await browser.close();
    return;
  }
  const rows = [];
  for (const [name, url] of Object.entries(list)) {
    const r = await measure(browser, url);
    rows.push({ name, ...r });
    const kb = (n) => (n / 1000).toFixed(1).padStart(7);
    console.log(`${name.padEnd(15)} ${url.padEnd(38)} wasm ${kb(r.wasm)} kB  js ${kb(r.js)} kB  css ${kb(r.css)} kB  ` +
      `wasm+js ${kb(r.critical)} kB` + (slow ? `  hydrated ${(r.hydratedMs / 1000).toFixed(2)} s` : '') +
      (r.errors.length ? `  ERRORS: ${r.errors.join(' | ')}` : ''));
  }
  const nav = await navigation(browser);
  console.log(`client-side navigation / → /feed fetched: ${nav.fetched.join(', ') || 'nothing'}` +
    (nav.errors.length ? `  ERRORS: ${nav.errors.join(' | ')}` : ''));
  if (jsonOut) require('fs').writeFileSync(jsonOut, JSON.stringify({ routes: rows, navigation: nav }, null, 2));
  await browser.close();
  if (budgetFile) {
    const budget = JSON.parse(require('fs').readFileSync(budgetFile, 'utf8'));
    const fail = [];
    for (const r of rows) {
      const max = budget.routes[r.name] ?? budget.default;
      if (r.critical > max) fail.push(`${r.name} (${r.url}): WASM + JS ${r.critical} B > budget ${max} B`);
      if (r.css > budget.css) fail.push(`${r.name} (${r.url}): CSS ${r.css} B > budget ${budget.css} B`);
      if (r.errors.length) fail.push(`${r.name} (${r.url}): errors in the page: ${r.errors.join(' | ')}`);
    }
    for (const name of Object.keys(budget.routes)) {
      if (!rows.some((r) => r.name === name)) fail.push(`${name}: in the budget but not measured (no such page in the data?)`);
    }
    if (nav.reloaded) fail.push('navigation / → /feed reloaded the page instead of routing in the app');
    if (!nav.fetched.some((p) => /\/split_[^/]*\.wasm$/.test(p)) ||
        nav.fetched.some((p) => !/\/(split|chunk)_[^/]*\.wasm$/.test(p))) {
      fail.push(`navigation / → /feed should fetch only the feed's chunks, fetched: ${nav.fetched.join(', ') || 'nothing'}`);
    }
    if (nav.errors.length) fail.push(`navigation / → /feed: errors in the page: ${nav.errors.join(' | ')}`);
    if (fail.length) {
      console.error('\nfirst-load budget exceeded:\n  ' + fail.join('\n  '));
      process.exit(1);
    }
    console.log(`\nok: every route within its budget (${budgetFile})`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
