import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser, launchBrowser, openPage, screenshotOnFailure, signIn } from './support/browser.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from './support/server.ts';

const READER = {
  email: 'rory.reader@keyward.test',
  name: 'Rory Reader',
  role: 'read_only',
  password: 'reading the catalog all day',
};
const TAB = '/settings?tab=entitlements&product=PROP';

interface Property {
  id: string;
  key: string;
  name: string;
  type: string;
  enforcement: string | null;
  warningThresholdPercent: number | null;
  unit: string;
}
interface EntitlementsState {
  properties: { key: string; value: unknown; enforcement: string | null; source: { kind: string; planName: string } }[];
}

let server: TestServer;
let browser: Browser;
let page: Page | undefined;
const seed = { productId: '', businessId: '', trialId: '', accountId: '', licenseId: '' };

const api = <T>(method: string, path: string, body?: unknown) => server.ok<T>(method, path, body);

/** A product of its own with a plan and a trial based on it, a license of the plan, and `sso` used by both layers. */
async function seedProduct() {
  const product = await api<{ id: string }>('POST', '/v1/products', { code: 'PROP', name: 'Prop Suite' });
  const business = await api<{ id: string }>('POST', '/v1/plans', {
    productId: product.id,
    name: 'Business',
    licenseType: 'subscription',
    durationDays: 365,
  });
  const trial = await api<{ id: string }>('POST', '/v1/plans', {
    productId: product.id,
    name: 'Trial',
    licenseType: 'trial',
    durationDays: 14,
    basePlanId: business.id,
  });
  const sso = await api<{ id: string }>('POST', '/v1/properties', {
    productId: product.id,
    key: 'sso',
    name: 'Single sign-on',
    type: 'boolean',
  });
  await api('PUT', `/v1/plans/${business.id}/properties/${sso.id}`, { value: true });
  const account = await api<{ id: string }>('POST', '/v1/accounts', { name: 'Initech Props' });
  await api('POST', '/v1/overrides', {
    propertyId: sso.id,
    accountId: account.id,
    value: false,
    reason: 'SSO disabled on request',
  });
  const license = await api<{ id: string }>('POST', '/v1/licenses', {
    planId: business.id,
    accountId: account.id,
    name: 'Main',
  });
  Object.assign(seed, {
    productId: product.id,
    businessId: business.id,
    trialId: trial.id,
    accountId: account.id,
    licenseId: license.id,
  });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await createUser(server, READER);
  await seedProduct();
});

afterEach(async ({ task }) => screenshotOnFailure(page, task));

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  const opened = await openPage(browser, server);
  page = opened.page;
  await signIn(page, email, password);
  return page;
}

async function openTab(p: Page) {
  await p.goto(TAB);
  await p.getByTestId('catalog-properties').waitFor();
  await p.getByTestId('plan-matrix').waitFor();
  await p.waitForFunction(() => !document.querySelector('.mantine-Skeleton-root, [aria-busy="true"]'));
}

const properties = async () =>
  (await api<{ data: Property[] }>('GET', `/v1/properties?productId=${seed.productId}`)).data;
const row = (p: Page, key: string): Locator => p.locator(`[data-testid="catalog-property"][data-key="${key}"]`);
const cell = (p: Page, key: string, plan: string): Locator =>
  p.locator(`[data-testid="plan-cell"][data-key="${key}"][data-plan="${plan}"]`);

describe('Settings → Entitlements', () => {
  it('an admin defines a number limit, sets it for a plan and a trial softens it: the matrix and licenses agree', async () => {
    const p = await signedIn();
    await openTab(p);
    await p.getByTestId('property-new').click();
    const dialog = p.getByRole('dialog');
    await dialog.getByTestId('property-key').fill('seats');
    await dialog.getByTestId('property-name').fill('Seats');
    await dialog.getByTestId('property-type').getByText('Number', { exact: true }).click();
    await dialog.getByTestId('override-number').fill('5');
    await dialog.getByTestId('property-unit').fill('seats');
    await dialog.getByTestId('property-enforcement-input').getByText('Hard limit', { exact: true }).click();
    await dialog.getByTestId('property-threshold').fill('80');
    await dialog.getByTestId('property-save').click();
    await p.getByTestId('toast-property-saved').waitFor();
    await dialog.waitFor({ state: 'detached' });

    // The table shows the definition, and so does the API.
    await row(p, 'seats').waitFor();
    expect(await row(p, 'seats').getByTestId('property-enforcement').innerText()).toMatch(/hard limit/i);
    expect(await row(p, 'seats').getByTestId('property-warning').innerText()).toBe('warning at 80 %');
    expect(await row(p, 'seats').getByTestId('property-default').innerText()).toBe('5 seats');
    const seats = (await properties()).find((x) => x.key === 'seats');
    expect(seats).toMatchObject({ type: 'number', enforcement: 'hard', warningThresholdPercent: 80, unit: 'seats' });

    // Business gets 25 seats, set from the keyboard: the cell is a button.
    expect(await cell(p, 'seats', 'Business').getAttribute('data-kind')).toBe('default');
    await cell(p, 'seats', 'Business').focus();
    await p.keyboard.press('Enter');
    const form = p.getByTestId('plan-value-form');
    await form.getByTestId('override-number').fill('25');
    await form.getByTestId('plan-value-save').click();
    await p.getByTestId('toast-plan-value').waitFor();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => cell(p, 'seats', 'Business').getAttribute('data-kind')).toBe('own');
    expect(await cell(p, 'seats', 'Business').innerText()).toContain('25 seats');
    // The trial (based on Business) inherits it.
    await expect.poll(() => cell(p, 'seats', 'Trial').innerText()).toBe('25 seats · from Business');

    // The trial keeps Business's value and only makes the limit soft.
    await cell(p, 'seats', 'Trial').click();
    await form.getByTestId('plan-value-mode-enforcement').click();
    await form.getByTestId('plan-value-save').click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => cell(p, 'seats', 'Trial').getAttribute('data-kind')).toBe('enforcementOnly');
    const trialCell = await cell(p, 'seats', 'Trial').innerText();
    expect(trialCell).toContain('inherits 25 seats from Business');
    expect(trialCell).toMatch(/soft limit/i);
    const trialValues = await api<{ data: { property: { key: string }; planValue: unknown; value: unknown }[] }>(
      'GET',
      `/v1/plans/${seed.trialId}/properties`,
    );
    expect(trialValues.data.find((v) => v.property.key === 'seats')).toMatchObject({
      value: 25,
      planValue: { inheritsValue: true, enforcement: 'soft' },
    });

    // It takes effect on a license of the plan: the check call and the license's "Flags & entitlements" tab.
    const state = await api<EntitlementsState>('GET', `/v1/licenses/${seed.licenseId}/entitlements`);
    expect(state.properties.find((x) => x.key === 'seats')).toMatchObject({
      value: 25,
      enforcement: 'hard',
      source: { kind: 'plan', planName: 'Business' },
    });
    await p.goto(`/licenses/${seed.licenseId}?tab=entitlements`);
    const licenseRow = p.locator('[data-testid="property-row"][data-key="seats"]');
    await expect.poll(() => licenseRow.innerText()).toContain('25 seats');
  });

  it("shows the server's field errors in the modal: a key with spaces, a threshold above 100", async () => {
    const p = page ?? (await signedIn());
    await openTab(p);
    await p.getByTestId('property-new').click();
    const dialog = p.getByRole('dialog');
    await dialog.getByTestId('property-key').fill('api calls');
    await dialog.getByTestId('property-name').fill('API calls');
    await dialog.getByTestId('property-type').getByText('Number', { exact: true }).click();
    await dialog.getByTestId('property-threshold').fill('150');
    const answer = p.waitForResponse((r) => r.url().endsWith('/v1/properties') && r.request().method() === 'POST');
    await dialog.getByTestId('property-save').click();
    expect((await answer).status()).toBe(400);
    await dialog.getByText('no spaces', { exact: false }).waitFor();
    await dialog.getByText('from 1 to 100', { exact: false }).waitFor();
    expect(await dialog.getByTestId('property-key').getAttribute('aria-invalid')).toBe('true');
    expect((await properties()).some((x) => x.name === 'API calls')).toBe(false);

    // Fixed, it saves.
    await dialog.getByTestId('property-key').fill('api_calls');
    await dialog.getByTestId('property-threshold').fill('90');
    await dialog.getByTestId('property-save').click();
    await dialog.waitFor({ state: 'detached' });
    await row(p, 'api_calls').waitFor();
    expect((await properties()).find((x) => x.key === 'api_calls')?.warningThresholdPercent).toBe(90);

    // A key that is taken is said at the key.
    await p.getByTestId('property-new').click();
    await dialog.getByTestId('property-key').fill('sso');
    await dialog.getByTestId('property-name').fill('Another SSO');
    await dialog.getByTestId('property-save').click();
    await dialog.getByText('already has a property with this key').waitFor();
    await p.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('deleting a property in use says what uses it; deleting it with its values removes them too', async () => {
    const p = page ?? (await signedIn());
    await openTab(p);
    await row(p, 'sso').getByTestId('property-delete').click();
    const dialog = p.getByTestId('property-delete-dialog');
    await dialog.getByTestId('property-delete-confirm').click();
    const inUse = dialog.getByTestId('property-in-use');
    await inUse.waitFor();
    expect(await inUse.innerText()).toContain('used by 1 plan value, 1 override');
    expect((await properties()).some((x) => x.key === 'sso')).toBe(true);

    await dialog.getByRole('button', { name: 'Delete with its plan values and overrides' }).click();
    await p.getByTestId('toast-property-deleted').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await row(p, 'sso').waitFor({ state: 'detached' });
    await p.locator('[data-testid="matrix-row"][data-key="sso"]').waitFor({ state: 'detached' });
    expect((await properties()).some((x) => x.key === 'sso')).toBe(false);
    const overrides = await api<{ data: unknown[] }>('GET', `/v1/overrides?accountId=${seed.accountId}`);
    expect(overrides.data).toEqual([]);
  });

  it('a read-only user sees the properties and plan values without any control to change them', async () => {
    const p = await signedIn(READER.email, READER.password);
    await openTab(p);
    await row(p, 'seats').waitFor();
    expect(await cell(p, 'seats', 'Business').innerText()).toContain('25 seats');
    expect(await p.getByTestId('property-new').count()).toBe(0);
    expect(await p.getByTestId('property-edit').count()).toBe(0);
    expect(await p.getByTestId('property-delete').count()).toBe(0);
    // Cells are plain text, not buttons: nothing to click or focus.
    expect(await p.locator('button[data-testid="plan-cell"]').count()).toBe(0);
    await cell(p, 'seats', 'Business').click();
    expect(await p.getByTestId('plan-value-form').count()).toBe(0);
  });
});
