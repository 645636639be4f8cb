import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Page } from '@playwright/test';
import { test, expect, uniqueEmail, goto, hydrated, apiUser, watchErrors, grantRole, confirmationCode, PASSWORD, totp } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tutorium-courses-'));
/** A 20-second clip, long enough for the player to resume in the middle. */
function clip(): string {
  const out = path.join(dir, 'first-program.mp4');
  if (!fs.existsSync(out)) {
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=20', '-f', 'lavfi', '-i', 'sine=duration=20',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', out]);
  }
  return out;
}

const TITLE = 'Основы программирования на Python';

async function addLesson(page: Page, section: number, title: string) {
  const s = page.locator('.outline__section').nth(section);
  await s.getByLabel('New lesson').fill(title);
  await s.getByRole('button', { name: 'Add lesson' }).click();
  await expect(page.getByRole('button', { name: `Edit lesson «${title}»` })).toBeVisible();
}

async function openLesson(page: Page, title: string) {
  const edit = page.getByRole('button', { name: `Edit lesson «${title}»` });
  if ((await edit.getAttribute('aria-expanded')) !== 'true') await edit.click();
  await expect(page.getByLabel('Lesson title')).toHaveValue(title);
}

async function saveLesson(page: Page) {
  await page.getByRole('button', { name: 'Save lesson' }).click();
  await expect(page.getByText('Lesson saved.')).toBeVisible();
}

async function lessonOrder(page: Page): Promise<string[]> {
  return page.locator('.outline__title').allTextContents();
}

test('a tutor builds a course, a moderator returns then approves it, a student finds, previews, enrolls, learns and resumes', async ({ browser }) => {
  test.setTimeout(240_000);
  // ---- the tutor builds the course ----
  const tutorCtx = await browser.newContext();
  const tutor = await tutorCtx.newPage();
  const errors = watchErrors(tutor);
  await apiUser(tutorCtx.request, uniqueEmail('coursetutor'), 'Course Tutor', 'tutor');
  await goto(tutor, '/studio/courses');
  await tutor.getByText('New course', { exact: true }).click();
  await tutor.getByLabel('Title').fill(TITLE);
  await tutor.getByLabel('Category').selectOption({ label: 'Programming' });
  await tutor.getByLabel('Language of the course').selectOption({ label: 'Русский' });
  await tutor.getByRole('button', { name: 'Create and continue' }).click();
  await expect(tutor).toHaveURL(/\/studio\/courses\/\d+$/);
  await hydrated(tutor);
  const editorUrl = tutor.url();
  await tutor.getByLabel('Description').fill('Курс для тех, кто начинает **программировать**: переменные, условия и первые программы.');
  await tutor.getByLabel('What learners will learn (one per line)').fill('Писать первые программы\nПонимать переменные');
  await tutor.getByRole('button', { name: 'Save details' }).click();
  await expect(tutor.getByText('Saved.')).toBeVisible();

  await tutor.getByLabel('New section').fill('Введение');
  await tutor.getByRole('button', { name: 'Add section' }).click();
  await expect(tutor.getByRole('textbox', { name: 'Section title' })).toHaveValue('Введение');

  await tutor.getByLabel('New section').fill('Практика');
  await tutor.getByRole('button', { name: 'Add section' }).click();
  await expect(tutor.getByRole('textbox', { name: 'Section title' })).toHaveCount(2);
  await addLesson(tutor, 0, 'Что такое программирование');
  await addLesson(tutor, 0, 'Первая программа');
  await addLesson(tutor, 1, 'Задачи');

  // The first lesson is a free preview.
  await openLesson(tutor, 'Что такое программирование');
  await tutor.getByLabel('Lesson text').fill('Программа — это **инструкция** для компьютера.');
  await tutor.getByLabel('Free preview: anyone can open this lesson').check();
  await saveLesson(tutor);
  // The second has a video, uploaded from the lesson editor.
  await openLesson(tutor, 'Первая программа');
  await tutor.getByLabel('Lesson text').fill('Напишем `print("Привет")`.');
  await tutor.getByText('Upload a new video for this lesson').click();
  await tutor.getByLabel('Video file').setInputFiles(clip());
  await expect(tutor.locator('.outline__lesson').filter({ hasText: 'Первая программа' }).getByText('video', { exact: true })).toBeVisible({ timeout: 60_000 });
  // The learner opens this lesson later: the transcode must be done by then, however busy the
  // machine is (the outline shows the video as soon as it is attached, before it is processed).
  await expect
    .poll(async () => {
      const r = await tutor.request.post('/api/videos/mine', { form: {} });
      const list = (await r.json()) as { status: string }[];
      return list.map((v) => v.status).join(',');
    }, { timeout: 180_000 })
    .toBe('Ready');

  // Keyboard reordering: "Задачи" up into the first section, then back down.
  expect(await lessonOrder(tutor)).toEqual(['Что такое программирование', 'Первая программа', 'Задачи']);
  await tutor.getByRole('button', { name: 'Move lesson «Задачи». Alt+↑/↓' }).focus();
  await tutor.keyboard.press('Alt+ArrowUp');
  await expect(tutor.locator('.outline__section').first().locator('.outline__title')).toHaveText(['Что такое программирование', 'Первая программа', 'Задачи']);
  await expect(tutor.getByRole('button', { name: 'Move lesson «Задачи». Alt+↑/↓' })).toBeFocused();
  await tutor.keyboard.press('Alt+ArrowUp');
  await expect(tutor.locator('.outline__section').first().locator('.outline__title')).toHaveText(['Что такое программирование', 'Задачи', 'Первая программа']);
  await tutor.keyboard.press('Alt+ArrowDown');
  await tutor.keyboard.press('Alt+ArrowDown');
  await expect(tutor.locator('.outline__section').nth(1).locator('.outline__title')).toHaveText(['Задачи']);
  // The order is saved: it survives a reload.
  await goto(tutor, editorUrl);
  expect(await lessonOrder(tutor)).toEqual(['Что такое программирование', 'Первая программа', 'Задачи']);

  await tutor.getByRole('button', { name: 'Send for review' }).click();
  await expect(tutor.getByRole('heading', { name: 'Status: In review' })).toBeVisible();

  // ---- the moderator returns it with feedback ----
  const modEmail = uniqueEmail('moderator');
  const modCtx = await browser.newContext();
  const mod = await modCtx.newPage();
  const modErrors = watchErrors(mod);
  await apiUser(modCtx.request, modEmail, 'Course Moderator');
  grantRole(modEmail, 'moderator');
  await goto(mod, '/moderation/courses');
  // Staff tools need two-factor authentication: the new moderator sets it up with an app.
  await expect(mod.getByRole('heading', { name: 'Two-factor authentication required' })).toBeVisible();
  await mod.getByRole('link', { name: 'Open security settings' }).click();
  await mod.getByRole('button', { name: 'Set up two-factor authentication' }).click();
  await expect(mod.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await mod.getByLabel('secret key').textContent())!;
  await mod.getByLabel('Code from your app').fill(totp(secret));
  await mod.getByRole('button', { name: 'Turn on' }).click();
  await expect(mod.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  await expect(mod.getByRole('list', { name: 'recovery codes' }).getByRole('listitem')).toHaveCount(10);
  await expect(mod.getByText('On', { exact: true })).toBeVisible();
  await goto(mod, '/moderation/courses');
  await mod.getByRole('link', { name: TITLE }).click();
  await hydrated(mod);
  await expect(mod.getByRole('heading', { name: 'Review' })).toBeVisible();
  await mod.getByLabel('Feedback for the author').fill('Добавьте текст к уроку «Задачи».');
  await mod.getByRole('button', { name: 'Return to the author' }).click();
  await expect(mod.getByText('The course is returned to the author with your feedback.')).toBeVisible();

  // ---- the tutor fixes it and resubmits ----
  await goto(tutor, editorUrl);
  await expect(tutor.getByText('Добавьте текст к уроку «Задачи».')).toBeVisible();
  await expect(tutor.getByRole('heading', { name: 'Status: Draft' })).toBeVisible();
  await openLesson(tutor, 'Задачи');
  await tutor.getByLabel('Lesson text').fill('1. Выведите своё имя.\n2. Сложите два числа.');
  await saveLesson(tutor);
  await tutor.getByRole('button', { name: 'Send for review' }).click();
  await expect(tutor.getByRole('heading', { name: 'Status: In review' })).toBeVisible();

  // ---- the moderator approves ----
  await goto(mod, '/moderation/courses');
  await mod.getByRole('link', { name: TITLE }).click();
  await hydrated(mod);
  await mod.getByRole('button', { name: 'Approve and publish' }).click();
  await expect(mod.getByText('The course is published. The author is notified.')).toBeVisible();
  await expect(mod.getByText('The queue is empty.')).toBeVisible();

  // ---- a visitor finds it by a Russian word form and previews the free lesson ----
  const studentCtx = await browser.newContext();
  const student = await studentCtx.newPage();
  const studentErrors = watchErrors(student);
  await goto(student, '/courses');
  await student.getByLabel('Search courses').fill('программированию');
  await student.getByLabel('Search courses').press('Enter');
  await expect(student).toHaveURL(/q=/);
  await expect(student.getByText('1 course found')).toBeVisible();
  await student.getByRole('link', { name: new RegExp(TITLE) }).click();
  await hydrated(student);
  await expect(student.getByRole('heading', { level: 1, name: TITLE })).toBeVisible();
  await student.getByRole('link', { name: 'Watch a free lesson' }).click();
  await expect(student.getByRole('heading', { level: 1, name: 'Что такое программирование' })).toBeVisible();
  await expect(student.getByText('This is a free preview lesson.')).toBeVisible();

  // ---- signs up from the course page and enrolls ----
  await student.getByRole('link', { name: TITLE }).first().click();
  await hydrated(student);
  await student.getByRole('link', { name: 'Sign up to enroll' }).click();
  await hydrated(student);
  const email = uniqueEmail('learner');
  await student.getByLabel('Your name').fill('Course Learner');
  await student.getByLabel('E-mail').fill(email);
  await student.getByLabel('Password').fill(PASSWORD);
  await student.getByRole('button', { name: 'Create account' }).click();
  await expect(student).toHaveURL(/\/confirm/);
  await hydrated(student);
  await student.getByLabel('Confirmation code').fill(await confirmationCode(email));
  await student.getByRole('button', { name: 'Confirm' }).click();
  await expect(student).toHaveURL(/\/courses\//);
  await hydrated(student);
  await student.getByRole('button', { name: 'Enroll for free' }).click();
  await student.getByRole('link', { name: 'Start learning' }).click();

  // ---- learns: lesson 1 and 3 complete, then the video lesson ----
  await expect(student.getByRole('heading', { level: 1, name: 'Что такое программирование' })).toBeVisible();
  await hydrated(student);
  await student.getByRole('button', { name: 'Mark as complete' }).click();
  await expect(student.getByText('✓ Lesson completed')).toBeVisible();
  await expect(student.getByText('33% complete')).toBeVisible();
  await student.getByRole('link', { name: 'Задачи' }).click();
  await expect(student.getByRole('heading', { level: 1, name: 'Задачи' })).toBeVisible();
  await student.getByRole('button', { name: 'Mark as complete' }).click();
  await expect(student.getByText('67% complete')).toBeVisible();
  // Keyboard: P goes to the previous lesson, the video one.
  await student.keyboard.press('p');
  await expect(student.getByRole('heading', { level: 1, name: 'Первая программа' })).toBeVisible();
  const video = student.locator('video');
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
  // The pause saves the position: wait for that request rather than for a while.
  const saved = student.waitForResponse(
    (r) =>
      r.url().includes('courses/progress') &&
      r.ok() &&
      Number(new URLSearchParams(r.request().postData() ?? '').get('position_ms')) >= 7000,
  );
  await video.evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    await v.play();
    v.currentTime = 8;
    await new Promise((r) => setTimeout(r, 800));
    v.pause();
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(2);
  await saved;

  // ---- leaves and comes back to the same lesson and position ----
  await goto(student, '/courses');
  await student.getByRole('link', { name: new RegExp(TITLE) }).first().click();
  await hydrated(student);
  await student.getByRole('link', { name: 'Continue learning' }).click();
  await expect(student.getByRole('heading', { level: 1, name: 'Первая программа' })).toBeVisible();
  await expect.poll(() => student.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 }).toBeGreaterThan(7);
  await hydrated(student);
  await student.getByRole('button', { name: 'Mark as complete' }).click();
  await expect(student.getByText('100% complete')).toBeVisible();

  await goto(student, '/learning');
  const done = student.getByRole('region', { name: 'Completed' }).or(student.locator('section[aria-labelledby="done-h"]'));
  await expect(done.getByRole('link', { name: TITLE, exact: true })).toBeVisible();
  await expect(done.getByText('100% complete')).toBeVisible();
  expect([...errors, ...modErrors, ...studentErrors]).toEqual([]);
  await tutorCtx.close();
  await modCtx.close();
  await studentCtx.close();
});

test('catalog and course pages work without JavaScript', async ({ browser }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto('/courses?q=python');
  await expect(page.getByRole('heading', { level: 1, name: 'Courses' })).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(TITLE) })).toBeVisible();
  await page.getByRole('link', { name: new RegExp(TITLE) }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Syllabus' })).toBeVisible();
  await expect(page.getByText('Первая программа')).toBeVisible();
  const ld = await page.locator('script[type="application/ld+json"]').first().textContent();
  expect(JSON.parse(ld!)['@type']).toBe('Course');
  await ctx.close();
});
