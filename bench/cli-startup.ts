import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// How fast `okta-scan` answers what needs no org: `--version` and `rules`, the built command as
// `npx okta-scan` runs it, against a bare `node -e 0` measured in the same rounds (goals: at most
// 3x and 5x). The runs are interleaved so that load from elsewhere weighs on all three.

export interface CliStartup {
  runs: number;
  /** All of dist/, and the Okta SDK's part of it. */
  bundleBytes: { total: number; oktaSdk: number };
  bareNodeMedianMs: number;
  versionMedianMs: number;
  rulesMedianMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeRun(args: string[], cwd: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr.toString()}`);
  return ms;
}

/** Builds the command as `npm ci` does, then times it. */
export function measureCliStartup(root: string, runs = 11): CliStartup {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, stdio: 'ignore' });
  const bin = join(root, 'bin', 'okta-scan.js');
  const times = { bare: [] as number[], version: [] as number[], rules: [] as number[] };
  // One untimed round first: the files are then in the page cache for every timed one.
  for (let i = 0; i <= runs; i++) {
    const bare = timeRun(['-e', '0'], root);
    const version = timeRun([bin, '--version'], root);
    const rules = timeRun([bin, 'rules', '--format', 'table'], root);
    if (i === 0) continue;
    times.bare.push(bare);
    times.version.push(version);
    times.rules.push(rules);
  }
  return {
    runs,
    bundleBytes: {
      total: readdirSync(join(root, 'dist')).reduce((n, f) => n + statSync(join(root, 'dist', f)).size, 0),
      oktaSdk: statSync(join(root, 'dist', 'okta-sdk.js')).size,
    },
    bareNodeMedianMs: median(times.bare),
    versionMedianMs: median(times.version),
    rulesMedianMs: median(times.rules),
  };
}

/** The benchmark's lines for it. */
export function cliStartupReport(root: string): string[] {
  const s = measureCliStartup(root);
  const ms = (n: number): string => `${Math.round(n)} ms`;
  const x = (n: number): string => `${(n / s.bareNodeMedianMs).toFixed(2)}x`;
  const mib = (n: number): string => `${(n / 1_048_576).toFixed(2)} MiB`;
  return [
    '',
    `CLI start (built command, medians of ${s.runs} interleaved runs; dist/ ${mib(s.bundleBytes.total)}, of which dist/okta-sdk.js ${mib(s.bundleBytes.oktaSdk)}, loaded only by scans):`,
    `  bare node -e 0 ${ms(s.bareNodeMedianMs)}; okta-scan --version ${ms(s.versionMedianMs)} = ${x(s.versionMedianMs)} (goal <= 3x); okta-scan rules ${ms(s.rulesMedianMs)} = ${x(s.rulesMedianMs)} (goal <= 5x)`,
  ];
}
