import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { SCANNER_BUNDLING, SCANNER_ENTRY } from '../lib/scanner-function';

// Cold start proxy: the Lambda handler bundled with the stack's own bundling options
// (lib/scanner-function.ts: CJS, minified, everything in, source map beside it), then the median
// time of a fresh `node -e "require(bundle)"` next to a bare `node -e 0`, runs interleaved so
// load on the machine hits all three alike. "As deployed" adds the function's NODE_OPTIONS
// (--enable-source-maps), which reads the source map when the module loads.

export interface ColdStart {
  bundleBytes: number;
  runs: number;
  requireMedianMs: number;
  bareNodeMedianMs: number;
  /** requireMedianMs / bareNodeMedianMs (goal: at most 5). */
  ratio: number;
  withSourceMapsMedianMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeNode(args: string[]): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed (${run.status}): ${run.stderr.slice(0, 500)}`);
  return ms;
}

async function buildAsTheStack(outfile: string): Promise<void> {
  await build({
    entryPoints: [SCANNER_ENTRY],
    bundle: true,
    platform: 'node',
    format: SCANNER_BUNDLING.format === 'cjs' ? 'cjs' : 'esm',
    minify: SCANNER_BUNDLING.minify,
    sourcemap: SCANNER_BUNDLING.sourceMap,
    target: SCANNER_BUNDLING.target,
    external: SCANNER_BUNDLING.externalModules,
    outfile,
    logLevel: 'silent',
  });
}

export async function measureColdStart(runs = 9): Promise<ColdStart> {
  const dir = mkdtempSync(join(tmpdir(), 'okta-scan-bundle-'));
  try {
    const outfile = join(dir, 'index.js');
    await buildAsTheStack(outfile);
    const load = `require(${JSON.stringify(outfile)})`;
    const bare: number[] = [];
    const loads: number[] = [];
    const withMaps: number[] = [];
    timeNode(['-e', load]); // warms the file cache, as Lambda's own copy of the code is local
    for (let i = 0; i < runs; i++) {
      bare.push(timeNode(['-e', '0']));
      loads.push(timeNode(['-e', load]));
      withMaps.push(timeNode(['--enable-source-maps', '-e', load]));
    }
    const requireMedianMs = median(loads);
    const bareNodeMedianMs = median(bare);
    return {
      bundleBytes: statSync(outfile).size,
      runs,
      requireMedianMs,
      bareNodeMedianMs,
      ratio: requireMedianMs / bareNodeMedianMs,
      withSourceMapsMedianMs: median(withMaps),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The benchmark's line for the Lambda's module load. */
export function describeColdStart(cold: ColdStart): string {
  const ms = (value: number): string => value.toFixed(0);
  return (
    `Lambda module load: ${cold.ratio.toFixed(1)}x a bare node start (goal <= 5x): require median ${ms(cold.requireMedianMs)} ms, ` +
    `bare node -e 0 ${ms(cold.bareNodeMedianMs)} ms, ${ms(cold.withSourceMapsMedianMs)} ms as deployed (--enable-source-maps), ` +
    `over ${cold.runs} interleaved runs; bundle ${(cold.bundleBytes / 1_048_576).toFixed(2)} MiB (the stack's bundling options)`
  );
}
