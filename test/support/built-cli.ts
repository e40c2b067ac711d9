import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The okta-scan command as users run it: `node bin/okta-scan.js`, which runs the bundle in dist/
// that `npm ci` builds (the package's `prepare`). Tests build it themselves when it is missing or
// older than its sources, the same way `prepare` does.

export const ROOT = join(__dirname, '..', '..');
/** The entry and the Okta SDK; esbuild's chunks (hashed names) sit beside them. */
export const BUILT_FILES = ['dist/cli.mjs', 'dist/okta-sdk.js'];
const SOURCES = ['lambda', 'fake-okta', 'scripts/build-cli.mjs', 'bin/okta-scan.js', 'package.json'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds dist/ with the package's own build script unless it is there and newer than its sources. */
export function ensureCliBuilt(): void {
  const built = BUILT_FILES.map((f) => join(ROOT, f));
  if (built.every(existsSync)) {
    const oldestBuilt = Math.min(...built.map((f) => statSync(f).mtimeMs));
    const newestSource = Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
    if (oldestBuilt >= newestSource) return;
  }
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, stdio: 'pipe' });
}

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, with only the environment given (plus PATH). */
export function runCommand(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; nodeArgs?: string[] } = {},
): Promise<CommandRun> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), file, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `node bin/okta-scan.js ARGS` in the checkout. */
export function runBuiltCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): Promise<CommandRun> {
  return runCommand(join(ROOT, 'bin', 'okta-scan.js'), args, options);
}
