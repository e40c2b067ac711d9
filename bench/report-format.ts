import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Bucket, Counts, Limits, TimeFloor } from './floor';
import type { BucketStats } from './server-process';

// How the benchmarks print: numbers, ratios, the per-bucket table against the floor, the commit.

const ROOT = resolve(__dirname, '..');
export const BUCKETS: Bucket[] = ['apps', 'logs', 'usersList', 'userById', 'other', 'groups', 'oauth'];

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}x` : '-');
export const seconds = (ms: number): string => `${fmt(ms / 1000, 1)} s`;
export const pad = (s: string, n: number): string => s.padStart(n);

export function gitSha(): { sha: string; dirty: boolean } {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return { sha, dirty };
  } catch {
    return { sha: 'nogit', dirty: false };
  }
}

export interface BucketRow {
  requests: number;
  floor: number;
  throttled: number;
  floorMs: number;
  /** When the bucket was in use, ms from the start of the run. */
  activeFromMs: number;
  activeToMs: number;
}

export function bucketRows(
  made: Partial<Record<Bucket, BucketStats>>,
  floor: Counts,
  time: TimeFloor,
  startedAt: number,
  /** Okta ms per clock ms: 1 on the virtual clock, the scale when only the window is scaled. */
  stretch: number,
) {
  const rows: Partial<Record<Bucket, BucketRow>> = {};
  for (const bucket of BUCKETS) {
    const m = made[bucket];
    const f = floor[bucket] ?? 0;
    if (!m && f === 0) continue;
    rows[bucket] = {
      requests: m?.requests ?? 0,
      floor: f,
      throttled: m?.throttled ?? 0,
      floorMs: time.perBucketMs[bucket] ?? 0,
      activeFromMs: m ? (m.firstAt - startedAt) * stretch : 0,
      activeToMs: m ? (m.lastAt - startedAt) * stretch : 0,
    };
  }
  return rows;
}

export function bucketTable(rows: Partial<Record<Bucket, BucketRow>>, limits: Limits, floorLabel = 'floor'): string[] {
  const lines: string[] = [];
  lines.push(
    `  ${'bucket'.padEnd(10)}${pad('limit/min', 10)}${pad('requests', 10)}${pad(floorLabel, 10)}${pad('ratio', 8)}${pad('429s', 7)}${pad('floor time', 12)}${pad('in use (s)', 16)}`,
  );
  let requests = 0;
  let floor = 0;
  let throttled = 0;
  for (const [bucket, row] of Object.entries(rows) as [Bucket, BucketRow][]) {
    requests += row.requests;
    floor += row.floor;
    throttled += row.throttled;
    lines.push(
      `  ${bucket.padEnd(10)}${pad(limits[bucket] ? fmt(limits[bucket]!) : '-', 10)}${pad(fmt(row.requests), 10)}${pad(fmt(row.floor), 10)}${pad(ratio(row.requests, row.floor), 8)}${pad(fmt(row.throttled), 7)}${pad(seconds(row.floorMs), 12)}${pad(row.requests ? `${fmt(row.activeFromMs / 1000)}-${fmt(row.activeToMs / 1000)}` : '', 16)}`,
    );
  }
  lines.push(
    `  ${'total'.padEnd(10)}${pad('', 10)}${pad(fmt(requests), 10)}${pad(fmt(floor), 10)}${pad(ratio(requests, floor), 8)}${pad(fmt(throttled), 7)}`,
  );
  return lines;
}
