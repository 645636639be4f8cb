import { defineConfig } from '@playwright/test';
import * as path from 'path';
import * as fs from 'fs';
import * as os from 'os';

// One fresh server per run: a new SQLite file and media/outbox folders in a temp directory.
// The binary is built beforehand (scripts/test.sh runs `cargo leptos build` into target/site-e2e).
const root = path.resolve(__dirname, '..');
const dataDir = process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tutorium-e2e-'));
process.env.E2E_DATA_DIR = dataDir;
const port = process.env.E2E_PORT ?? '3210';
const bin = process.env.TUTORIUM_BIN ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'debug', 'tutorium');

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'en-US',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: {
    command: bin,
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      // scripts/test.sh builds the debug site there (target/site is the release site).
      LEPTOS_SITE_ROOT: process.env.E2E_SITE_ROOT ?? path.join(root, 'target', 'site-e2e'),
      DATA_DIR: dataDir,
      DATABASE_URL: `sqlite://${dataDir}/e2e.db`,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      // The paid-course walk-through pays through the sandbox provider.
      PAYMENTS_SANDBOX: 'true',
      // Every test signs up from 127.0.0.1; the limits themselves are tested at the HTTP level.
      LIMIT_SIGNUP_PER_IP: '1000',
      LIMIT_LOGIN_PER_IP: '1000',
      LIMIT_MAIL_PER_ACCOUNT: '100',
      RUST_LOG: 'warn',
    },
  },
});
