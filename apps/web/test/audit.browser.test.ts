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

const rows = () => page.getByTestId('audit-event');
const ids = async () =>
  (await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''))).map(BigInt);
const actions = () => rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-action') ?? ''));

async function openAudit(query = '') {
  await page.goto(`/audit${query}`);
  await page.getByRole('heading', { level: 2, name: 'Audit log' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
}

describe('audit log', () => {
  it('shows a change made in the dashboard on top, by its user, with the before/after diff', async () => {
    const plans = await server.api<{
      data: { id: string; name: string; graceDays: number; product: { code: string } }[];
    }>('GET', '/v1/plans');
    const plan = plans.body.data[0];
    if (!plan) throw new Error('no demo plan');
    await page.goto('/settings?tab=catalog');
    await page.getByRole('button', { name: `Edit ${plan.name} (${plan.product.code})` }).click();
    const dialog = page.getByRole('dialog');
    const newGrace = plan.graceDays + 3;
    await dialog.getByRole('textbox', { name: 'Grace (days)' }).fill(String(newGrace));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    await openAudit();
    const top = rows().first();
    expect(await top.getAttribute('data-action')).toBe('plan.updated');
    expect(await top.innerText()).toContain('Keyward Admin');
    await top.getByRole('button', { name: 'Show the changes' }).click();
    const diff = page.getByRole('table', { name: 'Changes' });
    const graceRow = diff.getByRole('row').filter({ hasText: 'graceDays' });
    expect((await graceRow.getByRole('cell').allInnerTexts()).map((s) => s.trim())).toEqual([
      'graceDays',
      String(plan.graceDays),
      String(newGrace),
    ]);
    // Only what changed is listed.
    expect(await diff.getByRole('row').filter({ hasText: 'name' }).count()).toBe(0);
    await top.getByRole('button', { name: 'Hide the changes' }).click();
    await diff.waitFor({ state: 'detached' });
  });

  it('lists newest first and pages with the cursor without gaps or repeats', async () => {
    for (let i = 0; i < 40; i++) {
      const res = await server.api('POST', '/v1/accounts', { name: `Paging Test ${i}` });
      expect(res.status).toBe(201);
    }
    await openAudit();
    const first = await ids();
    expect(first.length).toBe(50);
    await page.getByRole('button', { name: 'Load older events' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-event"]').length > 50);
    const all = await ids();
    expect(all.slice(0, 50)).toEqual(first);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]! > all[i]!).toBe(true);
    const api = await server.api<{ data: { id: string }[] }>('GET', `/v1/audit-events?limit=${all.length}`);
    expect(all.map(String)).toEqual(api.body.data.map((e) => e.id));
  });

  it('filters by action prefix, account and date range, and says when nothing matches', async () => {
    await openAudit();
    await page.getByRole('combobox', { name: 'Action' }).fill('license.');
    await page.waitForURL(/action=license\./);
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="audit-event"]')].every((e) =>
        e.getAttribute('data-action')?.startsWith('license.'),
      ),
    );
    expect((await actions()).length).toBeGreaterThan(0);

    // Account: search and pick one; the list is exactly that account's license events.
    const accounts = await server.api<{ data: { id: string; name: string }[] }>(
      'GET',
      '/v1/accounts?limit=1&sort=name',
    );
    const account = accounts.body.data[0]!;
    const picker = page.getByRole('combobox', { name: 'Account' });
    await picker.fill(account.name.slice(0, 4));
    await page.getByRole('option', { name: account.name }).click();
    await page.waitForURL(new RegExp(`accountId=${account.id}`));
    const expected = await server.api<{ data: { id: string }[] }>(
      'GET',
      `/v1/audit-events?accountId=${account.id}&action=license.&limit=50`,
    );
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="audit-event"]').length === n,
      expected.body.data.length,
    );
    expect((await ids()).map(String)).toEqual(expected.body.data.map((e) => e.id));

    // Date range ending yesterday: every event of this fresh server is from today.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10); // the browser runs in UTC too
    await openAudit(`?to=${yesterday}`);
    await page.getByText('No matching events').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await rows().first().waitFor();

    // Today, picked in the calendar (one day is a range).
    await page.getByRole('button', { name: 'Date range' }).click();
    const today = page.locator('[data-today="true"]:not([data-outside])').first();
    await today.click();
    await today.click();
    await page.waitForURL(/from=(\d{4}-\d{2}-\d{2})&to=\1/);
    await rows().first().waitFor();
  });
});
