#!/usr/bin/env node
// `npm run screenshots`: starts a throw-away server with demo data, signs in with Chromium (playwright-core driving
// /usr/bin/chromium, or KEYWARD_CHROMIUM) and saves the dashboard's main screens to docs/screenshots/ at 1280×800
// (plus the home page at tablet size, 820×1180). Needs a built dashboard (`npm run build`).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const outDir = path.join(root, 'docs/screenshots');
const EMAIL = 'admin@keyward.local';
const PASSWORD = randomBytes(12).toString('hex');
const TOKEN = `kw_shots_${randomBytes(24).toString('hex')}`;
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

if (!fs.existsSync(path.join(root, 'apps/web/dist/index.html'))) {
  console.error('apps/web/dist is missing: run `npm run build` first.');
  process.exit(1);
}

async function startServer() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-shots-'));
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, [path.join(root, 'apps/server/bin/keyward.mjs'), 'start'], {
    cwd: root,
    env: {
      ...env,
      NO_COLOR: '1',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      KEYWARD_DATA_DIR: dataDir,
      KEYWARD_BOOTSTRAP_TOKEN: TOKEN,
      KEYWARD_ADMIN_EMAIL: EMAIL,
      KEYWARD_ADMIN_PASSWORD: PASSWORD,
      KEYWARD_SEED_DEMO: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${out}`)), 120_000);
    const onData = (chunk) => {
      out += chunk.toString('utf8');
      const match = /Keyward is running[\s\S]*?URL\s+(http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${out}`)));
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { url, stop };
}

const api = async (url, p) => {
  const res = await fetch(`${url}${p}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return res.json();
};

/** Waits until data has arrived: no skeleton, no busy region, no loader, then lets charts finish animating. */
async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(
    () => !document.querySelector('.mantine-Skeleton-root, [aria-busy="true"], .mantine-Loader-root'),
    undefined,
    { timeout: 20_000 },
  );
  await page.waitForTimeout(700);
}

async function shot(page, name) {
  await settle(page);
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`  ${path.relative(root, file)}`);
}

const server = await startServer();
const browser = await chromium.launch({
  executablePath: process.env.KEYWARD_CHROMIUM ?? '/usr/bin/chromium',
  args: ARGS,
});
try {
  fs.mkdirSync(outDir, { recursive: true });
  console.log(`Screenshots of ${server.url}:`);
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  await context.addInitScript(() => localStorage.setItem('keyward.language', 'en'));
  const page = await context.newPage();

  await page.goto('/sign-in');
  await page.getByRole('textbox', { name: /email/i }).fill(EMAIL);
  await shot(page, 'sign-in');
  await page.getByLabel(/^password/i).fill(PASSWORD);
  await page.getByRole('button', { name: /^sign in$/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
  await shot(page, 'home');

  await page.goto('/accounts');
  await shot(page, 'accounts');

  const accounts = await api(server.url, '/v1/accounts?limit=50');
  const busiest = [...accounts.data].sort((a, b) => b.licenseCount - a.licenseCount)[0];
  await page.goto(`/accounts/${busiest.id}`);
  await shot(page, 'account-detail');

  await page.goto('/licenses');
  await shot(page, 'licenses');

  const plans = await api(server.url, '/v1/plans?limit=50');
  const plan = plans.data.find((p) => p.licenseType === 'subscription') ?? plans.data[0];
  await page.goto(`/licenses/new?accountId=${busiest.id}&planId=${plan.id}`);
  await settle(page);
  await page.getByTestId('new-next').click();
  await shot(page, 'new-license');

  // A real change for the audit log: +1 week on a license that expires soon.
  const expiring = await api(server.url, '/v1/licenses?status=expiring&limit=1');
  await page.goto(`/licenses/${expiring.data[0].id}`);
  await settle(page);
  await page.getByTestId('detail-extend-week').click();
  await page.waitForResponse((r) => r.url().includes('/actions/extend') && r.ok());
  await page.goto('/audit');
  await settle(page);
  await page.getByTestId('audit-event').first().getByRole('button', { name: 'Show the changes' }).click();
  await shot(page, 'audit');

  await page.goto('/settings?tab=catalog');
  await shot(page, 'settings');

  await page.setViewportSize({ width: 820, height: 1180 });
  await page.goto('/');
  await shot(page, 'home-tablet');
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
