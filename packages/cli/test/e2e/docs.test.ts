import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_ROUTES, operationOf } from '@tasktracker/handlers';
import { CHROMIUM_FLAGS, chromiumPath } from '@tasktracker/local/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noEngine, type ServedApi, serveLocally, useCli } from './harness.ts';

const executablePath = noEngine ? undefined : await chromiumPath();
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * /docs in a real headless Chromium (Debian's): the page renders the document from this server, sends
 * nothing anywhere else (every other request is refused and recorded), and its "try it" reaches the
 * local API.
 */
describe.skipIf(noEngine || !executablePath)('tt local serve /docs in a headless browser', () => {
  const cli = useCli();
  let served: ServedApi;
  let context: BrowserContext;
  let page: Page;
  let profile = '';
  const problems: string[] = [];
  const elsewhere: string[] = [];

  beforeAll(async () => {
    served = await serveLocally(cli);
    profile = await mkdtemp(path.join(tmpdir(), 'tt-chromium-'));
    // The flags, and a fresh profile: playwright takes the profile as its own argument.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: executablePath as string,
      headless: true,
      args: CHROMIUM_FLAGS.filter((flag) => flag !== '--headless'),
    });
    page = context.pages()[0] ?? (await context.newPage());
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (LOOPBACK.has(url.hostname)) return route.continue();
      elsewhere.push(url.href);
      return route.abort();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    await page.goto(`${served.url}/docs`, { waitUntil: 'networkidle' });
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    served?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('loads with no console error and no request beyond this machine', async () => {
    const title = page.getByRole('heading', { name: 'tasktracker API' }).first();
    await title.waitFor({ state: 'visible' });
    expect(await title.textContent()).toBe('tasktracker API');
    expect(problems).toEqual([]);
    expect(elsewhere).toEqual([]);
  });

  it('lists every route of API_ROUTES', async () => {
    // Playwright's rendered text (what a reader sees), not the DOM property the lint rule means.
    // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator method
    const text = await page.locator('body').innerText();
    const missing = API_ROUTES.filter((route) => !text.includes(operationOf(route).summary));
    expect(missing.map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });

  it('sends "try it" requests to the local API, with the sample key filled in', async () => {
    await page
      .getByRole('button', { name: /Test Request/ })
      .first()
      .click();
    const answered = page.waitForResponse(
      (response) => response.url() === `${served.url}/tasks` && response.request().method() === 'POST',
    );
    await page.getByRole('button', { name: /^Send post request to/ }).click();
    const response = await answered;
    expect(response.status()).toBe(201);
    const listed = await fetch(`${served.url}/tasks`, { headers: { 'x-api-key': 'my-local-key' } });
    const { data } = (await listed.json()) as { data: { title: string }[] };
    expect(data.map((task) => task.title)).toContain('Buy milk');
    expect(elsewhere).toEqual([]);
  });
});
