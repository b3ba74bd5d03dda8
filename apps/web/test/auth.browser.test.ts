import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, launchBrowser, openPage, signIn, submitSignIn } from './support/browser.ts';
import { ADMIN_EMAIL, startServer, type TestServer } from './support/server.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // X-Forwarded-For is trusted so that one test can sign in "from another address".
  server = await startServer({ KEYWARD_TRUST_PROXY: 'true' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('sign-in', () => {
  it('signs in with the right password and lands on the home page', async () => {
    const { context, page } = await openPage(browser, server);
    await page.goto('/accounts');
    await page.waitForURL(/\/sign-in\?from=%2Faccounts/);
    await signIn(page);
    expect(new URL(page.url()).pathname).toBe('/accounts');
    await page.getByRole('button', { name: /your account/i }).click();
    await page.getByRole('menu').getByText(ADMIN_EMAIL).waitFor();
    const session = await page.evaluate(() => fetch('/v1/auth/session').then((r) => r.json()));
    expect(session.user.email).toBe(ADMIN_EMAIL);
    await context.close();
  });

  it('shows the error for a wrong password and stays on the sign-in page', async () => {
    const { context, page } = await openPage(browser, server);
    await submitSignIn(page, ADMIN_EMAIL, 'not the right password');
    const alert = page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' });
    await alert.waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    // The password field is cleared for the next attempt; the email stays.
    await expect(page.getByLabel(/^password/i).inputValue()).resolves.toBe('');
    await expect(page.getByRole('textbox', { name: /email/i }).inputValue()).resolves.toBe(ADMIN_EMAIL);
    await context.close();
  });

  it('refuses this address after repeated failures and says so; the right password from elsewhere signs in', async () => {
    const email = 'guessed.at@keyward.test';
    const password = 'the right password 123';
    await createUser(server, { email, name: 'Guessed At', role: 'support', password });
    const { context, page } = await openPage(browser, server);
    const submit = async (pw: string) => {
      const answered = page.waitForResponse((r) => r.url().endsWith('/v1/auth/sign-in'));
      await submitSignIn(page, email, pw);
      return (await answered).status();
    };
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await submit(`wrong password ${attempt}`)).toBe(401);
      await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
    }
    // After 5 failures this address may not try this email for a minute (429 with Retry-After: 60) — not even with
    // the right password, which is what keeps guessing from going on.
    expect(await submit(password)).toBe(429);
    await page
      .getByRole('alert')
      .filter({ hasText: /Too many failed attempts from here: try again in 1 minute\./ })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const session = await page.evaluate(() => fetch('/v1/auth/session').then((r) => r.status));
    expect(session).toBe(401);
    // Nobody is locked out: the user, from another address, signs in.
    const elsewhere = await openPage(browser, server);
    await elsewhere.context.setExtraHTTPHeaders({ 'x-forwarded-for': '203.0.113.50' });
    await signIn(elsewhere.page, email, password);
    const signedIn = await elsewhere.page.evaluate(() => fetch('/v1/auth/session').then((r) => r.json()));
    expect(signedIn.user.email).toBe(email);
    await elsewhere.context.close();
    await context.close();
  });
});
