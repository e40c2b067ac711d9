import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../lambda/config';
import { cdkOutFolders, PROJECT_ROOT } from './synth-helpers';

// bin/okta-ownership-scanner.ts run as `cdk synth` runs it: a child process that gets its context
// through CDK_CONTEXT_JSON and its output folder through CDK_OUTDIR.

const dir = mkdtempSync(join(tmpdir(), 'okta-scanner-app-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runApp(context: Record<string, unknown>): { status: number | null; stderr: string; outdir: string } {
  const outdir = join(dir, 'cdk.out');
  const result = spawnSync(
    process.execPath,
    [join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'bin/okta-ownership-scanner.ts'],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify(context),
        CDK_OUTDIR: outdir,
        CDK_DEFAULT_REGION: 'us-east-1',
      },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: result.status, stderr: result.stderr, outdir };
}

describe('the CDK app', () => {
  it('fails synth on a bad configFile with exactly the message the CLI prints, and writes nothing', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ lookbackDays: 0, notify: 'sometimes' }));
    const expected = (() => {
      try {
        loadConfigFile(file);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(expected).toMatch(/^Invalid config in .*bad\.json:\n {2}- lookbackDays: .*\n {2}- notify: /);

    const projectCdkOutBefore = cdkOutFolders(PROJECT_ROOT);
    const run = runApp({ configFile: file });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`${expected}\n`);
    expect(existsSync(run.outdir) && readdirSync(run.outdir).length > 0).toBe(false);
    expect(cdkOutFolders(PROJECT_ROOT)).toEqual(projectCdkOutBefore);
  });
});
