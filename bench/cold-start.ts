import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

// Cold start proxy: the Lambda handler bundled as the stack bundles it (CJS, minified, all
// dependencies in), then the median time of a fresh `node -e "require(bundle)"`, next to a bare
// `node -e 0` for the runtime's own start.

export interface ColdStart {
  bundleBytes: number;
  runs: number;
  requireMedianMs: number;
  bareNodeMedianMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeNode(script: string, runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, ['-e', script], {
      env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      encoding: 'utf8',
    });
    times.push(performance.now() - started);
    if (run.status !== 0) throw new Error(`node -e failed (${run.status}): ${run.stderr.slice(0, 500)}`);
  }
  return times;
}

export async function measureColdStart(root: string, runs = 7): Promise<ColdStart> {
  const dir = mkdtempSync(join(tmpdir(), 'okta-scan-bundle-'));
  try {
    const outfile = join(dir, 'handler.js');
    await build({
      entryPoints: [resolve(root, 'lambda/handler.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: true,
      outfile,
      logLevel: 'silent',
    });
    const bundleBytes = statSync(outfile).size;
    const bare = timeNode('0', runs);
    const loads = timeNode(`require(${JSON.stringify(outfile)})`, runs);
    return { bundleBytes, runs, requireMedianMs: median(loads), bareNodeMedianMs: median(bare) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
