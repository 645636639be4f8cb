// Time to first frame of a video page in headless Chromium with the network throttled.
// node end2end/bench/first-frame.mjs URL [kbit/s] [runs]
import { chromium } from 'playwright-core';
const [url, kbps = '4000', runs = '5'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
const times = [];
const sinceNav = [];
for (let i = 0; i < Number(runs); i++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const bytes = (Number(kbps) * 1000) / 8;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: bytes, uploadThroughput: bytes });
  await page.goto(url);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120000 });
  const ms = await page.evaluate(() => new Promise((resolve) => {
    const v = document.querySelector('video');
    const t0 = performance.now();
    const done = () => resolve([performance.now() - t0, performance.now()]);
    if ('requestVideoFrameCallback' in v) v.requestVideoFrameCallback(done); else v.addEventListener('playing', done, { once: true });
    v.muted = true;
    v.play();
  }));
  times.push(ms[0]);
  sinceNav.push(ms[1]);
  await ctx.close();
}
const stat = (a) => { a.sort((x, y) => x - y); return `median ${a[Math.floor(a.length / 2)].toFixed(0)}, min ${a[0].toFixed(0)}, max ${a[a.length - 1].toFixed(0)}`; };
console.log(`first frame at ${kbps} kbit/s, ${runs} runs: from play() ${stat(times)} ms; from navigation start (page, WASM, then video) ${stat(sinceNav)} ms`);
await browser.close();
