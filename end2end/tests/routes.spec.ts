import { test, expect, goto } from './helpers';

// Every page is a lazy route: its code is in a WASM chunk of its group (app/src/routes.rs).
// Opened by URL, the server names the chunks the page uses (<link rel="preload">) and the page
// hydrates once they are in; reached inside the app, only that group's chunks are fetched, once,
// and the page is not reloaded.
// (The other specs open pages by URL and by clicking through the app; this one checks the
// mechanics on the pages everyone can see.)

const pages: [string, string][] = [
  ['/', 'Learn from people who love teaching'],
  ['/courses', 'Courses'],
  ['/feed', 'Feed'],
  ['/tutors', 'Tutors'],
  ['/login', 'Welcome back'],
  ['/signup', 'Create your account'],
  ['/forgot-password', 'Forgot your password?'],
];

for (const [url, heading] of pages) {
  test(`${url} opened by URL preloads its chunks and hydrates`, async ({ page }) => {
    const fetched: string[] = [];
    page.on('request', (r) => {
      const p = new URL(r.url()).pathname;
      if (p.endsWith('.wasm')) fetched.push(p);
    });
    const res = await page.goto(url);
    const html = await res!.text();
    await expect(page.locator('body[data-hydrated="true"]')).toBeAttached({ timeout: 30_000 });
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeAttached();
    // The server named the page's chunks in the head, so the browser fetched them alongside the
    // main module: every WASM module the page loaded was announced.
    const preloaded = [...html.matchAll(/<link[^>]*rel="preload"[^>]*>/g)]
      .map((m) => /href="([^"]+)"/.exec(m[0])?.[1] ?? '');
    expect(preloaded.some((h) => /^\/pkg\/split_[^/]+\.wasm$/.test(h)), preloaded.join(', ')).toBe(true);
    await page.waitForLoadState('networkidle');
    expect(fetched.filter((p) => !preloaded.includes(p)), 'fetched without a preload').toEqual([]);
  });
}

test('moving between pages inside the app fetches only their chunks, once', async ({ page }) => {
  await goto(page, '/');
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => { (window as any).__stillTheSamePage = true; });
  // [link, url, whether its group's chunk is new]: the feed is in another group than the home
  // page; the catalog and the tutors are in the home page's group, already loaded.
  const steps: [string, string, boolean][] = [
    ['Feed', '/feed', true], ['Courses', '/courses', false], ['Tutors', '/tutors', false],
  ];
  for (const [link, url, fresh] of steps) {
    const fetched: string[] = [];
    const onRequest = (r: { url(): string }) => {
      const p = new URL(r.url()).pathname;
      if (/\.(wasm|js)$/.test(p)) fetched.push(p);
    };
    page.on('request', onRequest);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
    await expect(page).toHaveURL(url);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeAttached();
    await page.waitForLoadState('networkidle');
    page.off('request', onRequest);
    expect(fetched.some((p) => /^\/pkg\/split_[^/]+\.wasm$/.test(p)), `${url}: ${fetched.join(', ')}`).toBe(fresh);
    expect(fetched.filter((p) => !/^\/pkg\/(split|chunk)_[^/]+\.wasm$/.test(p)), `${url}: only chunks`).toEqual([]);
  }
  expect(await page.evaluate(() => (window as any).__stillTheSamePage)).toBe(true);
  // Back to the feed, whose chunk is loaded: nothing is fetched again.
  const again: string[] = [];
  page.on('request', (r) => { if (/\.wasm$/.test(new URL(r.url()).pathname)) again.push(r.url()); });
  await page.goBack();
  await page.goBack();
  await expect(page).toHaveURL('/feed');
  await expect(page.getByRole('heading', { level: 1, name: 'Feed' })).toBeAttached();
  await page.waitForLoadState('networkidle');
  expect(again).toEqual([]);
});
