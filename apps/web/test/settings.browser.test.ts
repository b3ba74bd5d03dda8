import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshotOnFailure, signIn } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  ({ page } = await openPage(browser, server));
  await signIn(page);
});

afterEach(async ({ task }) => screenshotOnFailure(page, task));

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('settings (admin)', () => {
  it('creates an API token, shows its secret once with a copy button, and revokes it after a confirmation', async () => {
    await page.goto('/settings?tab=tokens');
    await page.getByRole('button', { name: 'New token' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Name' }).fill('CI export');
    await dialog.getByRole('button', { name: 'Create token' }).click();

    await dialog.getByText('Copy the secret now').waitFor();
    const secret = (await dialog.getByTestId('token-secret').innerText()).trim();
    expect(secret.length).toBeGreaterThan(20);
    await dialog.getByRole('button', { name: 'Copy secret' }).click();
    await dialog.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    // The secret works (read-only token: reads yes, writes no)…
    expect((await server.api('GET', '/v1/products', undefined, secret)).status).toBe(200);
    expect((await server.api('POST', '/v1/accounts', { name: 'Nope' }, secret)).status).toBe(403);

    // …and is never shown again: closing the dialog leaves only its prefix in the list.
    await dialog.getByRole('button', { name: 'I have stored it' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByTestId('token-row').filter({ hasText: 'CI export' });
    await row.waitFor();
    expect(await page.getByText(secret).count()).toBe(0);

    await row.getByRole('button', { name: 'Revoke CI export' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke CI export?' });
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked').waitFor();
    expect((await server.api('GET', '/v1/products', undefined, secret)).status).toBe(401);
  });

  it('creates a user with a role, changes the role and disables the user', async () => {
    await page.goto('/settings');
    await page.getByRole('tab', { name: 'Users & roles', selected: true }).waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Email' }).fill('sam.support@keyward.test');
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Sam Support');
    await dialog.getByLabel('Password', { exact: true }).fill('a long enough password');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('user-row').filter({ hasText: 'sam.support@keyward.test' });
    const role = row.getByRole('combobox', { name: 'Role of Sam Support' });
    expect(await role.inputValue()).toBe('Support');
    await role.click();
    await page.getByRole('option', { name: 'Read only' }).click();
    await page.getByText('Role changed.').first().waitFor();

    await row.getByRole('button', { name: 'Actions for Sam Support' }).click();
    await page.getByRole('menuitem', { name: 'Disable' }).click();
    await page.getByRole('dialog', { name: 'Disable Sam Support?' }).getByRole('button', { name: 'Disable' }).click();
    await row.getByText('Disabled').waitFor();

    const users = await server.api<{ data: { email: string; role: string; disabled: boolean }[] }>('GET', '/v1/users');
    expect(users.body.data.find((u) => u.email === 'sam.support@keyward.test')).toMatchObject({
      role: 'read_only',
      disabled: true,
    });
  });

  it('creates a product and a plan with every plan field, and edits the plan', async () => {
    await page.goto('/settings?tab=catalog');
    await page.getByRole('button', { name: 'New product' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Code' }).fill('zeta9');
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Zeta Server');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('product-row').filter({ hasText: 'ZETA9' }).waitFor();

    await page.getByRole('button', { name: 'New plan' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Product' }).click();
    await page.getByRole('option', { name: /ZETA9/ }).click();
    await dialog.getByRole('textbox', { name: 'Plan' }).fill('Zeta Pro');
    await dialog.getByText('Perpetual').click();
    await dialog.getByRole('textbox', { name: 'Duration (days)' }).fill('');
    await dialog.getByRole('textbox', { name: 'Grace (days)' }).fill('14');
    await dialog.getByRole('textbox', { name: 'Maintenance (days)' }).fill('365');
    await dialog.getByRole('textbox', { name: 'Seats' }).fill('5');
    await dialog.getByRole('textbox', { name: 'Heartbeat (seconds)' }).fill('600');
    await dialog.getByRole('combobox', { name: 'When expired' }).click();
    await page.getByRole('option', { name: 'Maintain' }).click();
    await dialog.getByRole('switch', { name: 'Machine fingerprint' }).check();
    const entitlements = dialog.getByRole('combobox', { name: 'Entitlements' });
    await entitlements.fill('export.pdf');
    await entitlements.press('Enter');
    await entitlements.fill('sso');
    await entitlements.press('Enter');
    await dialog.getByRole('combobox', { name: 'Key scheme' }).click();
    await page.getByRole('option', { name: 'Signed (offline)' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Max offline period (hours)' }).inputValue()).toBe('720');
    await dialog.getByRole('textbox', { name: 'Max offline period (hours)' }).fill('168');
    await dialog.getByRole('textbox', { name: 'Files without a machine' }).fill('2');
    await dialog.getByRole('switch', { name: /^Require a nonce/ }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const plans = await server.api<{ data: Record<string, unknown>[] }>('GET', '/v1/plans?limit=500');
    const plan = plans.body.data.find((p) => p.name === 'Zeta Pro');
    expect(plan).toMatchObject({
      licenseType: 'perpetual',
      durationDays: null,
      graceDays: 14,
      maintenanceDays: 365,
      maxMachines: 5,
      floating: true,
      heartbeatIntervalSeconds: 600,
      expirationStrategy: 'maintain',
      requireFingerprint: true,
      requireDomain: false,
      entitlements: ['export.pdf', 'sso'],
      keyScheme: 'ed25519-signed',
      maxOfflineSeconds: 168 * 3600,
      maxUnboundFiles: 2,
      requireNonce: true,
      product: { code: 'ZETA9' },
    });

    await page.getByRole('button', { name: 'Edit Zeta Pro (ZETA9)' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Grace (days)' }).fill('21');
    // Node-locked means exactly one machine: the seat field follows.
    await dialog.getByRole('switch', { name: /^Floating/ }).uncheck();
    expect(await dialog.getByRole('textbox', { name: 'Seats' }).inputValue()).toBe('1');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('plan-row').filter({ hasText: 'Zeta Pro' }).getByText('1 · node-locked').waitFor();
    const edited = await server.api<Record<string, unknown>>('GET', `/v1/plans/${plan?.id}`);
    expect(edited.body).toMatchObject({
      maxMachines: 1,
      floating: false,
      graceDays: 21,
      keyScheme: 'ed25519-signed',
      maxOfflineSeconds: 168 * 3600,
      requireNonce: true,
    });
  });
});
