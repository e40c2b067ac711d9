import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/domain/finding';
import { reportSchemaProblems } from '../cli/report-schema';
import { BUILT_FILES, ensureCliBuilt, ROOT, runCommand } from '../support/built-cli';

// What `npm pack` ships: the command and its bundle (with the demo org and fake Okta server in
// it), installable with nothing else and runnable at once: nothing from test/ or node_modules.

interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** npm's own settings (cache, registry, certificates), without the ones that point at this checkout. */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = ['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_registry'];
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('npm_') && !keep.includes(name)) delete env[name];
  return env;
}

// --ignore-scripts: dist/ is built once by ensureCliBuilt, not rebuilt under a test that runs it.
function npmPack(args: string[]): PackResult {
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', ...args], {
    cwd: ROOT,
    env: npmEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return (JSON.parse(out) as PackResult[])[0];
}

let dir: string;

beforeAll(() => {
  ensureCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'okta-scan-pack-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships the command, every built file, the README and package.json, and nothing else', () => {
    const packed = npmPack(['--dry-run']).files.map((f) => f.path);
    const built = readdirSync(join(ROOT, 'dist')).map((name) => `dist/${name}`);
    expect(built).toEqual(expect.arrayContaining(BUILT_FILES));
    expect(packed.sort()).toEqual(['README.md', 'bin/okta-scan.js', ...built, 'package.json'].sort());
  });

  it('installs into an empty folder with nothing else and runs okta-scan --demo', async () => {
    const packed = npmPack(['--pack-destination', dir]);
    const app = join(dir, 'app');
    mkdirSync(app);
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, packed.filename)], {
      cwd: app,
      env: npmEnv(),
      stdio: 'pipe',
    });
    // Nothing but the package itself: the bundle needs no dependency at run time.
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual([
      'okta-ownership-scanner',
    ]);
    const run = await runCommand(join(app, 'node_modules', '.bin', 'okta-scan'), ['--demo', '--format', 'json'], {
      cwd: app,
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(reportSchemaProblems(report)).toEqual([]);
    expect(report.status).toBe('complete');
    expect(report.summary.byStatus.FAIL).toBeGreaterThan(0);
  }, 180_000);
});
