import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, launchBrowser, openPage, signIn, submitSignIn } from './support/browser.ts';
import { ADMIN_EMAIL, startServer, type TestServer } from './support/server.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
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

  it('locks the user out after repeated failures and says so, even for the right password', async () => {
    const email = 'locked.out@keyward.test';
    const password = 'the right password 123';
    await createUser(server, { email, name: 'Locked Out', role: 'support', password });
    const { context, page } = await openPage(browser, server);
    for (let attempt = 1; attempt <= 4; attempt++) {
      await submitSignIn(page, email, `wrong password ${attempt}`);
      await page.getByRole('alert').filter({ hasText: 'The email or password is wrong.' }).waitFor();
    }
    // The 5th failure in a row locks the user (423 with Retry-After: 15 minutes).
    await submitSignIn(page, email, 'wrong password 5');
    await page
      .getByRole('alert')
      .filter({ hasText: /Too many failed attempts: try again in 15 minutes\./ })
      .waitFor();
    // Locked means locked: the right password is refused too, with the same message.
    await submitSignIn(page, email, password);
    await page
      .getByRole('alert')
      .filter({ hasText: /Too many failed attempts/ })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    const session = await page.evaluate(() => fetch('/v1/auth/session').then((r) => r.status));
    expect(session).toBe(401);
    await context.close();
  });
});
