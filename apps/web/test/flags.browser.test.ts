import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createUser, launchBrowser, openPage, screenshotOnFailure, signIn } from './support/browser.ts';
import { startServer, type TestServer } from './support/server.ts';

const READER = {
  email: 'rita.reader@keyward.test',
  name: 'Rita Reader',
  role: 'read_only',
  password: 'reading all day long',
};

interface FlagDto {
  id: string;
  key: string;
  enabled: boolean;
  strategies: { name: string; parameters?: Record<string, string>; constraints?: unknown[]; segments?: number[] }[];
}

let server: TestServer;
let browser: Browser;
let page: Page | undefined;
const seed = { productId: '', licenseId: '', darkModeId: '', flagId: '', segmentId: 0 };

const api = <T>(method: string, path: string, body?: unknown) => server.ok<T>(method, path, body);

/** A product of its own with a Business plan, one license, and a flag that is on for Business customers. */
async function seedProduct() {
  const product = await api<{ id: string }>('POST', '/v1/products', { code: 'FLGS', name: 'Flag Suite' });
  const plan = await api<{ id: string }>('POST', '/v1/plans', {
    productId: product.id,
    name: 'Business',
    licenseType: 'subscription',
    durationDays: 365,
  });
  const account = await api<{ id: string }>('POST', '/v1/accounts', { name: 'Initech Flags' });
  const license = await api<{ id: string }>('POST', '/v1/licenses', {
    planId: plan.id,
    accountId: account.id,
    name: 'Initech main',
  });
  const dark = await api<{ id: string }>('POST', '/v1/flags', {
    productId: product.id,
    key: 'dark-mode',
    description: 'Dark theme',
    enabled: true,
    strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['Business'] }] }],
  });
  Object.assign(seed, { productId: product.id, licenseId: license.id, darkModeId: dark.id });
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

async function signedIn(user?: { email: string; password: string }) {
  const opened = await openPage(browser, server);
  page = opened.page;
  await signIn(page, user?.email, user?.password);
  return page;
}

async function settle(p: Page, path: string) {
  await p.goto(path);
  await p.getByRole('heading', { level: 2 }).first().waitFor();
  await p.waitForFunction(() => !document.querySelector('.mantine-Skeleton-root, [aria-busy="true"]'));
}

const getFlag = (id: string) => api<FlagDto>('GET', `/v1/flags/${id}`);
const listRow = (p: Page, key: string): Locator => p.locator(`[data-testid="flag-list-row"][data-key="${key}"]`);

/** Types values into a tags input, one Enter each. */
async function addTags(input: Locator, values: string[]) {
  for (const v of values) {
    await input.fill(v);
    await input.press('Enter');
  }
}

describe('Feature flags dashboard', () => {
  it('an admin creates a flag with a 25 % rollout where plan IN [..]: saved, reloaded, and the API holds it', async () => {
    const p = await signedIn();
    await settle(p, `/flags?product=${seed.productId}`);
    expect(await listRow(p, 'dark-mode').getByTestId('flag-audience').innerText()).toContain(
      'everyone where plan in Business',
    );
    await p.getByTestId('new-button').click();
    const dialog = p.getByRole('dialog', { name: 'New feature flag' });
    // The key follows the server's rule before anything is sent.
    await dialog.getByTestId('new-flag-key').fill('-bad');
    await dialog.getByTestId('new-flag-save').click();
    await dialog.getByText('A letter or digit first').waitFor();
    await dialog.getByTestId('new-flag-key').fill('smart-search');
    await dialog.getByLabel('Description').fill('Search that guesses');
    await dialog.getByTestId('new-flag-save').click();
    await p.waitForURL(/\/flags\/[0-9a-f-]{36}$/);
    seed.flagId = p.url().split('/').pop() ?? '';
    await p.getByTestId('definition-editor').waitFor();

    await p.getByTestId('add-strategy-flexibleRollout').click();
    const card = p.getByTestId('strategy-card').first();
    await card.getByTestId('rollout-percent').fill('25');
    await card.getByTestId('constraint-add').click();
    await addTags(card.getByTestId('constraint-values'), ['Business', 'Trial']);
    expect(await p.getByTestId('save-bar').getAttribute('data-dirty')).toBe('true');
    await p.getByTestId('save-flag').click();
    await p.getByTestId('toast-flag-saved').waitFor();
    await expect.poll(() => p.getByTestId('save-bar').getAttribute('data-dirty')).toBe('false');

    await p.reload();
    await p.getByTestId('definition-editor').waitFor();
    expect(await p.getByTestId('strategy-summary').first().innerText()).toBe(
      '25 % of accounts where plan in Business, Trial',
    );
    const stored = await getFlag(seed.flagId);
    expect(stored.strategies).toEqual([
      {
        name: 'flexibleRollout',
        parameters: { rollout: '25', stickiness: 'accountId', groupId: 'smart-search' },
        constraints: [{ contextName: 'plan', operator: 'IN', values: ['Business', 'Trial'] }],
      },
    ]);
    expect(stored.enabled).toBe(false);
  });

  it("shows the server's error for a malformed REGEX at that constraint, and discards", async () => {
    const p = page ?? (await signedIn());
    await settle(p, `/flags/${seed.flagId}`);
    const card = p.getByTestId('strategy-card').first();
    await card.getByTestId('constraint-add').click();
    const row = card.getByTestId('constraint-row').nth(1);
    await row.getByTestId('constraint-field').fill('userId');
    await row.getByTestId('constraint-operator').click();
    await p.getByRole('option', { name: 'matches (REGEX)' }).click();
    await row.getByTestId('constraint-value').fill('(a+)+');
    await p.getByTestId('save-flag').click();

    await p.getByTestId('save-error').waitFor();
    expect(await row.getAttribute('data-invalid')).toBe('true');
    expect(await row.getByTestId('constraint-issue').innerText()).toContain('nested repetition');
    expect(await card.getByTestId('constraint-row').first().getAttribute('data-invalid')).toBeNull();
    expect(await p.getByTestId('save-error').innerText()).toContain('Rule 1 › Condition 2');
    // Nothing was stored; discard brings the saved definition back.
    expect((await getFlag(seed.flagId)).strategies[0]?.constraints).toHaveLength(1);
    await p.getByTestId('discard').click();
    await expect.poll(() => card.getByTestId('constraint-row').count()).toBe(1);
    expect(await p.getByTestId('save-bar').getAttribute('data-dirty')).toBe('false');
  });

  it('the kill switch turns a flag off for everyone, and Undo turns it back on', async () => {
    const p = page ?? (await signedIn());
    await settle(p, `/flags?product=${seed.productId}`);
    const toggle = listRow(p, 'dark-mode').getByRole('switch');
    expect(await toggle.isChecked()).toBe(true);
    await toggle.click({ force: true });
    await p.getByTestId('toast-kill-switch').waitFor();
    await expect.poll(async () => (await getFlag(seed.darkModeId)).enabled).toBe(false);
    expect(await toggle.isChecked()).toBe(false);

    await p.getByTestId('toast-kill-switch').getByTestId('flags-undo').click();
    await p.getByTestId('toast-undone').waitFor();
    await expect.poll(async () => (await getFlag(seed.darkModeId)).enabled).toBe(true);
    await expect.poll(() => toggle.isChecked()).toBe(true);
  });

  it('"Try it" for a license shows the decision and its trace', async () => {
    const p = page ?? (await signedIn());
    await settle(p, `/flags/${seed.darkModeId}`);
    const panel = p.getByTestId('try-it');
    await panel.getByTestId('try-license').click();
    await panel.getByTestId('try-license').fill('Initech');
    await p.getByRole('option', { name: /Initech main/ }).click();
    await panel.getByTestId('try-run').click();
    const result = panel.getByTestId('flag-explain-result');
    await expect.poll(() => result.getAttribute('data-enabled')).toBe('true');
    const steps = await panel.getByTestId('trace-step').allInnerTexts();
    expect(steps.some((s) => s.includes('Rule 1: everyone'))).toBe(true);
    expect(await panel.locator('[data-testid="trace-step"][data-outcome="decide"]').count()).toBeGreaterThan(0);

    // A context that changes the plan: the same license is now outside the rule.
    await panel.getByRole('button', { name: 'Add field' }).click();
    await panel.getByLabel('Context field 1', { exact: true }).fill('plan');
    await panel.getByLabel('Value of context field 1', { exact: true }).fill('Starter');
    await panel.getByTestId('try-run').click();
    await expect.poll(() => result.getAttribute('data-enabled')).toBe('false');
    expect(await panel.getByTestId('trace').innerText()).toContain('No rule includes this customer');
  });

  it('switches a flag off for one license from its page, removes the switch, and Undo restores it', async () => {
    const p = page ?? (await signedIn());
    await settle(p, `/flags/${seed.darkModeId}`);
    const section = p.getByTestId('toggles-section');
    await section.getByTestId('add-toggle').click();
    const picker = p.getByRole('dialog', { name: 'Switch dark-mode for a customer' });
    await picker.getByTestId('add-toggle-license').click();
    await picker.getByTestId('add-toggle-license').fill('Initech');
    await p.getByRole('option', { name: /Initech main/ }).click();
    await picker.getByText('Turn off', { exact: true }).click();
    await picker.getByTestId('add-toggle-next').click();
    const form = p.getByRole('dialog').filter({ has: p.getByTestId('toggle-form') });
    await form.getByTestId('toggle-reason').fill('Customer reported contrast issues');
    await form.getByTestId('toggle-save').click();
    await form.waitFor({ state: 'detached' });

    const row = section.getByTestId('toggle-row');
    await expect.poll(() => row.count()).toBe(1);
    const text = await row.innerText();
    expect(text).toContain('Initech main');
    expect(text).toMatch(/\bOff\b/i);
    expect(text).toContain('Customer reported contrast issues');
    const toggles = async () =>
      (
        await api<{ data: { scope: string; targetId: string; enabled: boolean }[] }>(
          'GET',
          `/v1/flags/${seed.darkModeId}/toggles`,
        )
      ).data;
    expect(await toggles()).toMatchObject([{ scope: 'license', targetId: seed.licenseId, enabled: false }]);

    await row.getByTestId('toggle-remove').click();
    await p.getByTestId('toast-toggle-removed').waitFor();
    await expect.poll(() => row.count()).toBe(0);
    expect(await toggles()).toEqual([]);
    await p.getByTestId('toast-toggle-removed').getByTestId('flags-undo').click();
    await p.getByTestId('toast-undone').waitFor();
    await expect.poll(() => row.count()).toBe(1);
    expect(await toggles()).toMatchObject([{ enabled: false, targetId: seed.licenseId }]);
  });

  it('a segment is created, used by a rule, and cannot be deleted while in use', async () => {
    const p = page ?? (await signedIn());
    await settle(p, `/flags?tab=segments&product=${seed.productId}`);
    await p.getByTestId('new-button').click();
    const dialog = p.getByRole('dialog', { name: 'New segment' });
    await dialog.getByTestId('segment-name').fill('Paying business');
    await addTags(dialog.getByTestId('constraint-values'), ['Business', 'Enterprise']);
    await dialog.getByTestId('segment-save').click();
    await p.getByTestId('toast-segment-saved').waitFor();
    const row = p.locator('[data-testid="segment-row"][data-name="Paying business"]');
    expect(await row.innerText()).toContain('plan in Business, Enterprise');
    const segments = await api<{ data: { id: number; name: string }[] }>(
      'GET',
      `/v1/flag-segments?productId=${seed.productId}`,
    );
    seed.segmentId = segments.data.find((s) => s.name === 'Paying business')?.id ?? 0;
    expect(seed.segmentId).toBeGreaterThan(0);

    await settle(p, `/flags/${seed.flagId}`);
    const card = p.getByTestId('strategy-card').first();
    await card.getByTestId('strategy-segments').click();
    await p.getByRole('option', { name: 'Paying business' }).click();
    await p.keyboard.press('Escape');
    await p.getByTestId('save-flag').click();
    await p.getByTestId('toast-flag-saved').waitFor();
    await expect.poll(async () => (await getFlag(seed.flagId)).strategies[0]?.segments).toEqual([seed.segmentId]);
    expect(await card.getByTestId('strategy-summary').innerText()).toContain('in segment Paying business');

    await settle(p, `/flags?tab=segments&product=${seed.productId}`);
    await row.getByTestId('segment-delete').click();
    await p.getByTestId('segment-delete-confirm').click();
    const problem = p.getByTestId('segment-delete-problem');
    await problem.waitFor();
    expect(await problem.innerText()).toContain('This segment is in use');
    await p.keyboard.press('Escape');
    expect(await row.count()).toBe(1);
  });

  it('a read-only user sees the flags and their rules, with no edit controls', async () => {
    const p = await signedIn(READER);
    await settle(p, `/flags?product=${seed.productId}`);
    await listRow(p, 'smart-search').waitFor();
    expect(await listRow(p, 'smart-search').getByTestId('flag-audience').innerText()).toContain('25 % of accounts');
    expect(await listRow(p, 'dark-mode').getByTestId('flag-enabled').getAttribute('data-enabled')).toBe('true');
    const listControls = {
      newButton: await p.getByTestId('new-button').count(),
      switches: await p.getByRole('switch').count(),
    };
    expect(listControls).toEqual({ newButton: 0, switches: 0 });

    await settle(p, `/flags/${seed.flagId}`);
    await p.getByTestId('definition-view').waitFor();
    expect(await p.getByTestId('strategy-summary').first().innerText()).toContain(
      '25 % of accounts where plan in Business, Trial',
    );
    const detailControls = {
      editor: await p.getByTestId('definition-editor').count(),
      save: await p.getByTestId('save-flag').count(),
      addRule: await p.getByTestId('add-strategy-default').count(),
      switches: await p.getByRole('switch').count(),
      remove: await p.getByTestId('flag-delete').count(),
      textboxes: await p.getByTestId('definition-view').getByRole('textbox').count(),
    };
    expect(detailControls).toEqual({ editor: 0, save: 0, addRule: 0, switches: 0, remove: 0, textboxes: 0 });
    // Explaining changes nothing: open to every role.
    expect(await p.getByTestId('try-run').count()).toBe(1);

    // The per-customer switches are shown, without add or remove.
    await settle(p, `/flags/${seed.darkModeId}`);
    await p.getByTestId('toggle-row').first().waitFor();
    expect(await p.getByTestId('toggle-row').count()).toBe(1);
    expect(await p.getByTestId('toggle-remove').count()).toBe(0);
    expect(await p.getByTestId('add-toggle').count()).toBe(0);
  });
});
