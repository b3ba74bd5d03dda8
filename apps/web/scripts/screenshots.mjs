// Screenshots of the dashboard for review: node apps/web/scripts/screenshots.mjs
// Env: KEYWARD_URL (http://127.0.0.1:3000), KEYWARD_EMAIL / KEYWARD_PASSWORD (a user), OUT (docs/screenshots),
// CHROMIUM (/usr/bin/chromium), ONLY (comma-separated shot names).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BASE = process.env.KEYWARD_URL ?? 'http://127.0.0.1:3000';
const EMAIL = process.env.KEYWARD_EMAIL ?? 'admin@keyward.local';
const PASSWORD = process.env.KEYWARD_PASSWORD ?? '';
const OUT = path.resolve(root, process.env.OUT ?? 'docs/screenshots');
const ONLY = process.env.ONLY ? new Set(process.env.ONLY.split(',')) : null;
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, tablet: { width: 820, height: 1180 } };

fs.mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

async function session(viewport, lang = 'en') {
  const context = await browser.newContext({ viewport, locale: lang === 'de' ? 'de-DE' : 'en-US' });
  await context.addInitScript((l) => localStorage.setItem('keyward.language', l), lang);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  page.on('console', (msg) => msg.type() === 'error' && console.error('console:', msg.text()));
  return { context, page };
}

async function signIn(page) {
  await page.goto(`${BASE}/sign-in`);
  await page.getByLabel(/email|e-mail/i).fill(EMAIL);
  await page.getByLabel(/^password|^passwort/i).fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

const settle = async (page) => {
  await page.waitForLoadState('networkidle');
  await page
    .waitForFunction(() => !document.querySelector('.mantine-Loader-root, .mantine-Skeleton-root'), null, {
      timeout: 15_000,
    })
    .catch(() => undefined);
  await page.waitForTimeout(400);
};

async function shot(page, name) {
  if (ONLY && !ONLY.has(name.replace(/-(desktop|tablet)$/, ''))) return;
  await settle(page);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log('saved', name);
}

async function firstAccountId(page, name) {
  const res = await page.request.get(`${BASE}/v1/accounts?q=${encodeURIComponent(name)}&limit=1`);
  return (await res.json()).data[0]?.id;
}

for (const [label, viewport] of Object.entries(VIEWPORTS)) {
  const { context, page } = await session(viewport);
  await page.goto(`${BASE}/`);
  await page.waitForURL(/sign-in/);
  await shot(page, `sign-in-${label}`);
  await signIn(page);
  await shot(page, `home-${label}`);
  await page.goto(`${BASE}/accounts`);
  await shot(page, `accounts-${label}`);
  const id = await firstAccountId(page, process.env.ACCOUNT ?? 'Globex');
  if (id) {
    for (const tab of ['licenses', 'machines', 'contacts', 'notes', 'history']) {
      await page.goto(`${BASE}/accounts/${id}${tab === 'licenses' ? '' : `?tab=${tab}`}`);
      await shot(page, `account-${tab}-${label}`);
    }
  }
  await page.goto(`${BASE}/accounts`);
  await settle(page);
  await page.keyboard.press('/');
  await page.keyboard.type(process.env.SEARCH ?? 'glob');
  await page.waitForTimeout(700);
  await shot(page, `search-${label}`);
  await page.keyboard.press('Escape');
  if (label === 'desktop') {
    await page.getByRole('button', { name: /new account/i }).click();
    await page.getByLabel(/^name/i).first().fill('Tyrell Corporation');
    await page.getByRole('combobox', { name: /email domains/i }).fill('not a domain');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /create account/i }).click();
    await page.waitForTimeout(600);
    await shot(page, 'create-account-errors-desktop');
    await page.keyboard.press('Escape');
    await page.goto(`${BASE}/accounts?q=zzzz-nothing`);
    await shot(page, 'accounts-empty-filter-desktop');
    await page.goto(`${BASE}/no-such-page`);
    await shot(page, 'not-found-desktop');
  }
  await context.close();
}

const de = await session(VIEWPORTS.desktop, 'de');
await de.page.goto(`${BASE}/forgot-password`);
await shot(de.page, 'forgot-password-de-desktop');
await signIn(de.page);
await shot(de.page, 'home-de-desktop');
await de.page.goto(`${BASE}/accounts`);
await shot(de.page, 'accounts-de-desktop');
await de.page.getByRole('button', { name: /ihr konto/i }).click();
await shot(de.page, 'user-menu-de-desktop');
await de.context.close();
await browser.close();
