#!/usr/bin/env node
// Regenerates docs/images/report-html.png, the README's picture of the HTML report: the demo
// org scanned by the built command (npm run build first), opened in Debian's Chromium
// (apt-get install chromium) through playwright-core, which downloads no browser.
//   node scripts/screenshot-report.mjs [--chromium /usr/bin/chromium]

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--chromium');
const executablePath = flag > 0 ? process.argv[flag + 1] : '/usr/bin/chromium';
const out = join(root, 'docs', 'images', 'report-html.png');

const dir = mkdtempSync(join(tmpdir(), 'report-shot-'));
try {
  const html = join(dir, 'demo.html');
  const scan = spawnSync(
    process.execPath,
    [join(root, 'bin', 'okta-scan.js'), '--demo', '--quiet', '--format', 'html', '--output', html],
    {
      stdio: 'inherit',
    },
  );
  // Exit 1 is the demo's FAILs; anything else means no report.
  if (scan.status !== 0 && scan.status !== 1) throw new Error(`okta-scan --demo exited ${scan.status}`);
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1500 } });
    await page.goto(pathToFileURL(html).href);
    // Open the first finding, so the picture shows its evidence and remediation too.
    await page
      .locator('details.finding')
      .first()
      .evaluate((d) => d.setAttribute('open', ''));
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    process.stdout.write(`wrote ${out}\n`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
