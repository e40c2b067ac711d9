import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../bin/okta-ownership-scanner';
import type { OktaOwnershipScannerStack } from '../../lib/okta-ownership-scanner-stack';

export const PROJECT_ROOT = join(__dirname, '..', '..');

/** The feature flags of cdk.json, so an in-process App synthesises what `cdk synth` does. */
function projectContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')).context;
}

export function cdkOutFolders(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('cdk.out'));
}

/** What the CDK CLI hands the app on a machine with no AWS credentials. */
export const CLI_WITHOUT_CREDENTIALS: NodeJS.ProcessEnv = { CDK_DEFAULT_REGION: 'us-east-1' };

export interface Synthesised {
  readonly app: App;
  readonly stack: OktaOwnershipScannerStack;
  readonly template: Template;
  readonly outdir: string;
}

/**
 * Synthesises the app the way bin/ builds it, into an outdir under a temp folder the caller owns
 * (an App without outdir leaks a cdk.outXXXX folder into the system temp dir).
 */
export function synthApp(
  root: string,
  options: { context?: Record<string, unknown>; bundle?: boolean; env?: NodeJS.ProcessEnv } = {},
): Synthesised {
  const outdir = mkdtempSync(join(root, 'assembly-'));
  const app = new App({
    outdir,
    context: {
      ...projectContext(),
      // Bundling costs about a second per synth; only the test that checks the asset needs it.
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const stack = buildApp(app, options.env ?? CLI_WITHOUT_CREDENTIALS);
  app.synth();
  return { app, stack, template: Template.fromStack(stack), outdir };
}

export function makeTempRoot(): string {
  return mkdtempSync(join(tmpdir(), 'okta-scanner-cdk-test-'));
}

export function removeTempRoot(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
