import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test, expect, uniqueEmail, goto, hydrated, apiUser, watchErrors } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorium-feed-'));
function clip(): string {
  const out = path.join(dir, 'fractions.mp4');
  if (!fs.existsSync(out)) {
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=4', '-f', 'lavfi', '-i', 'sine=duration=4',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', out]);
  }
  return out;
}

test('a tutor posts a video; a student follows, likes, comments, and sees the reply arrive', async ({ browser }) => {
  test.setTimeout(150_000);
  const tutorCtx = await browser.newContext();
  const tutor = await tutorCtx.newPage();
  const tutorErrors = watchErrors(tutor);
  await apiUser(tutorCtx.request, uniqueEmail('feedtutor'), 'Feed Tutor', 'tutor');
  await goto(tutor, '/studio/videos');
  await tutor.getByLabel('Video file').setInputFiles(clip());
  await expect(tutor.getByTestId('video-status')).toHaveText('Ready', { timeout: 90_000 });

  await goto(tutor, '/feed');
  await tutor.getByLabel('What are you teaching today?').fill('Fractions in **four** seconds');
  await tutor.getByLabel('Tags (up to 5)').fill('math, fractions');
  await tutor.getByLabel('Video', { exact: true }).selectOption({ label: 'fractions.mp4' });
  await tutor.getByRole('button', { name: 'Publish' }).click();
  await expect(tutor).toHaveURL(/\/posts\/\d+$/);
  const tutorPost = tutor.getByRole('article').filter({ hasText: 'Fractions in four seconds' });
  await expect(tutorPost).toBeVisible();
  await expect(tutorPost.getByRole('link', { name: '#fractions' })).toBeVisible();
  await expect(tutorPost.locator('video')).toHaveCount(1);

  const studentCtx = await browser.newContext();
  const student = await studentCtx.newPage();
  const studentErrors = watchErrors(student);
  await apiUser(studentCtx.request, uniqueEmail('feedstudent'), 'Feed Student');
  await goto(student, '/u/feed-tutor');
  await student.getByRole('button', { name: 'Follow' }).click();
  await expect(student.getByRole('button', { name: 'Following' })).toBeVisible();
  await goto(student, '/feed?tab=following');
  const post = student.getByRole('article').filter({ hasText: 'Fractions in four seconds' });
  await expect(post).toBeVisible();
  await post.getByRole('button', { name: 'Like' }).click();
  await expect(post.getByTestId('like-count')).toHaveText('1 like');
  await post.getByRole('link', { name: '0 comments' }).click();
  await hydrated(student);
  await student.getByLabel('Add a comment').fill('What about mixed numbers?');
  await student.getByRole('button', { name: 'Comment' }).click();
  await expect(student.getByText('What about mixed numbers?')).toBeVisible();
  const before = await student.getByTestId('unread-count').count();
  expect(before).toBe(0);

  // The tutor replies; the student's bell shows it without a reload.
  await goto(tutor, await student.url().replace(/^https?:\/\/[^/]+/, '').replace(/#.*$/, ''));
  const comment = tutor.getByRole('listitem').filter({ hasText: 'What about mixed numbers?' });
  await comment.getByRole('button', { name: 'Reply' }).click();
  await tutor.getByLabel('Your reply').fill('Next lesson!');
  await tutor.getByRole('button', { name: 'Reply' }).last().click();
  await expect(tutor.getByText('Next lesson!')).toBeVisible();
  await expect(student.getByTestId('unread-count')).toHaveText('1', { timeout: 15_000 });
  await student.getByRole('link', { name: /Notifications/ }).click();
  await expect(student.getByRole('link', { name: 'Feed Tutor replied to your comment' })).toBeVisible();
  expect([...tutorErrors, ...studentErrors]).toEqual([]);
  await tutorCtx.close();
  await studentCtx.close();
});

test('infinite scroll loads the next page without duplicates', async ({ page, request }) => {
  await apiUser(request, uniqueEmail('scroll'), 'Scroll Tutor', 'tutor');
  for (let i = 0; i < 14; i++) {
    const r = await request.post('/api/feed/create', { form: { body: `Scroll post ${i}`, tags: 'scroll' } });
    expect(r.status()).toBe(200);
  }
  await goto(page, '/tags/scroll');
  await expect(page.getByRole('article')).toHaveCount(10);
  await page.getByRole('link', { name: 'More posts' }).scrollIntoViewIfNeeded();
  await expect(page.getByRole('article')).toHaveCount(14);
  const texts = await page.getByRole('article').allInnerTexts();
  const ids = texts.map((t) => t.match(/Scroll post (\d+)/)![1]);
  expect(new Set(ids).size).toBe(14);
  await expect(page.getByRole('link', { name: 'More posts' })).toHaveCount(0);
});

test('a post page without JavaScript still shows the post', async ({ browser, request }) => {
  await apiUser(request, uniqueEmail('nojs'), 'NoJs Tutor', 'tutor');
  const r = await request.post('/api/feed/create', { form: { body: 'Readable _without_ scripts', tags: 'nojs' } });
  const id = await r.json();
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(`/posts/${id}`);
  await expect(page).toHaveTitle('NoJs Tutor: Readable without scripts · Tutorium');
  await expect(page.getByRole('article')).toContainText('Readable without scripts');
  await expect(page.getByRole('link', { name: '#nojs' })).toBeVisible();
  await ctx.close();
});
