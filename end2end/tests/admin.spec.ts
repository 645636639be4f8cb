import * as fs from 'fs';
import { test, expect, uniqueEmail, goto, apiUser, grantRole, apiMfa, totp, PASSWORD, watchErrors } from './helpers';

test('an admin logs in with a code, finds a person, grants a role and bans them; they are told why; the audit log shows it all', async ({ browser }) => {
  test.setTimeout(120_000);
  // An admin with two-factor authentication on (set up through the API; the course test walks
  // through setting it up in the page).
  const adminEmail = uniqueEmail('admin');
  const setup = await browser.newContext();
  await apiUser(setup.request, adminEmail, 'Site Admin');
  grantRole(adminEmail, 'admin');
  const secret = await apiMfa(setup.request);
  await setup.close();
  // The person who will be banned, logged in elsewhere.
  const targetEmail = uniqueEmail('target');
  const targetCtx = await browser.newContext();
  await apiUser(targetCtx.request, targetEmail, 'Troublesome Person');

  // ---- log-in asks for the code after the password ----
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await goto(page, '/login');
  await page.getByLabel('E-mail').fill(adminEmail);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible();
  await page.getByLabel('Authentication code').fill('000000');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByText('This code is wrong or was already used.')).toBeVisible();
  await page.getByLabel('Authentication code').fill(totp(secret, 1));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Account menu').click();
  await page.getByRole('link', { name: 'Staff area' }).click();

  // ---- find the person ----
  await expect(page.getByRole('heading', { name: 'Staff area' })).toBeVisible();
  await page.getByLabel('E-mail, name or handle').fill(targetEmail);
  await page.getByLabel('Banned').selectOption('no');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('row')).toHaveCount(2);
  await page.getByRole('link', { name: 'Troublesome Person' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Troublesome Person' })).toBeVisible();

  // ---- grant a role, then ban with a reason ----
  await page.getByRole('button', { name: 'Grant Tutor' }).click();
  await expect(page.getByRole('button', { name: 'Revoke Tutor' })).toBeVisible();
  await page.getByRole('button', { name: 'Ban this account' }).click();
  await expect(page.getByText('This field is required.')).toBeVisible();
  await page.getByLabel('Reason (shown to them)').fill('Repeated spam in comments');
  await page.getByRole('button', { name: 'Ban this account' }).click();
  await expect(page.getByText(/Banned since/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Lift the ban' })).toBeVisible();

  // ---- their session ended, and log-in tells them why ----
  const target = await targetCtx.newPage();
  await goto(target, '/settings/profile');
  await expect(target.getByText('Log in to see your settings.')).toBeVisible();
  await goto(target, '/login');
  await target.getByLabel('E-mail').fill(targetEmail);
  await target.getByLabel('Password').fill(PASSWORD);
  await target.getByRole('button', { name: 'Log in' }).click();
  await expect(target.getByText('Your account is suspended.')).toBeVisible();
  await expect(target.getByText('Repeated spam in comments')).toBeVisible();

  // ---- the audit log: the entries, a filter, the CSV ----
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('cell', { name: /Account banned/ })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Role granted' }).first()).toBeVisible();
  await page.getByLabel('Action').selectOption('user.banned');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByRole('cell', { name: 'Role granted' })).toHaveCount(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toContain('id,time_utc,actor_id');
  expect(csv).toContain(targetEmail);
  expect(csv).toContain('Repeated spam in comments');
  expect(errors).toEqual([]);
});
