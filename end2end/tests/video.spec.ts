import { Page } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test, expect, uniqueEmail, goto, hydrated, apiUser } from './helpers';

// Test videos are made with ffmpeg here; nothing binary is kept in the repository.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorium-video-'));
function makeVideo(name: string, seconds: number, bitrate = '2M', noisy = false): string {
  const out = path.join(dir, name);
  if (!fs.existsSync(out)) {
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${seconds}${noisy ? ',noise=alls=60:allf=t+u' : ''}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', bitrate, '-c:a', 'aac', '-shortest', out,
    ]);
  }
  return out;
}

async function tutorOnStudio(page: Page) {
  await apiUser(page.request, uniqueEmail('videotutor'), 'Video Tutor', 'tutor');
  await goto(page, '/studio/videos');
  await expect(page.getByRole('heading', { name: 'My videos' })).toBeVisible();
  await expect(page.getByText('up to 2 GB and 3 hours')).toBeVisible();
  // What the tutor keeps, against the quota (STORAGE_QUOTA_MB, 10 GiB by default).
  await expect(page.getByText(/^Storage: .+ of 10\.0 GB used \(videos and lesson files\)\.$/)).toBeVisible();
}

test('a tutor uploads a video, sees it processed, and it plays', async ({ page }) => {
  test.setTimeout(120_000);
  await tutorOnStudio(page);
  await page.getByLabel('Video file').setInputFiles(makeVideo('lesson.mp4', 6));
  await expect(page.getByRole('status').filter({ hasText: '100%' })).toBeVisible();
  const row = page.getByRole('listitem').filter({ hasText: 'lesson.mp4' });
  await expect(row.getByTestId('video-status')).toHaveText(/Processing|Ready/);
  await expect(row.getByTestId('video-status')).toHaveText('Ready', { timeout: 90_000 });
  // The stored video counts: the studio says how much is used once it reloads.
  await goto(page, '/studio/videos');
  await expect(page.getByText(/^Storage: \d+(\.\d)? (KB|MB) of 10\.0 GB used/)).toBeVisible();
  await expect(page.getByText('Storage: 0 KB of 10.0 GB used (videos and lesson files).')).toHaveCount(0);
  // hls.js (~150 kB) is never part of the page: a browser that plays HLS itself (this Chromium
  // does) streams the ladder natively; others fetch hls.js on the first play (below).
  const hlsJs: string[] = [];
  page.on('request', (r) => { if (r.url().includes('hls.min.js')) hlsJs.push(r.url()); });
  await row.getByRole('link', { name: 'lesson.mp4' }).click();
  await hydrated(page);
  const watchUrl = page.url();
  const player = page.getByRole('figure', { name: 'Video player' });
  await expect(player.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(player.getByLabel('Quality')).toBeVisible();
  await player.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => {
    const v = document.querySelector('video');
    return !!v && v.readyState >= 2 && v.currentTime > 0.2;
  }, undefined, { timeout: 30_000 });
  await expect(player.getByRole('button', { name: 'Pause' })).toBeVisible();
  const nativeHls = await page.evaluate(() => document.createElement('video').canPlayType('application/vnd.apple.mpegurl') !== '');
  if (nativeHls) expect(await page.evaluate(() => document.querySelector('video')!.currentSrc)).toContain('/hls/master.m3u8');
  expect(hlsJs, 'hls.js is not fetched where HLS is native').toHaveLength(nativeHls ? 0 : 1);
  // Keyboard: space pauses.
  await player.focus();
  await page.keyboard.press(' ');
  await expect(player.getByRole('button', { name: 'Play' })).toBeVisible();
  // Quality: choose the 360p rendition.
  await player.getByLabel('Quality').selectOption({ label: '360p' });
  await expect(player.getByLabel('Quality')).toHaveValue('0');

  // A browser without HLS of its own: nothing of hls.js until play, then it is fetched once and
  // streams the ladder (a MediaSource) from where the MP4 was.
  const other = await page.context().newPage();
  await other.addInitScript(() => {
    const own = HTMLMediaElement.prototype.canPlayType;
    HTMLMediaElement.prototype.canPlayType = function (type: string) {
      return /mpegurl/i.test(type) ? '' : own.call(this, type);
    };
  });
  const fetched: string[] = [];
  other.on('request', (r) => { if (r.url().includes('hls.min.js')) fetched.push(r.url()); });
  await other.goto(watchUrl);
  await hydrated(other);
  const second = other.getByRole('figure', { name: 'Video player' });
  await expect(second.getByRole('button', { name: 'Play' })).toBeVisible();
  expect(await other.evaluate(() => document.querySelector('video')!.currentSrc)).toMatch(/\.mp4/);
  expect(fetched).toEqual([]);
  await second.getByRole('button', { name: 'Play' }).click();
  await other.waitForFunction(() => {
    const v = document.querySelector('video');
    return !!v && v.currentSrc.startsWith('blob:') && v.readyState >= 2;
  }, undefined, { timeout: 30_000 });
  expect(fetched).toHaveLength(1);
  await other.close();
});

test('bad files are refused with a clear message', async ({ page }) => {
  await tutorOnStudio(page);
  const text = path.join(dir, 'notes.mp4');
  fs.writeFileSync(text, 'just text, not a video\n'.repeat(100));
  await page.getByLabel('Video file').setInputFiles(text);
  await expect(page.getByRole('alert')).toHaveText('This file is not a video we can read.');
  const audio = path.join(dir, 'sound.mp4');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:a', 'aac', audio]);
  await page.getByLabel('Video file').setInputFiles(audio);
  await expect(page.getByRole('alert')).toHaveText('This file has no video stream (only sound?).');
  await expect(page.getByText('No videos yet.')).toBeVisible();
});

test('an interrupted upload resumes where it stopped', async ({ page, context }) => {
  test.setTimeout(120_000);
  await tutorOnStudio(page);
  const big = makeVideo('big.mp4', 8, '24M', true); // ~24 MB of noise: three 8 MB chunks
  // The second chunk's connection fails once.
  let failed = false;
  await page.route('**/api/videos/uploads/*', async (route) => {
    const req = route.request();
    if (req.method() === 'PATCH' && req.headers()['upload-offset'] !== '0' && !failed) {
      failed = true;
      await route.abort('connectionreset');
      return;
    }
    await route.continue();
  });
  // Slow the upload so the reload lands in the middle of it.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 5, downloadThroughput: 50e6, uploadThroughput: 3e6 });
  await page.getByLabel('Video file').setInputFiles(big);
  await expect(page.getByText('connection lost, retrying…')).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => failed).toBe(true);
  // Wait for at least two chunks to be stored, then reload the tab.
  await expect(page.getByRole('status').filter({ hasText: /(6[7-9]|[7-9]\d)%/ })).toBeVisible({ timeout: 60_000 });
  await page.reload();
  await hydrated(page);
  await page.getByLabel('Video file').setInputFiles(big);
  await expect(page.getByRole('status').filter({ hasText: /resumed at 1[6-9]\.\d|resumed at 2\d\.\d/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '100%' })).toBeVisible({ timeout: 60_000 });
  const row = page.getByRole('listitem').filter({ hasText: 'big.mp4' });
  await expect(row).toHaveCount(1);
});
