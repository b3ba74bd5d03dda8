import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshotOnFailure, signIn } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';

const HOUR_MS = 3_600_000;

let server: TestServer;
let browser: Browser;
let page: Page | undefined;
const seed = { productId: '', reportedId: '', quietId: '', reportedHour: '' };

const api = <T>(method: string, path: string, body?: unknown) => server.ok<T>(method, path, body);

/** A call of the Unleash client API, as an Unleash SDK makes it (the client token as is in Authorization). */
async function unleash(secret: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${server.url}/api/client/${path}`, {
    method: 'POST',
    headers: { authorization: secret, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`POST /api/client/${path} → ${res.status}: ${await res.text()}`);
}

/** A product with two flags and a client token; an SDK registers and reports one of the flags. */
async function seedFlags() {
  const product = await api<{ id: string }>('POST', '/v1/products', { code: 'METR', name: 'Metrics Suite' });
  const reported = await api<{ id: string }>('POST', '/v1/flags', {
    productId: product.id,
    key: 'checkout-v2',
    enabled: true,
    variants: [
      { name: 'blue', weight: 500, stickiness: 'default' },
      { name: 'green', weight: 500, stickiness: 'default' },
    ],
  });
  const quiet = await api<{ id: string }>('POST', '/v1/flags', { productId: product.id, key: 'never-reported' });
  const token = await api<{ secret: string }>('POST', '/v1/tokens', {
    name: 'checkout service',
    role: 'client',
    productId: product.id,
  });
  await unleash(token.secret, 'register', {
    appName: 'checkout',
    instanceId: 'checkout-1',
    sdkVersion: 'unleash-client-node:6.1.0',
    strategies: ['default', 'flexibleRollout'],
    started: new Date().toISOString(),
    interval: 60_000,
  });
  const start = new Date(Date.now() - 1000);
  await unleash(token.secret, 'metrics', {
    appName: 'checkout',
    instanceId: 'checkout-1',
    bucket: {
      start: start.toISOString(),
      stop: new Date().toISOString(),
      toggles: { 'checkout-v2': { yes: 7, no: 3, variants: { blue: 4, green: 3 } } },
    },
  });
  Object.assign(seed, {
    productId: product.id,
    reportedId: reported.id,
    quietId: quiet.id,
    reportedHour: new Date(Math.floor(start.getTime() / HOUR_MS) * HOUR_MS).toISOString(),
  });
}

describe('flag usage metrics in the dashboard', () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    await seedFlags();
  });
  afterEach(async (ctx) => {
    await screenshotOnFailure(page, ctx.task);
    await page?.context().close();
    page = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows what the SDK reported: evaluations, share enabled, variants, the last reported hour', async () => {
    ({ page } = await openPage(browser, server));
    await signIn(page);
    await page.goto(`/flags/${seed.reportedId}`);
    const panel = page.getByTestId('flag-metrics-panel');
    await expect.poll(() => panel.getByTestId('flag-metrics-evaluations').textContent()).toBe('10');
    expect(await panel.getByTestId('flag-metrics-enabled').textContent()).toBe('70%');
    const last = panel.getByTestId('flag-metrics-last-reported');
    expect(await last.getAttribute('data-hour')).toBe(seed.reportedHour);
    expect((await last.textContent())?.trim()).not.toBe('—');
    const variants = panel.getByTestId('flag-metrics-variant');
    expect(await variants.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['blue', 'green']);
    expect(await panel.getByTestId('flag-metrics-empty').count()).toBe(0);

    // The 7-day window counts the same report (one daily bar).
    await panel.getByText('7 d').click();
    await expect.poll(() => panel.getByTestId('flag-metrics-evaluations').textContent()).toBe('10');
  });

  it('a flag no SDK has reported shows the empty state', async () => {
    ({ page } = await openPage(browser, server));
    await signIn(page);
    await page.goto(`/flags/${seed.quietId}`);
    const empty = page.getByTestId('flag-metrics-panel').getByTestId('flag-metrics-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('No SDK has reported this flag yet');
    expect(await page.getByTestId('flag-metrics-evaluations').count()).toBe(0);
  });

  it('lists the connected SDK instance under Feature flags → Connected SDKs, filtered by product', async () => {
    ({ page } = await openPage(browser, server));
    await signIn(page);
    await page.goto('/flags');
    await page.getByRole('tab', { name: 'Connected SDKs' }).click();
    const row = page.locator('[data-testid="flag-client-row"][data-instance="checkout-1"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('checkout');
    expect(await row.textContent()).toContain('unleash-client-node:6.1.0');
    expect(await row.getByTestId('flag-client-stale').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('tab')).toBe('sdks');

    // Another product has no SDKs: the filter shows the empty state.
    const other = await api<{ id: string }>('POST', '/v1/products', { code: 'NOSDK', name: 'No SDK Suite' });
    await page.goto(`/flags?tab=sdks&product=${other.id}`);
    await page.getByTestId('flag-clients-empty').waitFor();
    expect(await page.getByTestId('flag-client-row').count()).toBe(0);
    await page.goto(`/flags?tab=sdks&product=${seed.productId}`);
    await row.waitFor();
  });
});
