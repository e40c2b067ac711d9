import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/domain/finding';
import { getRule } from '../../lambda/rules';
import { renderReportHtml } from '../../lambda/sinks/report-html';
import { runCli } from '../cli/run-cli';

// The demo org's HTML report in a real headless Chromium (Debian's package; .ci/run installs it):
// what a person opening the file sees, filters and search working, markup in an Okta label
// staying text, and no request to anything but the file itself.

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const SLOW = 120_000;
const PAYLOAD = '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">';

let browser: Browser;
let dir: string;
let demo: Report;
let demoFile: string;

async function open(file: string): Promise<{ page: Page; requests: string[]; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  // Anything but the file itself is refused, and recorded above.
  await page.route('**/*', (route) =>
    route.request().url() === pathToFileURL(file).href ? route.continue() : route.abort(),
  );
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, requests, problems };
}

function visibleIds(page: Page): Promise<string[]> {
  return page.$$eval('details.finding:not([hidden])', (rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'report-html-'));
  const json = await runCli(['--demo', '--format', 'json', '--quiet']);
  demo = JSON.parse(json.stdout) as Report;
  const html = await runCli(['--demo', '--format', 'html', '--quiet']);
  demoFile = join(dir, 'demo.html');
  writeFileSync(demoFile, html.stdout);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}, SLOW);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the demo HTML report in Chromium', () => {
  it(
    'shows every FAIL finding, requests nothing but the file, and leaves a screenshot',
    async () => {
      const { page, requests, problems } = await open(demoFile);
      const fails = demo.findings.filter((f) => f.status === 'FAIL');
      expect(fails.length).toBeGreaterThan(0);
      for (const f of fails) {
        const row = page.locator(`details.finding[data-id="${f.id}"]`);
        await expect.poll(() => row.getAttribute('data-status')).toBe('FAIL');
        expect(await row.locator('summary .name').textContent()).toBe(f.resource.name);
      }
      expect(await page.locator('#shown').textContent()).toBe(
        `${demo.findings.length} of ${demo.findings.length} findings shown`,
      );
      expect(requests).toEqual([pathToFileURL(demoFile).href]);
      expect(problems).toEqual([]);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'report-html-demo.png'), fullPage: true });
      await page.close();
    },
    SLOW,
  );

  it(
    'hides and shows rows with the severity filter',
    async () => {
      const { page } = await open(demoFile);
      const all = await visibleIds(page);
      expect(all).toHaveLength(demo.findings.length);
      await page.selectOption('#filter-severity', 'critical');
      const critical = demo.findings.filter((f) => f.severity === 'critical').map((f) => f.id);
      expect((await visibleIds(page)).sort()).toEqual([...critical].sort());
      expect(critical.length).toBeLessThan(all.length);
      await page.selectOption('#filter-severity', '');
      expect(await visibleIds(page)).toHaveLength(all.length);
      await page.close();
    },
    SLOW,
  );

  it(
    'finds the findings of a login with the search box',
    async () => {
      const { page } = await open(demoFile);
      const login = demo.findings.find((f) => f.status === 'FAIL' && f.owner?.login)?.owner?.login as string;
      await page.fill('#filter-search', login);
      const expected = demo.findings.filter((f) => JSON.stringify(f).toLowerCase().includes(login)).map((f) => f.id);
      const shown = await visibleIds(page);
      expect(shown.sort()).toEqual(expected.sort());
      expect(shown.length).toBeLessThan(demo.findings.length);
      await page.fill('#filter-search', 'no-such-login-anywhere@example.invalid');
      expect(await visibleIds(page)).toEqual([]);
      await page.close();
    },
    SLOW,
  );

  it(
    'shows an app label holding a <script> as text and never runs it',
    async () => {
      const hostile = structuredClone(demo);
      const app = hostile.findings.find((f) => f.resource.type === 'app_provisioning' && f.status === 'FAIL');
      if (!app) throw new Error('the demo org has no failing provisioning app');
      app.resource.name = `Payroll ${PAYLOAD}`;
      const file = join(dir, 'hostile.html');
      writeFileSync(file, renderReportHtml(hostile, { describeRule: getRule }));
      const { page, requests } = await open(file);
      expect(await page.locator(`details.finding[data-id="${app.id}"] summary .name`).textContent()).toBe(
        `Payroll ${PAYLOAD}`,
      );
      expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
      // The page's own script still ran: the filters are shown.
      expect(await page.locator('#filters').isVisible()).toBe(true);
      expect(requests).toEqual([pathToFileURL(file).href]);
      await page.close();
    },
    SLOW,
  );
});
