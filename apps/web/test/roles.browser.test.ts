import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser, launchBrowser, openPage, pageFetch, screenshotOnFailure, signIn } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';

const READER = {
  email: 'rita.reader@keyward.test',
  name: 'Rita Reader',
  role: 'read_only',
  password: 'reading all day long',
};

let server: TestServer;
let browser: Browser;
let page: Page;
let licenseId: string;
let accountId: string;
let planId: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await createUser(server, READER);
  // A live license with an end date (so +1 week applies).
  const licenses = await server.api<{ data: { id: string; account: { id: string }; plan: { id: string } }[] }>(
    'GET',
    '/v1/licenses?limit=1&status=active&sort=endsAt',
  );
  const first = licenses.body.data[0];
  if (!first) throw new Error('the demo data has no license');
  ({ id: licenseId } = first);
  accountId = first.account.id;
  planId = first.plan.id;
  ({ page } = await openPage(browser, server));
  await signIn(page, READER.email, READER.password);
});

afterEach(async ({ task }) => screenshotOnFailure(page, task));

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Waits until the page has loaded its data (a heading and no skeleton or loader left). */
async function settle(p: Page, path: string, heading: string | RegExp) {
  await p.goto(path);
  await p.getByRole('heading', { level: 2, name: heading }).first().waitFor();
  await p.waitForFunction(() => !document.querySelector('.mantine-Skeleton-root, [aria-busy="true"]'));
}

/** How many of each write control the screens show this user (accounts, licenses list and detail, settings). */
async function writeControls(p: Page): Promise<Record<string, number>> {
  const n: Record<string, number> = {};
  await settle(p, '/accounts', 'Accounts');
  await p.getByRole('row').nth(1).waitFor();
  n.newAccount = await p.getByRole('button', { name: 'New account' }).count();

  await settle(p, '/licenses', 'Licenses');
  await p.getByTestId('license-actions').first().waitFor();
  n.newLicense = await p.getByText('New license', { exact: true }).count();
  n.extendWeekQuick = await p.getByTestId('action-extend-week').count();
  await p.getByTestId('license-actions').first().click();
  await p.getByTestId('menu-copy-key').waitFor();
  for (const id of ['menu-extend-week', 'menu-renew', 'menu-suspend', 'menu-revoke', 'menu-delete']) {
    n[id] = await p.getByTestId(id).count();
  }
  await p.keyboard.press('Escape');

  await settle(p, `/licenses/${licenseId}`, /./);
  await p.getByTestId('detail-key').waitFor();
  n.detailExtendWeek = await p.getByTestId('detail-extend-week').count();
  n.detailRenew = await p.getByTestId('detail-renew').count();

  await settle(p, '/settings?tab=catalog', 'Settings');
  await p.getByTestId('plan-row').first().waitFor();
  n.usersTab = await p.getByRole('tab', { name: 'Users & roles' }).count();
  n.tokensTab = await p.getByRole('tab', { name: 'API tokens' }).count();
  for (const name of ['New product', 'New plan']) n[name] = await p.getByRole('button', { name }).count();
  n.editButtons = await p.getByRole('button', { name: /^Edit / }).count();
  return n;
}

describe('a read-only user', () => {
  it('sees none of the write actions an admin sees on accounts, licenses and settings', async () => {
    const admin = await openPage(browser, server);
    await signIn(admin.page);
    const forAdmin = await writeControls(admin.page);
    await admin.context.close();
    // The control: every one of these exists for an admin (the license is live and has an end date)…
    for (const [control, count] of Object.entries(forAdmin)) expect(count, `admin sees ${control}`).toBeGreaterThan(0);

    // …and none for the read-only user.
    const forReader = await writeControls(page);
    for (const [control, count] of Object.entries(forReader)) expect(count, `reader sees ${control}`).toBe(0);

    // Asking for an admin tab by URL shows products and plans.
    await settle(page, '/settings?tab=users', 'Settings');
    expect((await page.getByRole('tab').allInnerTexts()).map((s) => s.trim())).toEqual([
      'Products and plans',
      'Entitlements',
    ]);
  });

  it('is refused by the API (403) when it tries the writes anyway, with its own session', async () => {
    const attempts: [string, string, unknown][] = [
      ['POST', '/v1/accounts', { name: 'Sneaky Ltd' }],
      ['PATCH', `/v1/accounts/${accountId}`, { notes: 'hello' }],
      ['POST', `/v1/licenses/${licenseId}/actions/extend`, { days: 7 }],
      ['PATCH', `/v1/plans/${planId}`, { graceDays: 99 }],
      ['POST', '/v1/tokens', { name: 'mine', role: 'admin' }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await pageFetch(page, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((res.body as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    }
    expect((await pageFetch(page, 'GET', '/v1/users')).status).toBe(403);
    // Reads are fine, and nothing changed.
    const license = await pageFetch(page, 'GET', `/v1/licenses/${licenseId}`);
    expect(license.status).toBe(200);
    const plan = await server.api<{ graceDays: number }>('GET', `/v1/plans/${planId}`);
    expect(plan.body.graceDays).not.toBe(99);
  });
});
