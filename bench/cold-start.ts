import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { OKTA_SDK_MODULE } from '../lib/scanner-function';
import { synthBuiltLambda } from '../test/bundle/built-lambda';

// Cold start proxy: the Lambda asset exactly as the stack deploys it (the app synthesised with
// bundling, the asset folder read from the cloud assembly), then the median time of a fresh
// `node -e "require(handler)"` next to a bare `node -e 0`, runs interleaved so load on the
// machine hits all of them alike. "As deployed" adds the function's NODE_OPTIONS
// (--enable-source-maps), which reads the source map when the module loads. The Okta SDK is a
// file of its own in the asset, loaded when a scan first needs it: its load is shown apart.

export interface ColdStart {
  /** The handler's own file. */
  bundleBytes: number;
  /** The Okta SDK's file in the asset. */
  oktaSdkBytes: number;
  runs: number;
  requireMedianMs: number;
  bareNodeMedianMs: number;
  /** requireMedianMs / bareNodeMedianMs (goal: at most 5). */
  ratio: number;
  withSourceMapsMedianMs: number;
  /** The module load plus the Okta SDK, as the first scan of a container pays it. */
  withOktaSdkMedianMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeNode(args: string[], cwd: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed (${run.status}): ${run.stderr.slice(0, 500)}`);
  return ms;
}

export async function measureColdStart(runs = 9): Promise<ColdStart> {
  const built = synthBuiltLambda();
  try {
    const handlerFile = join(built.assetDir, 'index.js');
    const sdkFile = join(built.assetDir, 'node_modules', OKTA_SDK_MODULE, 'index.js');
    const load = `require(${JSON.stringify(handlerFile)})`;
    // Resolved from the asset folder, as the handler's require() resolves it in /var/task.
    const loadWithSdk = `${load}; require(${JSON.stringify(OKTA_SDK_MODULE)})`;
    const cwd = built.assetDir;
    const samples = { bare: [] as number[], load: [] as number[], maps: [] as number[], sdk: [] as number[] };
    timeNode(['-e', loadWithSdk], cwd); // warms the file cache, as Lambda's own copy of the code is local
    for (let i = 0; i < runs; i++) {
      samples.bare.push(timeNode(['-e', '0'], cwd));
      samples.load.push(timeNode(['-e', load], cwd));
      samples.maps.push(timeNode(['--enable-source-maps', '-e', load], cwd));
      samples.sdk.push(timeNode(['-e', loadWithSdk], cwd));
    }
    const requireMedianMs = median(samples.load);
    const bareNodeMedianMs = median(samples.bare);
    return {
      bundleBytes: statSync(handlerFile).size,
      oktaSdkBytes: statSync(sdkFile).size,
      runs,
      requireMedianMs,
      bareNodeMedianMs,
      ratio: requireMedianMs / bareNodeMedianMs,
      withSourceMapsMedianMs: median(samples.maps),
      withOktaSdkMedianMs: median(samples.sdk),
    };
  } finally {
    built.remove();
  }
}

/** The benchmark's line for the Lambda's module load. */
export function describeColdStart(cold: ColdStart): string {
  const ms = (value: number): string => value.toFixed(0);
  const mib = (bytes: number): string => (bytes / 1_048_576).toFixed(2);
  return (
    `Lambda module load: ${cold.ratio.toFixed(1)}x a bare node start (goal <= 5x): require median ${ms(cold.requireMedianMs)} ms, ` +
    `bare node -e 0 ${ms(cold.bareNodeMedianMs)} ms, ${ms(cold.withSourceMapsMedianMs)} ms as deployed (--enable-source-maps), ` +
    `${ms(cold.withOktaSdkMedianMs)} ms with the Okta SDK a scan loads on first use, over ${cold.runs} interleaved runs; ` +
    `handler ${mib(cold.bundleBytes)} MiB + Okta SDK ${mib(cold.oktaSdkBytes)} MiB (the synthesised asset)`
  );
}
