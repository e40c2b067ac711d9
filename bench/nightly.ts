import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../lambda/cli';

// `--days N`: N nightly scans in a row through the CLI with one --state-dir, the last on the
// org's date, each a day after the one before. The first night reads the whole lookback window;
// the following ones read from the ledger's cursor. What counts is the System Log requests a
// night makes (the `logs` bucket), compared with the first night's (goal: at most 20 %).

const DAY_MS = 86_400_000;

export interface NightlyOptions {
  url: string;
  token: string;
  asOf: string;
  days: number;
  cwd: string;
  /** The log requests the server answered since it was last asked. */
  logRequests: () => Promise<number>;
}

export interface Night {
  now: string;
  logRequests: number;
  status: string;
  exitCode: number;
}

export async function runNights(options: NightlyOptions): Promise<Night[]> {
  const dir = mkdtempSync(join(tmpdir(), 'okta-scan-nights-'));
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('OKTA_')) delete env[name];
  const nights: Night[] = [];
  await options.logRequests();
  try {
    for (let n = options.days - 1; n >= 0; n--) {
      const now = new Date(Date.parse(options.asOf) - n * DAY_MS).toISOString();
      const output = join(dir, 'report.json');
      const stdout = new PassThrough().resume();
      const stderr = new PassThrough().resume();
      const exitCode = await main(
        ['scan', '--org-url', options.url, '--token', options.token, '--now', now, '--quiet'].concat([
          '--format',
          'json',
          '--output',
          output,
          '--state-dir',
          join(dir, 'state'),
        ]),
        { stdout, stderr, env, cwd: options.cwd },
      );
      const report = JSON.parse(readFileSync(output, 'utf8')) as { status: string };
      nights.push({ now, logRequests: await options.logRequests(), status: report.status, exitCode });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return nights;
}

export function describeNights(nights: readonly Night[]): string[] {
  const [first, ...rest] = nights;
  if (!first) return [];
  const share = (n: Night): string => `${((100 * n.logRequests) / Math.max(1, first.logRequests)).toFixed(1)} %`;
  const worst = rest.reduce((max, n) => Math.max(max, n.logRequests), 0);
  return [
    `Nightly scans with the ledger (${nights.length} nights, --state-dir; System Log requests per night):`,
    `  night 1 (${first.now.slice(0, 10)}, whole window): ${first.logRequests} log requests; report ${first.status}`,
    ...rest.map(
      (n, i) =>
        `  night ${i + 2} (${n.now.slice(0, 10)}): ${n.logRequests} log requests (${share(n)} of night 1); report ${n.status}`,
    ),
    rest.length > 0
      ? `  following nights: at most ${worst} log requests, ${((100 * worst) / Math.max(1, first.logRequests)).toFixed(1)} % of the first (goal <= 20 %)`
      : '  (one night only: nothing to compare)',
  ];
}
