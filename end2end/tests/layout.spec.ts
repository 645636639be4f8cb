import { Page } from '@playwright/test';
import { test, expect, uniqueEmail, goto, apiUser, grantRole, apiMfa, call, publishedCourse, png } from './helpers';

/** Elements wider than the viewport or running past its right edge, and buttons or links
 *  styled as buttons whose text is cut off. */
async function layoutDefects(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} "${(el.textContent || '').trim().slice(0, 40)}"`;
    if (document.documentElement.scrollWidth > vw) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed') continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;
      // Moved off-screen on purpose until focused (the skip link).
      if (r.right <= 0 && style.position === 'absolute') continue;
      // Inside something that scrolls sideways on purpose (tables, code) is fine.
      let scroller = el.parentElement, inScroller = false;
      while (scroller) {
        const ox = getComputedStyle(scroller).overflowX;
        if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') { inScroller = true; break; }
        scroller = scroller.parentElement;
      }
      if (!inScroller && (r.right > vw + 1 || r.left < -1)) out.push(`overflows the viewport: ${name(el)} (${Math.round(r.left)}–${Math.round(r.right)} of ${vw})`);
      const isButton = el.matches('button, .button, summary');
      if (isButton && (el.scrollWidth > el.clientWidth + 1)) out.push(`clipped text: ${name(el)}`);
      // A picture drawn in a box of another shape than its CSS aspect ratio (course covers
      // once stood portrait in the catalog: their height attribute beat aspect-ratio).
      const ratio = style.aspectRatio.match(/^(?:auto )?([\d.]+) \/ ([\d.]+)$/);
      if (el.tagName === 'IMG' && ratio && Math.abs(r.width / r.height - Number(ratio[1]) / Number(ratio[2])) > 0.05) {
        out.push(`out of shape: ${name(el)} is ${Math.round(r.width)}×${Math.round(r.height)}, not ${ratio[1]}:${ratio[2]}`);
      }
      // A radio or checkbox stretched like a text field (the sign-up role choice once was).
      if (el.matches('input[type="radio"], input[type="checkbox"]') && r.width > 32) {
        out.push(`stretched: ${name(el)} is ${Math.round(r.width)} px wide`);
      }
      // A child running past its card's right edge (the enroll buttons once did).
      if (el.matches('.card, .course__buy') ) {
        for (const c of Array.from(el.children)) {
          const cr = c.getBoundingClientRect();
          if (cr.width > 0 && cr.right > r.right + 1) out.push(`past its card: ${name(c)} in ${name(el)}`);
        }
      }
    }
    return out;
  });
}

test('every public page fits a phone and a desktop: nothing overflows, no button text is cut', async ({ browser }) => {
  test.setTimeout(180_000);
  // Content to look at: a tutor with a published course and a post, a moderator who approves.
  const setup = await browser.newContext();
  const tutorEmail = uniqueEmail('layouttutor');
  await apiUser(setup.request, tutorEmail, 'Layout Tutor', 'tutor');
  const modCtx = await browser.newContext();
  const modEmail = uniqueEmail('layoutmod');
  await apiUser(modCtx.request, modEmail, 'Layout Moderator');
  grantRole(modEmail, 'moderator');
  await apiMfa(modCtx.request);
  const course = await publishedCourse(setup.request, modCtx.request);
  const cover = await setup.request.post(`/api/courses/${course.id}/cover`, {
    multipart: { cover: { name: 'cover.png', mimeType: 'image/png', buffer: png(800, 450) } },
  });
  expect(cover.status()).toBe(200);
  const post: number = await call(setup.request, 'feed/create', {
    body: 'A long word to test wrapping: Donaudampfschifffahrtsgesellschaftskapitänsmütze — and a #tag.',
    tags: 'layout', video: '',
  });
  const me = await (await setup.request.post('/api/accounts/me', { form: {} })).json();
  const paths = ['/', '/courses', `/courses/${course.slug}`, `/learn/${course.slug}/${course.lesson}`, '/feed',
    '/tutors', `/u/${me.handle}`, `/posts/${post}`, '/tags/layout', '/login', '/signup', '/forgot-password'];

  for (const [width, height] of [[390, 844], [1280, 900]]) {
    for (const theme of ['light', 'dark']) {
      const ctx = await browser.newContext({ viewport: { width, height }, colorScheme: theme as 'light' | 'dark' });
      // Signed in as the tutor on half the runs (the header and pages differ).
      if (theme === 'dark') {
        const state = await setup.storageState();
        await ctx.addCookies(state.cookies);
      }
      const page = await ctx.newPage();
      for (const path of paths) {
        await goto(page, path);
        const defects = await layoutDefects(page);
        expect(defects, `${path} at ${width} px (${theme})`).toEqual([]);
      }
      // On a phone the header is one row, and its menu opens the sections.
      if (width === 390) {
        await goto(page, '/');
        const header = await page.locator('.site-header__inner').boundingBox();
        expect(header!.height, 'one compact header row').toBeLessThan(70);
        await page.getByText('Menu', { exact: true }).click();
        await page.locator('.site-menu').getByRole('link', { name: 'Courses' }).click();
        await expect(page.getByRole('heading', { level: 1, name: 'Courses' })).toBeVisible();
        await expect(page.locator('.site-menu__panel')).toBeHidden();
      }
      await ctx.close();
    }
  }
});
