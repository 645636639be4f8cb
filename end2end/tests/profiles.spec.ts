import { test, expect, uniqueEmail, goto, hydrated, png, apiUser, PASSWORD, watchErrors, confirmationCode } from './helpers';

async function tutorWithProfile(request: any, name: string) {
  const email = uniqueEmail('tutor');
  await apiUser(request, email, name, 'tutor');
  const r = await request.post('/api/profiles/update', {
    data: { update: {
      display_name: name, headline: 'Physics with experiments', bio: 'I teach physics with things you have at home.',
      is_tutor: true, subjects: ['physics'], languages: ['en'], years_experience: '7', hourly_rate: '25', currency: 'USD',
    } },
  });
  expect(r.status()).toBe(200);
  return email;
}

test('a second user follows the first and the count changes', async ({ browser, page, request }) => {
  await tutorWithProfile(request, 'Follow Me Tutor');
  const fan = await browser.newContext();
  const fanPage = await fan.newPage();
  const fanErrors = watchErrors(fanPage);
  await apiUser(fan.request, uniqueEmail('fan'), 'Big Fan');
  await goto(fanPage, '/u/follow-me-tutor');
  await expect(fanPage.getByText('0 followers')).toBeVisible();
  await fanPage.getByRole('button', { name: 'Follow' }).click();
  await expect(fanPage.getByRole('button', { name: 'Following' })).toBeVisible();
  await expect(fanPage.getByText('1 follower', { exact: true })).toBeVisible();
  // Everyone sees the new count.
  await goto(page, '/u/follow-me-tutor');
  await expect(page.getByText('1 follower', { exact: true })).toBeVisible();
  // The count leads to the list of followers, and the tabs to whom the tutor follows.
  await page.getByRole('link', { name: '1 follower', exact: true }).click();
  await expect(page).toHaveURL(/\/u\/follow-me-tutor\/followers$/);
  await expect(page.getByRole('heading', { name: "Follow Me Tutor's followers" })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Big Fan' })).toBeVisible();
  await page.getByRole('link', { name: 'Following', exact: true }).click();
  await expect(page.getByText('Not following anyone yet.')).toBeVisible();
  await page.getByRole('link', { name: '← Follow Me Tutor' }).click();
  await expect(page.getByRole('heading', { name: 'Follow Me Tutor', level: 1 })).toBeVisible();
  // Unfollow.
  await fanPage.getByRole('button', { name: 'Following' }).click();
  await expect(fanPage.getByText('0 followers')).toBeVisible();
  await fanPage.reload();
  await hydrated(fanPage);
  await expect(fanPage.getByRole('button', { name: 'Follow' })).toBeVisible();
  expect(fanErrors).toEqual([]);
  await fan.close();
});

test('the profile page without JavaScript still shows the profile', async ({ browser, request }) => {
  await tutorWithProfile(request, 'No Script Tutor');
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto('/u/no-script-tutor');
  await expect(page).toHaveTitle('No Script Tutor — tutor · Tutorium');
  await expect(page.getByRole('heading', { name: 'No Script Tutor' })).toBeVisible();
  await expect(page.getByText('I teach physics with things you have at home.')).toBeVisible();
  await expect(page.getByText('$25 / hour')).toBeVisible();
  await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
  await ctx.close();
});

test('the tutors directory filters by subject', async ({ page, request }) => {
  await tutorWithProfile(request, 'Directory Physics Tutor');
  await goto(page, '/tutors');
  await page.getByLabel('Subject').selectOption('physics');
  await expect(page).toHaveURL(/subject=physics/);
  await expect(page.getByRole('heading', { name: 'Tutors — Physics' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Directory Physics Tutor/ })).toBeVisible();
  await page.getByLabel('Subject').selectOption('chinese');
  await expect(page.getByText('No tutors here yet.')).toBeVisible();
});

test('a text file named .jpg and a 20 MB image are refused with a clear message', async ({ page }) => {
  await goto(page, '/signup');
  const email = uniqueEmail('uploader');
  await page.getByLabel('Your name').fill('Up Loader');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/confirm$/);
  await page.getByLabel('Confirmation code').fill(await confirmationCode(email));
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/profile/);
  await goto(page, '/settings/profile');
  const input = page.getByLabel('Profile photo');
  await input.setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('this is plain text, not a photo') });
  await expect(page.getByRole('alert')).toHaveText('This file is not a JPEG, PNG or WebP image.');
  const big = Buffer.concat([png(800, 800), Buffer.alloc(20 * 1024 * 1024)]);
  await input.setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: big });
  await expect(page.getByRole('alert')).toHaveText('The file is too large: at most 5 MB.');
  await expect(page.locator('.site-header img.avatar')).toHaveCount(0);
  // In Russian too.
  await page.getByRole('button', { name: 'Русский' }).click();
  await page.getByLabel('Фото профиля').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('still not a photo') });
  await expect(page.getByRole('alert')).toHaveText('Этот файл не является изображением JPEG, PNG или WebP.');
});
