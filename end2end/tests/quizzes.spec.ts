import { APIRequestContext, Page } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test, expect, uniqueEmail, goto, hydrated, apiUser, watchErrors, grantRole, apiMfa, call, publishedCourse } from './helpers';

const EXAM = `title: Итоговый экзамен по дробям
pass: 75
attempts: 3

? Сколько будет 1/2 + 1/2?
- 2
+ 1
- 1/4
explain: Половина и половина дают целое.

?? Какие дроби равны 1/2?
+ 2/4
+ 3/6
- 2/3

?= Как называется верхняя часть дроби?
= числитель
explain: Верхняя часть — числитель, нижняя — знаменатель.

?> Расположите по возрастанию
1. 1/4
2. 1/2
3. 3/4
`;

/** Puts the shown items of an ordering question into `target` order with the arrow buttons. */
async function order(group: ReturnType<Page['getByRole']>, target: string[]) {
  for (let i = 0; i < target.length; i++) {
    const shown = (await group.locator('.quiz-q__order li span').allTextContents()).map((t) => t.trim());
    let j = shown.indexOf(target[i]);
    while (j > i) {
      await group.getByRole('button', { name: `Move up: ${target[i]}` }).click();
      j--;
      await expect(group.locator('.quiz-q__order li span').nth(j)).toHaveText(target[i]);
    }
  }
}

test('a tutor writes a lesson quiz and a final exam; a student fails once, gets the answers only after passing', async ({ browser }) => {
  test.setTimeout(180_000);
  const tutorCtx = await browser.newContext();
  const modCtx = await browser.newContext();
  const studentCtx = await browser.newContext();
  const modEmail = uniqueEmail('quizmod');
  await apiUser(tutorCtx.request, uniqueEmail('quiztutor'), 'Quiz Tutor', 'tutor');
  await apiUser(modCtx.request, modEmail, 'Quiz Moderator', 'student');
  grantRole(modEmail, 'moderator');
  await apiMfa(modCtx.request);
  const course = await publishedCourse(tutorCtx.request, modCtx.request);

  // ---- the tutor writes the lesson quiz in the form ----
  const tutor = await tutorCtx.newPage();
  const errors = watchErrors(tutor);
  await goto(tutor, `/studio/courses/${course.id}`);
  await tutor.getByRole('button', { name: 'Edit lesson «Что такое дробь»' }).click();
  await tutor.getByRole('link', { name: 'Lesson quiz' }).click();
  await expect(tutor.getByRole('heading', { level: 1, name: 'Quiz of “Что такое дробь”' })).toBeVisible();
  await hydrated(tutor);
  const q1 = tutor.getByRole('group', { name: 'Question 1' });
  await q1.getByLabel('Question', { exact: true }).fill('Какая дробь больше?');
  await q1.getByLabel('Option 1', { exact: true }).fill('1/3');
  await q1.getByLabel('Option 2', { exact: true }).fill('2/3');
  await q1.getByLabel('Option 2 is correct').check();
  await tutor.getByRole('button', { name: 'Text answer' }).click();
  const q2 = tutor.getByRole('group', { name: 'Question 2' });
  await q2.getByLabel('Question', { exact: true }).fill('Сколько половин в целом?');
  await q2.getByLabel('Accepted answer 1').fill('две');
  await q2.getByRole('button', { name: '+ Accepted answer' }).click();
  await q2.getByLabel('Accepted answer 2').fill('2');
  // A duplicate option is caught before saving.
  await q1.getByLabel('Option 1', { exact: true }).fill('2/3');
  await expect(tutor.getByText(/Question 1: .*/).first()).toBeVisible();
  await expect(tutor.getByRole('button', { name: 'Save quiz' })).toBeDisabled();
  await q1.getByLabel('Option 1', { exact: true }).fill('1/3');
  // A lesson quiz shows its answers after each attempt unless told otherwise; this one must be
  // passed to complete the lesson.
  await expect(tutor.getByLabel('Learners see the correct answers')).toHaveValue('each_attempt');
  await tutor.getByLabel('Learners complete the lesson by passing this quiz').check();
  await tutor.getByRole('button', { name: 'Save quiz' }).click();
  await expect(tutor.getByText('Saved', { exact: true })).toBeVisible();

  // ---- the final exam, written as text ----
  await goto(tutor, `/studio/courses/${course.id}`);
  await tutor.getByRole('link', { name: 'Final exam' }).click();
  await expect(tutor.getByRole('heading', { level: 1, name: 'Final exam' })).toBeVisible();
  await hydrated(tutor);
  await tutor.getByRole('button', { name: 'Text', exact: true }).click();
  await tutor.getByLabel('The quiz as text').fill('title: Экзамен\n\n? Вопрос без верного ответа\n- а\n- б\n');
  await tutor.getByRole('button', { name: 'Check and apply' }).click();
  await expect(tutor.getByText(/^Line 3: /)).toBeVisible();
  // A JSON export pasted back is read too.
  await tutor.getByLabel('The quiz as text').fill('{"settings":{"title":"JSON exam"},"questions":[{"kind":"single","prompt":"Q?","options":["a","b"],"correct":[1]}]}');
  await tutor.getByRole('button', { name: 'Check and apply' }).click();
  await expect(tutor.getByLabel('Title', { exact: true })).toHaveValue('JSON exam');
  await expect(tutor.getByRole('group', { name: 'Question 1' })).toBeVisible();
  await tutor.getByRole('button', { name: 'Text', exact: true }).click();
  await tutor.getByLabel('The quiz as text').fill(EXAM);
  await tutor.getByRole('button', { name: 'Check and apply' }).click();
  await expect(tutor.getByRole('group', { name: 'Question 4' })).toBeVisible();
  await tutor.getByRole('button', { name: 'Save quiz' }).click();
  await expect(tutor.getByText('Saved', { exact: true })).toBeVisible();

  // ---- the student takes the lesson quiz ----
  await apiUser(studentCtx.request, uniqueEmail('quizstudent'), 'Quiz Student', 'student');
  await call(studentCtx.request, 'courses/enroll', { course: String(course.id) });
  const student = await studentCtx.newPage();
  const studentErrors = watchErrors(student);
  student.on('dialog', (d) => d.accept());
  await goto(student, `/learn/${course.slug}/${course.lesson}`);
  await expect(student.getByText('Pass the quiz above to complete this lesson.')).toBeVisible();
  await expect(student.getByRole('button', { name: 'Mark as complete' })).toHaveCount(0);
  await student.getByRole('link', { name: 'Take the quiz' }).click();
  await hydrated(student);
  await student.getByRole('button', { name: 'Start the quiz' }).click();
  await student.getByRole('radio', { name: '2/3' }).check();
  await expect(student.getByText('Answers saved')).toBeVisible();
  await student.getByRole('button', { name: 'Next →' }).click();
  await student.getByLabel('Your answer').fill('  Две ');
  await student.getByRole('button', { name: 'Submit answers' }).click();
  await expect(student.getByText(/^Passed ✓/)).toBeVisible();

  // ---- the final exam: a failed attempt first ----
  await goto(student, `/courses/${course.slug}`);
  await student.getByRole('link', { name: 'Take the exam' }).click();
  await hydrated(student);
  await expect(student.getByText('3 of 3 left')).toBeVisible();
  await student.getByRole('button', { name: 'Start the quiz' }).click();
  await student.getByRole('button', { name: 'Show all questions' }).click();
  const g = (n: number) => student.getByRole('group', { name: new RegExp(`^Question ${n} ·`) });
  await g(1).getByRole('radio', { name: '2', exact: true }).check();
  await g(3).getByLabel('Your answer').fill('знаменатель');
  await expect(student.getByText('Answers saved')).toBeVisible();
  // Nothing of the answers is in the page before submitting.
  const before = await student.content();
  expect(before).not.toContain('Половина и половина');
  expect(before).not.toContain('числитель');
  // A reload keeps the answers given so far.
  await goto(student, student.url());
  await student.getByRole('button', { name: 'Continue the attempt' }).click();
  await student.getByRole('button', { name: 'Show all questions' }).click();
  await expect(g(1).getByRole('radio', { name: '2', exact: true })).toBeChecked();
  await expect(g(3).getByLabel('Your answer')).toHaveValue('знаменатель');
  await student.getByRole('button', { name: 'Submit answers' }).click();
  await expect(student.getByText(/^Not passed/)).toBeVisible();
  // A final exam keeps its answer key back while attempts remain (it would pass the next one).
  await expect(student.getByText('The correct answers and explanations are shown once you pass, or when no attempts are left.')).toBeVisible();
  await expect(student.getByText('Половина и половина дают целое.')).toHaveCount(0);
  expect(await student.content()).not.toContain('числитель, нижняя');
  await expect(student.getByText('Attempts left: 2.')).toBeVisible();

  // ---- the second attempt passes ----
  await student.getByRole('button', { name: 'Try again' }).click();
  await student.getByRole('button', { name: 'Show all questions' }).click();
  await g(1).getByRole('radio', { name: '1', exact: true }).check();
  await g(2).getByRole('checkbox', { name: '2/4' }).check();
  await g(2).getByRole('checkbox', { name: '3/6' }).check();
  await g(3).getByLabel('Your answer').fill('Числитель');
  await order(g(4), ['1/4', '1/2', '3/4']);
  await student.getByRole('button', { name: 'Submit answers' }).click();
  await expect(student.getByText(/^Passed ✓/)).toBeVisible();
  await expect(student.getByRole('heading', { name: 'Attempt 2: 100%' })).toBeVisible();
  // Passed: now the answers and explanations show.
  await expect(student.getByText('Половина и половина дают целое.')).toBeVisible();
  await expect(student.getByText('Верхняя часть — числитель, нижняя — знаменатель.')).toBeVisible();
  // The only lesson was completed by its quiz, the exam is passed: the certificate is issued.
  const certLink = student.getByRole('link', { name: 'Your certificate is ready' });
  await expect(certLink).toBeVisible();
  const code = (await certLink.getAttribute('href'))!.split('/').pop()!;
  expect(code).toMatch(/^TUT-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);

  // The overview lists both attempts; the best counts.
  await goto(student, student.url());
  await expect(student.getByText('100% ✓ passed').first()).toBeVisible();
  await expect(student.getByRole('link', { name: 'Answers of attempt 1' })).toBeVisible();

  // ---- the certificate: listed, verified, downloaded ----
  await student.getByLabel('Account menu').click();
  await student.getByRole('link', { name: 'My certificates' }).click();
  await expect(student.getByRole('heading', { level: 1, name: 'My certificates' })).toBeVisible();
  await expect(student.getByText(code)).toBeVisible();
  await student.getByRole('link', { name: 'Verification page' }).click();
  await expect(student.getByRole('heading', { level: 1, name: 'Certificate of completion' })).toBeVisible();
  await expect(student.getByText('Valid certificate')).toBeVisible();
  await expect(student.locator('main').getByText('Quiz Student')).toBeVisible();
  const downloading = student.waitForEvent('download');
  await student.getByRole('link', { name: 'Download PDF' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toContain(code);
  const pdfPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cert-')), 'certificate.pdf');
  await download.saveAs(pdfPath);
  expect(fs.readFileSync(pdfPath).subarray(0, 4).toString()).toBe('%PDF');
  const text = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' });
  expect(text).toContain('Quiz Student');
  expect(text).toContain(code);

  // Anyone following the certificate's QR link (printed under the code too) sees it as valid.
  const qrLink = text.match(/https?:\/\/\S+\/certificates\/TUT-[0-9A-Z-]+/)?.[0];
  expect(qrLink).toBeDefined();
  expect(qrLink!.endsWith(`/certificates/${code}`)).toBe(true);
  const anonCtx = await browser.newContext();
  const anon = await anonCtx.newPage();
  const anonErrors = watchErrors(anon);
  await goto(anon, qrLink!);
  await expect(anon.getByText('Valid certificate')).toBeVisible();
  await expect(anon.getByText('Quiz Student')).toBeVisible();
  await expect(anon.getByRole('link', { name: course.title })).toBeVisible();
  await expect(anon.getByRole('heading', { name: 'Revoke this certificate' })).toHaveCount(0);
  await anonCtx.close();

  expect([...errors, ...studentErrors, ...anonErrors]).toEqual([]);
  await tutorCtx.close();
  await modCtx.close();
  await studentCtx.close();
});
