import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser, launchBrowser, openPage, screenshotOnFailure, signIn } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';

const MANAGER = {
  email: 'alice.manager@keyward.test',
  name: 'Alice Manager',
  role: 'account_manager',
  password: 'managing accounts all day',
};
const READER = {
  email: 'rita.reader@keyward.test',
  name: 'Rita Reader',
  role: 'read_only',
  password: 'reading all day long',
};
const ACCOUNT = 'Globex Testing';

interface FlagState {
  key: string;
  enabled: boolean;
}
interface EntitlementsState {
  properties: {
    key: string;
    value: unknown;
    source: { kind: string; reason: string | null; authorName: string | null };
  }[];
}

let server: TestServer;
let browser: Browser;
let page: Page | undefined;
const seed = { accountId: '', licenseId: '', otherLicenseId: '', licenseKey: '', otherKey: '' };

const api = <T>(method: string, path: string, body?: unknown) => server.ok<T>(method, path, body);

/** A product of its own: a boolean and a metered number property, a plan value, usage, two flags, two licenses. */
async function seedProduct() {
  const product = await api<{ id: string }>('POST', '/v1/products', { code: 'ENTL', name: 'Entitle Suite' });
  const plan = await api<{ id: string }>('POST', '/v1/plans', {
    productId: product.id,
    name: 'Starter',
    licenseType: 'subscription',
    durationDays: 365,
  });
  await api('POST', '/v1/properties', {
    productId: product.id,
    key: 'sso',
    name: 'Single sign-on',
    type: 'boolean',
    defaultValue: false,
  });
  const calls = await api<{ id: string }>('POST', '/v1/properties', {
    productId: product.id,
    key: 'api_calls',
    name: 'API calls',
    type: 'number',
    defaultValue: 1000,
    metered: true,
    resetPeriod: 'monthly',
    warningThresholdPercent: 80,
    unit: 'calls',
  });
  await api('PUT', `/v1/plans/${plan.id}/properties/${calls.id}`, { value: 5000 });
  const account = await api<{ id: string }>('POST', '/v1/accounts', { name: ACCOUNT });
  const issue = (name: string) =>
    api<{ id: string; key: string }>('POST', '/v1/licenses', { planId: plan.id, accountId: account.id, name });
  const [main, other] = [await issue('Main'), await issue('Second')];
  await api('POST', `/v1/licenses/${main.id}/usage/api_calls`, { amount: 4200 });
  // Off by its rules for these licenses (only Enterprise plans get it), and one on for everyone.
  await api('POST', '/v1/flags', {
    productId: product.id,
    key: 'new-editor',
    description: 'The rewritten editor',
    enabled: true,
    strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['Enterprise'] }] }],
  });
  await api('POST', '/v1/flags', {
    productId: product.id,
    key: 'dark-mode',
    enabled: true,
    strategies: [{ name: 'default' }],
  });
  Object.assign(seed, {
    accountId: account.id,
    licenseId: main.id,
    otherLicenseId: other.id,
    licenseKey: main.key,
    otherKey: other.key,
  });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await createUser(server, MANAGER);
  await createUser(server, READER);
  await seedProduct();
});

afterEach(async ({ task }) => screenshotOnFailure(page, task));

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(user: { email: string; password: string }) {
  const opened = await openPage(browser, server);
  page = opened.page;
  await signIn(page, user.email, user.password);
  return page;
}

/** Opens the tab and waits until every card has loaded. */
async function openTab(p: Page, path: string) {
  await p.goto(path);
  await p.getByTestId('properties-table').waitFor();
  await p.getByTestId('flags-table').waitFor();
  await p.waitForFunction(() => !document.querySelector('.mantine-Skeleton-root, [aria-busy="true"]'));
}

const propertyRow = (p: Page, key: string): Locator => p.locator(`[data-testid="property-row"][data-key="${key}"]`);
const flagRow = (p: Page, key: string): Locator => p.locator(`[data-testid="flag-row"][data-key="${key}"]`);

/** The dashboard's own source (GET /v1/licenses/:id/flags): each flag evaluated for the license. */
const licenseFlags = async (id: string) =>
  (await api<{ flags: { evaluated: FlagState }[] }>('GET', `/v1/licenses/${id}/flags`)).flags.map((f) => f.evaluated);
const clientFlags = async (key: string) => {
  const res = await fetch(`${server.url}/v1/client/flags`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { evaluated: FlagState[] }).evaluated;
};
const enabledIn = (flags: FlagState[], key: string) => flags.find((f) => f.key === key)?.enabled;

describe('Flags & entitlements', () => {
  it('an account manager turns a flag on for one license: the UI says why, the API agrees for that license only', async () => {
    const p = await signedIn(MANAGER);
    await openTab(p, `/licenses/${seed.licenseId}?tab=entitlements`);
    await p.getByTestId('trial-card').waitFor();
    expect(await propertyRow(p, 'api_calls').getByTestId('value-source').innerText()).toContain('Plan Starter');

    const row = flagRow(p, 'new-editor');
    expect(await row.getByTestId('flag-state').getAttribute('data-enabled')).toBe('false');
    expect(await row.getByTestId('flag-why').innerText()).toContain('do not include this customer');
    await row.getByTestId('flag-switch').getByText('On', { exact: true }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByTestId('toggle-form').waitFor();
    // The reason is required.
    await dialog.getByTestId('toggle-save').click();
    await dialog.getByText('Say why').waitFor();
    await dialog.getByTestId('toggle-reason').fill('Beta customer, agreed with Ann');
    await dialog.getByTestId('toggle-save').click();
    await dialog.waitFor({ state: 'detached' });
    await p.getByTestId('toast-toggle').waitFor();

    await expect.poll(() => row.getByTestId('flag-state').getAttribute('data-enabled')).toBe('true');
    const why = await row.getByTestId('flag-why').innerText();
    expect(why).toContain('Switched on for this license by Alice Manager');
    expect(why).toContain('Beta customer, agreed with Ann');
    expect(await row.getByTestId('flag-switch').locator('input:checked').getAttribute('value')).toBe('on');

    // The API: on for this license, still off for the other license of the same account.
    expect(enabledIn(await licenseFlags(seed.licenseId), 'new-editor')).toBe(true);
    expect(enabledIn(await licenseFlags(seed.otherLicenseId), 'new-editor')).toBe(false);
    expect(enabledIn(await clientFlags(seed.licenseKey), 'new-editor')).toBe(true);
    expect(enabledIn(await clientFlags(seed.otherKey), 'new-editor')).toBe(false);

    // Why? tells the same story: the license toggle decided.
    await row.getByTestId('flag-why-button').click();
    const drawer = p.getByRole('dialog', { name: 'Why: new-editor' });
    await expect.poll(() => drawer.getByTestId('flag-explain-result').getAttribute('data-enabled')).toBe('true');
    const steps = await drawer.getByTestId('trace-step').allInnerTexts();
    expect(steps.some((s) => s.includes('Switched on for this license by a per-customer switch'))).toBe(true);
    await p.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('shows usage against the limit (warning at 80 %) and its history in the explain drawer', async () => {
    // The usage comes with GET /v1/licenses/:id/entitlements once the usage reader is wired into
    // EntitlementsService (app.ts); the history (explain drawer) comes from the usage module directly.
    const p = page ?? (await signedIn(MANAGER));
    await openTab(p, `/licenses/${seed.licenseId}?tab=entitlements`);
    const row = propertyRow(p, 'api_calls');
    await row.getByTestId('property-why').click();
    const drawer = p.getByRole('dialog', { name: 'Why: API calls' });
    await expect
      .poll(() => drawer.locator('[data-testid="trace-step"][data-outcome="decided"]').innerText())
      .toContain('Plan Starter sets 5,000 calls. This decides.');
    await drawer.getByText('+4,200 → 4,200', { exact: false }).waitFor();
    await p.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    // The plan's 5000 calls, 4200 used (84 % ≥ 80 %: warning).
    expect(await row.getByTestId('property-value').innerText()).toContain('5,000 calls');
    const usage = row.getByTestId('usage');
    expect(await usage.getAttribute('data-status')).toBe('warning');
    expect(await usage.innerText()).toContain('4,200 of 5,000 calls used');
  });

  it('sets an account override with a reason: the table shows it as the source and explain says it decides', async () => {
    const p = page ?? (await signedIn(MANAGER));
    await openTab(p, `/licenses/${seed.licenseId}?tab=entitlements`);
    await propertyRow(p, 'api_calls').getByTestId('property-change').click();
    const dialog = p.getByRole('dialog', { name: 'Change API calls' });
    await dialog.getByTestId('override-target').getByText(`Whole account (${ACCOUNT})`).click();
    await dialog.getByTestId('override-number').fill('12000');
    // Reason required, checked before anything is sent.
    await dialog.getByTestId('override-save').click();
    await dialog.getByText('Say why this customer gets this value.').waitFor();
    await dialog.getByTestId('override-reason').fill('Deal #4711: more calls until June');
    await dialog.getByTestId('override-save').click();
    await dialog.waitFor({ state: 'detached' });
    await p.getByTestId('toast-override-saved').waitFor();

    const row = propertyRow(p, 'api_calls');
    await expect.poll(() => row.getByTestId('property-value').innerText()).toContain('12,000 calls');
    const source = row.getByTestId('value-source');
    expect(await source.getAttribute('data-kind')).toBe('account_override');
    const sourceText = await source.innerText();
    expect(sourceText).toContain('Account override');
    expect(sourceText).toContain('Deal #4711: more calls until June');
    expect(sourceText).toContain('Alice Manager');

    await row.getByTestId('property-why').click();
    const drawer = p.getByRole('dialog', { name: 'Why: API calls' });
    const decided = drawer.locator('[data-testid="trace-step"][data-outcome="decided"]');
    await expect.poll(() => decided.innerText()).toContain('Account override sets 12,000 calls. This decides.');
    const steps = await drawer.getByTestId('trace-step').allInnerTexts();
    expect(steps[0]).toContain('No override for this license.');
    expect(steps.some((s) => s.includes('Plan Starter would set 5,000 calls, overridden by: Account override'))).toBe(
      true,
    );
    await p.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // The API holds it for the account, with reason and author; the other license gets it too.
    const state = await api<EntitlementsState>('GET', `/v1/licenses/${seed.otherLicenseId}/entitlements`);
    const calls = state.properties.find((x) => x.key === 'api_calls');
    expect(calls).toMatchObject({
      value: 12000,
      source: { kind: 'account_override', reason: 'Deal #4711: more calls until June', authorName: 'Alice Manager' },
    });

    // A boolean's switch opens the same form with the flipped value: SSO on for this license only.
    await propertyRow(p, 'sso').getByRole('switch').click({ force: true });
    const sso = p.getByRole('dialog', { name: 'Change Single sign-on' });
    await sso.getByTestId('override-reason').fill('Pilot with SSO');
    await sso.getByTestId('override-save').click();
    await sso.waitFor({ state: 'detached' });
    await expect
      .poll(() => propertyRow(p, 'sso').getByTestId('value-source').getAttribute('data-kind'))
      .toBe('license_override');
    expect(await propertyRow(p, 'sso').getByRole('switch').isChecked()).toBe(true);
    // …and Undo in its toast removes it again: the default decides.
    await p.getByTestId('toast-override-saved').last().getByTestId('entitlements-undo').click();
    await p.getByTestId('toast-undone').waitFor();
    await expect
      .poll(() => propertyRow(p, 'sso').getByTestId('value-source').getAttribute('data-kind'))
      .toBe('default');
    expect(await propertyRow(p, 'sso').getByRole('switch').isChecked()).toBe(false);

    // The account page shows the account override (and offers the account-wide flag switch).
    await openTab(p, `/accounts/${seed.accountId}?tab=entitlements`);
    const accountRow = propertyRow(p, 'api_calls');
    expect(await accountRow.getByTestId('value-source').getAttribute('data-kind')).toBe('account_override');
    expect(await accountRow.getByTestId('property-value').innerText()).toContain('12,000 calls');
    expect(await propertyRow(p, 'sso').innerText()).toContain('No account override');
    expect(await flagRow(p, 'new-editor').getByTestId('flag-switch').count()).toBe(1);
  });

  it('shows a read-only user everything, with no controls', async () => {
    const p = await signedIn(READER);
    await openTab(p, `/licenses/${seed.licenseId}?tab=entitlements`);
    expect(await propertyRow(p, 'api_calls').getByTestId('property-value').innerText()).toContain('12,000 calls');
    expect(await flagRow(p, 'new-editor').getByTestId('flag-state').getAttribute('data-enabled')).toBe('true');
    expect(await flagRow(p, 'new-editor').getByTestId('flag-why').innerText()).toContain('Alice Manager');
    const controls = async () => ({
      change: await p.getByTestId('property-change').count(),
      switches: await p.getByRole('switch').count(),
      flagSwitches: await p.getByTestId('flag-switch').count(),
    });
    expect(await controls()).toEqual({ change: 0, switches: 0, flagSwitches: 0 });
    // Explaining is for everyone.
    expect(await p.getByTestId('property-why').count()).toBe(2);
    await propertyRow(p, 'sso').getByTestId('property-why').click();
    await p.getByRole('dialog', { name: 'Why: Single sign-on' }).getByTestId('trace').waitFor();
    await p.keyboard.press('Escape');

    await openTab(p, `/accounts/${seed.accountId}?tab=entitlements`);
    expect(await controls()).toEqual({ change: 0, switches: 0, flagSwitches: 0 });
  });
});
