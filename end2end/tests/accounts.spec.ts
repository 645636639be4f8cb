import { test, expect, PASSWORD, uniqueEmail, goto, hydrated, confirmationCode, latestMail, png, apiUser } from './helpers';

test('a new user signs up, confirms, edits the profile, uploads an avatar, switches to Russian, logs out and in', async ({ page }) => {
  const email = uniqueEmail('newcomer');
  await goto(page, '/signup');
  await page.getByLabel('Your name').fill('Вера Новикова');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByText('Teach', { exact: true }).click();
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page).toHaveURL(/\/confirm$/);
  await expect(page.getByRole('heading', { name: 'Confirm your e-mail' })).toBeVisible();
  const code = await confirmationCode(email);
  await page.getByLabel('Confirmation code').fill(code);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();

  await expect(page).toHaveURL(/\/settings\/profile/);
  await expect(page.getByText('Your e-mail is confirmed. Tell people about yourself!')).toBeVisible();
  await page.getByLabel('Headline', { exact: true }).fill('Учу математике с удовольствием');
  await page.getByLabel('Bio', { exact: true }).fill('Десять лет в школе и онлайн.');
  await page.getByLabel('Mathematics', { exact: true }).check();
  await page.getByLabel('Years of experience').fill('10');
  await page.getByLabel('Hourly rate').fill('1500');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Profile saved.')).toBeVisible();

  await page.getByLabel('Profile photo').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png(400, 300) });
  await expect(page.getByText('Photo updated.')).toBeVisible();
  await expect(page.locator('.site-header img.avatar')).toHaveAttribute('src', /\/media\/avatars\/.+\/64\.jpg/);

  await page.getByRole('link', { name: 'View your profile' }).click();
  await expect(page).toHaveURL(/\/u\/vera-novikova/);
  await expect(page.getByRole('heading', { name: 'Вера Новикова' })).toBeVisible();
  await expect(page.getByText('Учу математике с удовольствием')).toBeVisible();
  // The profile's photo (decorative beside the name in the heading: empty alt).
  await expect(page.getByRole('main').locator('img.avatar').first()).toHaveAttribute('src', /256\.jpg/);
  await expect(page.getByText('1 500 ₽ / hour')).toBeVisible();

  await page.getByRole('button', { name: 'Русский' }).click();
  await expect(page.getByRole('link', { name: 'Редактировать профиль' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'О себе' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Преподавание' })).toBeVisible();

  await page.getByLabel('Меню аккаунта').click();
  await page.getByRole('button', { name: 'Выйти' }).click();
  await expect(page.getByRole('link', { name: 'Войти' })).toBeVisible();

  await page.getByRole('link', { name: 'Войти' }).click();
  await hydrated(page);
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill(PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByLabel('Меню аккаунта')).toBeVisible();
});

test('wrong password, a registered e-mail, a weak password and a wrong code each get a clear answer and change nothing', async ({ page, request }) => {
  const email = uniqueEmail('taken');
  await apiUser(request, email, 'Taken Person');

  await goto(page, '/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('definitely not it 123');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong e-mail or password.');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible();

  // A registered e-mail gets the answer a new one gets (nobody learns who has an account);
  // its owner gets a note instead of a code.
  await goto(page, '/signup');
  await page.getByLabel('Your name').fill('Someone Else');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/confirm$/);
  await expect(page.getByText(/Check your mail: we sent a message to/)).toBeVisible();
  expect(await latestMail(email, 1)).toContain('You already have an account, so nothing was changed.');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible();

  const fresh = uniqueEmail('weak');
  await goto(page, '/signup');
  await page.getByLabel('Your name').fill('Someone Else');
  await page.getByLabel('E-mail').fill(fresh);
  await page.getByLabel('Password').fill('qwerty12345');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('This password is too easy to guess.', { exact: false })).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Log in' })).toBeVisible();

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/confirm$/);
  const code = await confirmationCode(fresh);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('Confirmation code').fill(wrong);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page.getByText('This code is wrong. Check the latest e-mail from us.')).toBeVisible();
  await expect(page).toHaveURL(/\/confirm$/);
  await expect(page.getByText(/Check your mail: we sent a message to/)).toBeVisible();
});

test('messages follow the chosen language', async ({ page, request }) => {
  const email = uniqueEmail('russian');
  await apiUser(request, email, 'Русский Пользователь');
  await goto(page, '/login');
  await page.getByRole('button', { name: 'Русский' }).click();
  await expect(page.getByRole('heading', { name: 'С возвращением' })).toBeVisible();
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill('совсем не тот пароль');
  await page.getByRole('button', { name: 'Войти' }).click();
  await expect(page.getByRole('alert')).toHaveText('Неверная почта или пароль.');
});

test('a forgotten password is reset with the link from the mail', async ({ page, request }) => {
  const email = uniqueEmail('forgot');
  await apiUser(request, email, 'Forgetful Person');
  await goto(page, '/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByText(/If an account exists for this e-mail, a link is on its way/)).toBeVisible();
  const mail = await latestMail(email, 1);
  const link = mail.match(/https?:\/\/\S+reset-password\?token=[A-Za-z0-9_-]+/)![0];
  await goto(page, link.replace(/^https?:\/\/[^/]+/, ''));
  await page.getByLabel('New password').fill('a brand new passphrase');
  await page.getByRole('button', { name: 'Save the password and log in' }).click();
  await expect(page.getByLabel('Account menu')).toBeVisible();
  // The link works once.
  await goto(page, link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(page.getByText('This reset link is invalid, already used or expired.')).toBeVisible();
});
