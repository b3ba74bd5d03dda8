#!/usr/bin/env node
// `npm run screenshots`: starts a throw-away server with demo data, signs in with Chromium (playwright-core driving
// /usr/bin/chromium, or KEYWARD_CHROMIUM) and saves the dashboard's main screens to docs/screenshots/ at 1280×800
// (plus the home page and Flags & entitlements at tablet size, 820×1180). Needs a built dashboard (`npm run build`).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const outDir = process.env.OUT ? path.resolve(process.env.OUT) : path.join(root, 'docs/screenshots');
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

const api = async (url, p, method = 'GET', body = undefined) => {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${await res.text()}`);
  return res.status === 204 ? null : res.json();
};

/**
 * The demo seeds entitlements for Acme only: give this (Flowdesk) license's product some (a switch, a metered limit near its
 * warning threshold, enum options, a soft limit with an account override, JSON) and three flags, one switched on
 * for this license.
 */
async function seedEntitlements(url, license) {
  const productId = license.product.id;
  const prop = (body) => api(url, '/v1/properties', 'POST', { productId, ...body });
  const sso = await prop({ key: 'sso', name: 'Single sign-on', type: 'boolean', defaultValue: false });
  const calls = await prop({
    key: 'api_calls',
    name: 'API calls',
    type: 'number',
    defaultValue: 1000,
    metered: true,
    resetPeriod: 'monthly',
    warningThresholdPercent: 80,
    unit: 'calls',
  });
  const formats = await prop({
    key: 'export.formats',
    name: 'Export formats',
    type: 'enum',
    options: ['pdf', 'csv', 'xlsx', 'json'],
    multiple: true,
    defaultValue: ['pdf'],
  });
  const storage = await prop({
    key: 'storage',
    name: 'Storage',
    type: 'number',
    defaultValue: 50,
    enforcement: 'soft',
    unit: 'GB',
  });
  await prop({
    key: 'theme',
    name: 'Theme',
    type: 'json',
    defaultValue: { color: 'navy', logo: 'https://example.com/logo.svg', compact: false },
  });
  const planValue = (p, value) => api(url, `/v1/plans/${license.plan.id}/properties/${p.id}`, 'PUT', { value });
  await planValue(sso, true);
  await planValue(calls, 10000);
  await planValue(formats, ['pdf', 'csv']);
  await api(url, `/v1/licenses/${license.id}/usage/api_calls`, 'POST', { amount: 8300 });
  const inMonths = new Date(Date.now() + 90 * 86_400_000).toISOString();
  await api(url, '/v1/overrides', 'POST', {
    propertyId: storage.id,
    accountId: license.account.id,
    value: 500,
    reason: 'Migration from the old system: extra storage for a quarter',
    expiresAt: inMonths,
  });
  const flag = (body) => api(url, '/v1/flags', 'POST', { productId, enabled: true, ...body });
  const editor = await flag({
    key: 'new-editor',
    description: 'The rewritten editor',
    strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['Enterprise'] }] }],
  });
  await flag({ key: 'dark-mode', description: 'Dark colour scheme', strategies: [{ name: 'default' }] });
  await flag({
    key: 'beta-reports',
    description: 'Reports v2 for a share of customers',
    strategies: [
      { name: 'flexibleRollout', parameters: { rollout: '0', stickiness: 'default', groupId: 'beta-reports' } },
    ],
  });
  await flag({ key: 'legacy-sync', description: 'Old sync engine', enabled: false, strategies: [{ name: 'default' }] });
  await api(url, `/v1/flags/${editor.id}/toggles/license/${license.id}`, 'PUT', {
    enabled: true,
    reason: 'Beta customer, agreed with their CTO',
  });
}

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
  const extended = page.waitForResponse((r) => r.url().includes('/actions/extend') && r.ok());
  await page.getByTestId('detail-extend-week').click();
  await extended;
  await page.goto('/audit');
  await settle(page);
  await page.getByTestId('audit-event').first().getByRole('button', { name: 'Show the changes' }).click();
  await shot(page, 'audit');

  await page.goto('/settings?tab=catalog');
  await shot(page, 'settings');

  // Settings → Entitlements of the demo's Acme Analytics: its properties and its plans' values. The demo trial is
  // based on Business Yearly; here it keeps Business's API call limit and only softens it ("inherits … from …");
  // then the plan value form.
  const acmePlans = (await api(server.url, '/v1/plans?limit=100')).data.filter((p) => p.product.code === 'ACME');
  const business = acmePlans.find((p) => p.name === 'Business Yearly');
  const trialPlan = acmePlans.find((p) => p.licenseType === 'trial');
  const acmeProperties = (await api(server.url, `/v1/properties?productId=${business.productId}`)).data;
  const callsProperty = acmeProperties.find((p) => p.key === 'api_calls');
  await api(server.url, `/v1/plans/${trialPlan.id}/properties/${callsProperty.id}`, 'PUT', { enforcement: 'soft' });
  await page.goto('/settings?tab=entitlements&product=ACME');
  await shot(page, 'settings-entitlements-desktop');
  await page.getByTestId('plan-matrix').scrollIntoViewIfNeeded();
  await shot(page, 'settings-entitlements-matrix-desktop');
  await page.locator('[data-testid="plan-cell"][data-key="api_calls"][data-plan="Trial"]').click();
  await page.getByTestId('plan-value-form').waitFor();
  await shot(page, 'settings-entitlements-plan-value-desktop');
  await page.keyboard.press('Escape');
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.goto('/settings?tab=entitlements&product=ACME');
  await shot(page, 'settings-entitlements-tablet');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Feature flags: the list, a flag with a rollout, a condition, a segment and variants, "Try it", segments.
  const [demoFlag] = (await api(server.url, '/v1/flags?limit=1')).data;
  const flagProduct = demoFlag.productId;
  const flagPlan = (await api(server.url, `/v1/plans?productId=${flagProduct}&limit=1`)).data[0];
  const paying = await api(server.url, '/v1/flag-segments', 'POST', {
    productId: flagProduct,
    name: 'Paying customers',
    description: 'Subscriptions, not trials',
    constraints: [{ contextName: 'licenseType', operator: 'IN', values: ['subscription', 'perpetual'] }],
  });
  const search = await api(server.url, '/v1/flags', 'POST', {
    productId: flagProduct,
    key: 'smart-search',
    description: 'Search that understands typos, rolled out by account',
    type: 'experiment',
    enabled: true,
    strategies: [
      {
        name: 'flexibleRollout',
        title: 'Business customers first',
        parameters: { rollout: '25', stickiness: 'accountId', groupId: 'smart-search' },
        constraints: [{ contextName: 'plan', operator: 'IN', values: [flagPlan.name, 'Enterprise'] }],
        segments: [paying.id],
      },
      { name: 'userWithId', parameters: { userIds: 'qa@acme.test,lead@acme.test' } },
    ],
    variants: [
      { name: 'fuzzy', weight: 500, weightType: 'variable', stickiness: 'accountId' },
      {
        name: 'semantic',
        weight: 500,
        weightType: 'variable',
        stickiness: 'accountId',
        payload: { type: 'json', value: '{"model":"small"}' },
      },
    ],
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/flags?product=${flagProduct}`);
  await shot(page, 'flags-list-desktop');
  await page.goto(`/flags/${search.id}`);
  await shot(page, 'flags-detail-desktop');
  await page.getByTestId('strategy-card').first().scrollIntoViewIfNeeded();
  await page.getByTestId('try-license').click();
  await page.getByRole('option').first().click();
  await page.getByTestId('try-run').click();
  await page.getByTestId('try-result').waitFor();
  await page.getByTestId('try-it').scrollIntoViewIfNeeded();
  await shot(page, 'flags-try-desktop');
  await page.goto(`/flags?tab=segments&product=${flagProduct}`);
  await shot(page, 'flags-segments-desktop');
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.goto(`/flags?product=${flagProduct}`);
  await shot(page, 'flags-list-tablet');
  await page.goto(`/flags/${search.id}`);
  await shot(page, 'flags-detail-tablet');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Flags & entitlements: a Flowdesk license (the demo seeds entitlements for Acme only, so this product gets the
  // screenshot's own), its account, and the explain drawer.
  const entitled = (await api(server.url, '/v1/licenses?limit=100')).data.find(
    (l) => l.product.code === 'FLOW' && ['active', 'expiring'].includes(l.status),
  );
  await seedEntitlements(server.url, entitled);
  await page.goto(`/licenses/${entitled.id}?tab=entitlements`);
  await shot(page, 'entitlements-license-desktop');
  await page.getByTestId('flags-card').scrollIntoViewIfNeeded();
  await shot(page, 'entitlements-flags-desktop');
  await page.locator('[data-testid="property-row"][data-key="storage"]').getByTestId('property-why').click();
  await page.getByTestId('trace').waitFor();
  await shot(page, 'entitlements-explain-desktop');
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="flag-row"][data-key="new-editor"]').getByTestId('flag-why-button').click();
  await page.getByTestId('trace').waitFor();
  await shot(page, 'entitlements-flag-explain-desktop');
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="property-row"][data-key="api_calls"]').getByTestId('property-change').click();
  await page.getByTestId('override-form').waitFor();
  await shot(page, 'entitlements-override-desktop');
  await page.keyboard.press('Escape');
  await page.goto(`/accounts/${entitled.account.id}?tab=entitlements`);
  await shot(page, 'entitlements-account-desktop');

  await page.setViewportSize({ width: 820, height: 1180 });
  await page.goto('/');
  await shot(page, 'home-tablet');
  await page.goto(`/licenses/${entitled.id}?tab=entitlements`);
  await shot(page, 'entitlements-license-tablet');
  await page.getByTestId('flags-card').scrollIntoViewIfNeeded();
  await shot(page, 'entitlements-flags-tablet');
  await page.goto(`/accounts/${entitled.account.id}?tab=entitlements`);
  await shot(page, 'entitlements-account-tablet');

  // The same view in German (same session; the language is chosen per browser).
  const german = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1280, height: 800 },
    locale: 'de-DE',
    timezoneId: 'UTC',
  });
  await german.addCookies(await context.cookies());
  await german.addInitScript(() => localStorage.setItem('keyward.language', 'de'));
  const de = await german.newPage();
  await de.goto(`/licenses/${entitled.id}?tab=entitlements`);
  await de.getByTestId('flags-card').scrollIntoViewIfNeeded();
  await shot(de, 'entitlements-license-de-desktop');
  await german.close();
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
