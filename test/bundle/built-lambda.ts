import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_ENV } from '../../lambda/function-contract';
import { makeTempRoot, removeTempRoot, synthApp } from '../lib/synth-helpers';

// The Lambda as the stack builds it: the app synthesised with bundling (once per suite), the
// function's asset and environment read from the template, and the handler run in a child
// process (plain node, not vitest) against loopback endpoints.

export interface BuiltLambda {
  /** The asset folder the stack would upload (index.js, index.js.map). */
  assetDir: string;
  /** The function's Environment.Variables, CloudFormation references left as they are. */
  environment: Record<string, unknown>;
  /** Types of the resources the environment refers to, by logical id. */
  resourceTypes: Record<string, string>;
  /** The synthesised template (the same synth the asset comes from). */
  template: Template;
  remove(): void;
}

interface TemplateResource {
  Type: string;
  Properties?: { Environment?: { Variables?: Record<string, unknown> }; Code?: { S3Key?: unknown } };
}

/** Synthesises the app with bundling; `context` as `cdk synth -c` gives it (e.g. configFile). */
export function synthBuiltLambda(options: { context?: Record<string, unknown> } = {}): BuiltLambda {
  const root = makeTempRoot();
  try {
    const { stack, template, outdir } = synthApp(root, { bundle: true, context: options.context });
    const resources = template.toJSON().Resources as Record<string, TemplateResource>;
    const functionId = stack.resolve((stack.scanner.function.node.defaultChild as CfnElement).logicalId) as string;
    const fn = resources[functionId];
    // The code's S3 key is the asset's hash; the cloud assembly keeps the asset as asset.<hash>/.
    const s3Key = fn.Properties?.Code?.S3Key;
    if (typeof s3Key !== 'string') throw new Error(`${functionId} has no Code.S3Key`);
    const assetDir = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`);
    if (!existsSync(join(assetDir, 'index.js'))) throw new Error(`no index.js in ${assetDir}: was bundling skipped?`);
    return {
      assetDir,
      environment: fn.Properties?.Environment?.Variables ?? {},
      resourceTypes: Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.Type])),
      template,
      remove: () => removeTempRoot(root),
    };
  } catch (error) {
    removeTempRoot(root);
    throw error;
  }
}

/** What a Ref to each kind of resource stands for, on loopback. */
export interface LoopbackResources {
  tableName: string;
  topicArn: string;
  secretArn: string;
  /** The report bucket, on the loopback S3. */
  bucketName: string;
}

/** The function's environment with each Ref resolved to the loopback resource of its type. */
export function resolveEnvironment(built: BuiltLambda, loopback: LoopbackResources): Record<string, string> {
  const byType: Record<string, string> = {
    'AWS::DynamoDB::GlobalTable': loopback.tableName,
    'AWS::DynamoDB::Table': loopback.tableName,
    'AWS::SNS::Topic': loopback.topicArn,
    'AWS::SecretsManager::Secret': loopback.secretArn,
    'AWS::S3::Bucket': loopback.bucketName,
  };
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(built.environment)) {
    if (typeof value === 'string') {
      resolved[name] = value;
      continue;
    }
    const ref = (value as { Ref?: string }).Ref;
    const stand = ref === undefined ? undefined : byType[built.resourceTypes[ref]];
    if (stand === undefined) throw new Error(`${name}: no loopback stand-in for ${JSON.stringify(value)}`);
    resolved[name] = stand;
  }
  // The Security Hub product is set only where the config turns it on (test/lib checks that).
  const expected = Object.values(FUNCTION_ENV).filter((name) => name !== FUNCTION_ENV.securityHubProductArn);
  const missing = expected.filter((name) => !(name in resolved));
  if (missing.length > 0) throw new Error(`the synthesised function lacks ${missing.join(', ')}`);
  return resolved;
}

export interface Invocation {
  ok: boolean;
  result?: Record<string, unknown>;
  message?: string;
  problems?: string[] | null;
  /** On failure: the error's name, which Lambda reports as errorType. */
  errorType?: string;
  /** Every line the handler wrote (Powertools' JSON logs and EMF metrics). */
  output: string;
}

const RUNNER = join(__dirname, 'invoke-built-handler.cjs');

export interface RunningInvocation {
  /** The node process running the handler: a test may kill it, as a crashed runtime. */
  child: ChildProcess;
  /** The outcome; rejects when the process ended without one (killed, crashed). */
  outcome: Promise<Invocation>;
}

/**
 * Starts the built handler in a fresh node process (a cold start). `timeoutMs` is the time the
 * context's getRemainingTimeInMillis() counts down from once the handler is called; none:
 * Lambda's 15 minutes.
 */
export function startBuiltInvocation(
  bundle: string,
  event: unknown,
  env: Record<string, string>,
  timeoutMs?: number,
): RunningInvocation {
  const dir = mkdtempSync(join(tmpdir(), 'okta-scan-invoke-'));
  const outFile = join(dir, 'outcome.json');
  const args = [
    RUNNER,
    bundle,
    JSON.stringify(event),
    outFile,
    ...(timeoutMs === undefined ? [] : [String(timeoutMs)]),
  ];
  let child: ChildProcess | undefined;
  // Async on purpose: the fake Okta server and dynalite answer from this process's event loop.
  const output = new Promise<string>((resolve, reject) => {
    child = execFile(
      process.execPath,
      args,
      { env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) =>
        error
          ? reject(Object.assign(new Error(`${error.message}\n${stderr}`), { signal: error.signal }))
          : resolve(`${stdout}${stderr}`),
    );
  });
  const outcome = output
    .then((text) => ({ ...(JSON.parse(readFileSync(outFile, 'utf8')) as Omit<Invocation, 'output'>), output: text }))
    .finally(() => rmSync(dir, { recursive: true, force: true }));
  return { child: child as ChildProcess, outcome };
}

/** Invokes the built handler once in a fresh node process: a cold start each time. */
export function invokeBuilt(bundle: string, event: unknown, env: Record<string, string>): Promise<Invocation> {
  return startBuiltInvocation(bundle, event, env).outcome;
}
