import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestServer } from './server.ts';

/** Debian's Chromium (apt-get install chromium), driven by playwright-core: no downloaded browser. */
export const CHROMIUM = process.env.KEYWARD_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** A fresh context (own cookies) on the server, in English, with clipboard access for the server's origin. */
export async function openPage(
  browser: Browser,
  server: TestServer,
  viewport = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.url, locale: 'en-US', timezoneId: 'UTC', viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await context.addInitScript(() => localStorage.setItem('keyward.language', 'en'));
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  return { context, page };
}

/** Fills and submits the sign-in form (does not wait for the outcome). */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  if (!page.url().includes('/sign-in')) await page.goto('/sign-in');
  await page.getByRole('textbox', { name: /email/i }).fill(email);
  await page.getByLabel(/^password/i).fill(password);
  await page.getByRole('button', { name: /^sign in$/i }).click();
}

/** Signs in through the form and waits for the home page. */
export async function signIn(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<void> {
  await submitSignIn(page, email, password);
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await page.getByRole('navigation').first().waitFor();
}

/** Creates a dashboard user through the API (bootstrap admin token); returns its id. */
export async function createUser(
  server: TestServer,
  user: { email: string; name: string; role: string; password: string },
): Promise<string> {
  const res = await server.api<{ id: string }>('POST', '/v1/users', user);
  if (res.status !== 201) throw new Error(`POST /v1/users answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** The page's own fetch with its session cookie and CSRF token (what the dashboard would send). */
export async function pageFetch(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = await fetch('/v1/auth/session').then((r) => r.json() as Promise<{ csrfToken?: string }>);
      const res = await fetch(path, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(session.csrfToken ? { 'x-csrf-token': session.csrfToken } : {}),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
    { method, path, body },
  );
}

/** Saves a screenshot of a failed test's page to .tmp/browser-failures/ (repo root) for the CI log reader. */
export async function screenshotOnFailure(page: Page | undefined, task: { name: string; result?: { state?: string } }) {
  if (!page || page.isClosed() || task.result?.state !== 'fail') return;
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../.tmp/browser-failures');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  console.error(`Screenshot of the failed page: ${file}`);
}
