import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshotOnFailure, signIn } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';

interface License {
  id: string;
  key: string;
  name: string;
  endsAt: string | null;
  account: { id: string; name: string };
  plan: { id: string; name: string };
}

const DAY_MS = 86_400_000;
const ACCOUNT = 'Zephyr Robotics GmbH';

let server: TestServer;
let browser: Browser;
let page: Page;
/** Set by the issuing test; the later tests work on this license (the file runs in order). */
let license: License;

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

const getLicense = async (id: string) => {
  const res = await server.api<License>('GET', `/v1/licenses/${id}`);
  expect(res.status).toBe(200);
  return res.body;
};

/** Puts a sentinel on the clipboard, so a copy that silently did nothing cannot pass. */
const resetClipboard = () => page.evaluate(() => navigator.clipboard.writeText('sentinel'));
const readClipboard = () => page.evaluate(() => navigator.clipboard.readText());

async function openLicense(id: string) {
  await page.goto(`/licenses/${id}`);
  await page.getByTestId('detail-key').waitFor();
}

async function licenseMenu(item: string) {
  await page.getByTestId('license-actions').click();
  await page.getByTestId(item).click();
}

describe('accounts and licenses', () => {
  it('creates an account', async () => {
    await page.goto('/accounts');
    await page.getByRole('button', { name: 'New account' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(ACCOUNT);
    await dialog.getByRole('button', { name: 'Create account' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText(ACCOUNT).first().waitFor();
    const found = await server.api<{ data: { name: string }[] }>(
      'GET',
      `/v1/accounts?q=${encodeURIComponent('Zephyr')}`,
    );
    expect(found.body.data.map((a) => a.name)).toEqual([ACCOUNT]);
  });

  it('issues a license in two steps: account and plan, then the details the plan suggests', async () => {
    await page.goto('/licenses/new');
    const account = page.getByTestId('new-account');
    await account.fill('Zephyr');
    await page.getByRole('option', { name: ACCOUNT }).click();
    await page.getByTestId('new-plan').click();
    await page
      .getByRole('option', { name: /\(Subscription\)/ })
      .first()
      .click();
    await page.getByTestId('plan-summary').waitFor();
    await page.getByTestId('new-next').click();

    // Step 2: pre-filled from the plan; we name it and issue.
    await page.getByTestId('field-name').fill('Production cluster');
    await page.getByTestId('field-end').waitFor();
    await page.getByTestId('new-submit').click();
    const created = page.getByTestId('created-license');
    await created.waitFor();
    const shownKey = (await created.getByTestId('license-key').innerText()).trim();
    const href = await created.getByTestId('open-created').getAttribute('href');
    const id = href?.split('/').pop() ?? '';
    license = await getLicense(id);
    expect(license).toMatchObject({ key: shownKey, name: 'Production cluster', account: { name: ACCOUNT } });
    expect(license.endsAt).not.toBeNull();
  });

  it('+1 week moves the expiry by exactly 7 days', async () => {
    const before = await getLicense(license.id);
    await openLicense(license.id);
    await page.getByTestId('detail-extend-week').click();
    let after = before;
    await expect
      .poll(async () => {
        after = await getLicense(license.id);
        return after.endsAt;
      })
      .not.toBe(before.endsAt);
    expect(Date.parse(after.endsAt ?? '') - Date.parse(before.endsAt ?? '')).toBe(7 * DAY_MS);
    // The page shows the new date too.
    await page.locator(`[data-testid="detail-ends-at"][data-value="${after.endsAt}"]`).waitFor();
    license = after;
  });

  it('"Copy as base64" puts exactly base64(key) on the clipboard', async () => {
    await openLicense(license.id);
    await resetClipboard();
    await licenseMenu('menu-copy-base64');
    const expected = Buffer.from(license.key, 'utf8').toString('base64');
    await expect.poll(readClipboard).toBe(expected);
    expect(Buffer.from(await readClipboard(), 'base64').toString('utf8')).toBe(license.key);
  });

  it('the Kubernetes Secret YAML decodes back to the key, and copies exactly', async () => {
    await openLicense(license.id);
    await licenseMenu('menu-k8s');
    const dialog = page.getByRole('dialog');
    const yaml = (await dialog.getByTestId('k8s-yaml').innerText()).trim();
    expect(yaml).toMatch(/^apiVersion: v1\nkind: Secret\n/m);
    const data = /^data:\n {2}([\w.-]+): ([A-Za-z0-9+/=]+)$/m.exec(yaml);
    expect(data, yaml).not.toBeNull();
    expect(Buffer.from(data?.[2] ?? '', 'base64').toString('utf8')).toBe(license.key);

    await resetClipboard();
    await dialog.getByTestId('copy-k8s-yaml').click();
    await expect.poll(async () => (await readClipboard()).trim()).toBe(yaml);
    await page.keyboard.press('Escape');
  });

  it('the audit log shows the +1 week with the old and new end date', async () => {
    await page.goto(`/audit?licenseId=${license.id}`);
    const top = page.getByTestId('audit-event').first();
    await top.waitFor();
    expect(await top.getAttribute('data-action')).toBe('license.extended');
    await top.getByRole('button', { name: 'Show the changes' }).click();
    const row = page.getByRole('table', { name: 'Changes' }).getByRole('row').filter({ hasText: 'endsAt' });
    const [, before, after] = (await row.getByRole('cell').allInnerTexts()).map((s) => s.trim());
    expect(Date.parse(after ?? '') - Date.parse(before ?? '')).toBe(7 * DAY_MS);
    expect(after).toBe(license.endsAt);
  });
});
