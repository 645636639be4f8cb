import { test as base, expect, Page, APIRequestContext } from '@playwright/test';
export { expect };
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** Collects errors the page reports: uncaught exceptions, panics and hydration errors. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /hydrat|panicked|unreachable/i.test(m.text())) errors.push(m.text());
  });
  return errors;
}

/** Playwright's `test`, failing any test whose page logged a panic or a hydration error. */
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [async ({ page }, use) => {
    const errors = watchErrors(page);
    await use(errors);
    expect(errors, 'errors in the browser').toEqual([]);
  }, { auto: true }],
});

export const PASSWORD = 'correct horse battery staple';

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}@example.com`;
}

/** Waits until the WASM app has hydrated the page, so that clicks are handled by it. */
export async function hydrated(page: Page) {
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
}

export async function goto(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}

function decodePart(headers: string, body: string): string {
  if (/content-transfer-encoding:\s*base64/i.test(headers)) {
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (/content-transfer-encoding:\s*quoted-printable/i.test(headers)) {
    const soft = body.replace(/=\r?\n/g, '');
    const bytes = Buffer.from(soft.replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return bytes.toString('utf8');
  }
  return body;
}

/** The plain-text body of every mail to `to` in the outbox, oldest first. */
export function mailsTo(to: string): string[] {
  const dir = path.join(process.env.E2E_DATA_DIR!, 'outbox');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .filter((m) => new RegExp(`^To: .*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(m))
    .map((m) => {
      const parts = m.split(/\r?\n--[^\r\n]+\r?\n/);
      for (const p of parts) {
        const [headers, ...rest] = p.split(/\r?\n\r?\n/);
        if (/content-type:\s*text\/plain/i.test(headers)) return decodePart(headers, rest.join('\n\n'));
      }
      return m;
    });
}

export async function latestMail(to: string, seen = 0): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const mails = mailsTo(to);
    if (mails.length > seen) return mails[mails.length - 1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to}`);
}

export async function confirmationCode(to: string, seen = 0): Promise<string> {
  const mail = await latestMail(to, seen);
  const m = mail.match(/\b(\d{6})\b/);
  if (!m) throw new Error(`no code in ${mail}`);
  return m[1];
}

/** Creates a confirmed account through the HTTP API (fast setup for tests about other things). */
export async function apiUser(request: APIRequestContext, email: string, name: string, role = 'student') {
  const signup = await request.post('/api/accounts/signup', {
    form: { email, password: PASSWORD, display_name: name, role },
  });
  expect(signup.status()).toBe(200);
  const code = await confirmationCode(email);
  const confirm = await request.post('/api/accounts/confirm', { form: { code } });
  expect(confirm.status()).toBe(200);
}

// ---- a PNG written by hand, so that no image file is kept in the repository ----
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A w×h RGB gradient PNG. */
export function png(w: number, h: number): Buffer {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = (x * 255) / w;
      raw[o + 1] = (y * 255) / h;
      raw[o + 2] = 160;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Gives `email` a role through the server binary's command line (`tutorium user grant`). */
export function grantRole(email: string, role: string) {
  const root = path.resolve(__dirname, '..', '..');
  const bin = process.env.TUTORIUM_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'debug', 'tutorium');
  const dataDir = process.env.E2E_DATA_DIR!;
  require('child_process').execFileSync(bin, ['user', 'grant', email, role], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: `sqlite://${dataDir}/e2e.db`, RUST_LOG: 'warn' },
    stdio: 'pipe',
  });
}

// ---- an authenticator app: TOTP codes (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) ----
function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out: number[] = [];
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code an authenticator app shows for `secret` (base32, as the page shows it), `ahead`
 *  30-second steps from now (the server accepts one step either way; each step once). */
export function totp(secret: string, ahead = 0): string {
  const counter = Math.floor(Date.now() / 1000 / 30) + ahead;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = require('crypto').createHmac('sha1', base32Decode(secret)).update(msg).digest() as Buffer;
  const o = mac[mac.length - 1] & 0xf;
  const n = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

/** Turns on two-factor authentication through the API (for tests about other things);
 *  returns the secret. Staff roles count only after it. */
export async function apiMfa(request: APIRequestContext): Promise<string> {
  const begin = await request.post('/api/accounts/mfa-begin', { form: {} });
  expect(begin.status()).toBe(200);
  const { secret } = await begin.json();
  const enable = await request.post('/api/accounts/mfa-enable', { form: { code: totp(secret) } });
  expect(enable.status(), await enable.text()).toBe(200);
  return secret;
}

/** Calls a server function with a form; expects 200 and returns the JSON answer. */
export async function call(request: APIRequestContext, endpoint: string, form: Record<string, string>) {
  const r = await request.post(`/api/${endpoint}`, { form });
  expect(r.status(), `${endpoint}: ${await r.text()}`).toBe(200);
  return r.json();
}

/** A published course with one lesson, built through the API (the course UI has its own test). */
export async function publishedCourse(tutor: APIRequestContext, moderator: APIRequestContext): Promise<{ id: number; slug: string; lesson: number; title: string }> {
  const title = `Дроби ${Date.now().toString(36)}`;
  const created = await tutor.post('/api/courses/create', {
    data: { form: { title, slug: '', description: 'Всё о дробях.', outcomes: '', category: 'math', level: 'beginner', language: 'ru', price: '', currency: 'RUB' } },
  });
  expect(created.status()).toBe(200);
  const id: number = await created.json();
  const section: number = await call(tutor, 'courses/section-add', { course: String(id), title: 'Дроби' });
  const lesson: number = await call(tutor, 'courses/lesson-add', { course: String(id), section: String(section), title: 'Что такое дробь' });
  await call(tutor, 'courses/submit', { id: String(id) });
  await call(moderator, 'courses/moderate', { id: String(id), approve: 'true' });
  const draft = await call(tutor, 'courses/draft', { id: String(id) });
  return { id, slug: draft.slug, lesson, title };
}

