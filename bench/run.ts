import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../lambda/cli';
import { DEFAULT_CONFIG } from '../lambda/config';
import { logWindow } from '../lambda/okta/system-log';
import { cliStartupReport } from './cli-startup';
import { type ColdStart, describeColdStart, measureColdStart } from './cold-start';
import {
  limitsAt,
  type NaivePhase,
  OKTA_CONCURRENCY,
  OKTA_LATENCY_MS,
  OKTA_WINDOW_MS,
  timeFloor,
  total,
} from './floor';
import { ORG_SIZES, type OrgSize } from './generate-org';
import { type NaiveResult, runNaive } from './naive';
import { describeNights, runNights } from './nightly';
import { ORGS_SCALE, runOrchestrated } from './orchestrated';
import { bucketRows, bucketTable, fmt, gitSha, ratio, seconds } from './report-format';
import { startServer } from './server-control';
import { installVirtualClock } from './virtual-clock';

// `npm run bench [-- --size small|medium|large] [--scale N] [--clock virtual|window]
//   [--naive-budget S] [--no-naive] [--no-cold-start] [--seed N] [--limit-share P] [--days N]
//   [--orchestrated [--orgs N]]`
// A full scan through the real CLI path against a synthetic org on the fake Okta server, with
// Okta's per-minute limits, compared with the fewest requests the data needs and the time the
// limits allow them; then the same for the naive baseline; then the handler's cold start.

const ROOT = resolve(__dirname, '..');
// Taken before the virtual clock scales timers: memory is sampled in real time.
const realSetInterval = setInterval;
const LAMBDA_LIMIT_S = 900;
const PHASES: NaivePhase[] = ['tokens and agent pools', 'users and roles', 'apps', 'log'];
/** Cumulative share of the naive budget by the end of each phase. */
const PHASE_BUDGET: Record<NaivePhase, number> = {
  'tokens and agent pools': 0.1,
  'users and roles': 0.45,
  apps: 0.85,
  log: 1,
};
// 10: a medium scan takes seconds, and the CPU time of both processes, which the virtual clock
// multiplies by the scale, stays small next to the rate-limit waits (large: +4 % at 10, +12 % at 30).
const DEFAULT_SCALE: Record<OrgSize, number> = { small: 10, medium: 10, large: 10 };

interface Args {
  size: OrgSize;
  scale: number;
  clock: 'virtual' | 'window';
  naive: boolean;
  naiveBudgetS: number;
  coldStart: boolean;
  seed: number;
  limitShare: number;
  /** Nightly scans in a row with the ledger (--days N); 0: none. */
  days: number;
  /** Through the state machine instead of the CLI (orchestrated.ts). */
  orchestrated: boolean;
  /** --orgs N: N configured orgs side by side (orchestrated only); 0: the stack secret's org. */
  orgs: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    size: 'medium',
    scale: 0,
    clock: 'virtual',
    naive: true,
    naiveBudgetS: 60,
    coldStart: true,
    seed: 7,
    limitShare: 100,
    days: 0,
    orchestrated: false,
    orgs: 0,
  };
  const rest = argv.filter((a) => a !== '--');
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split('=', 2);
    const value = (): string => {
      const v = inline ?? rest[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--size') {
      const size = value();
      if (!(ORG_SIZES as readonly string[]).includes(size))
        throw new Error(`--size must be one of ${ORG_SIZES.join(', ')}`);
      args.size = size as OrgSize;
    } else if (flag === '--scale') args.scale = positive(flag, value());
    else if (flag === '--clock') {
      const clock = value();
      if (clock !== 'virtual' && clock !== 'window') throw new Error('--clock must be virtual or window');
      args.clock = clock;
    } else if (flag === '--naive-budget') args.naiveBudgetS = positive(flag, value());
    else if (flag === '--no-naive') args.naive = false;
    else if (flag === '--no-cold-start') args.coldStart = false;
    else if (flag === '--limit-share') {
      args.limitShare = positive(flag, value());
      if (args.limitShare > 100) throw new Error('--limit-share is a percentage, at most 100');
    } else if (flag === '--seed') args.seed = positive(flag, value());
    else if (flag === '--days') args.days = Math.floor(positive(flag, value()));
    else if (flag === '--orchestrated') args.orchestrated = true;
    else if (flag === '--orgs') args.orgs = Math.floor(positive(flag, value()));
    else throw new Error(`unknown flag ${rest[i]}`);
  }
  if (args.scale === 0) args.scale = args.orgs > 0 ? ORGS_SCALE : DEFAULT_SCALE[args.size];
  if (args.orgs > 0 && !args.orchestrated)
    throw new Error('--orgs needs --orchestrated (orgs are a state machine input)');
  if (args.orchestrated && (args.clock !== 'virtual' || args.days > 0))
    throw new Error('--orchestrated runs on the virtual clock and without --days');
  return args;
}

function positive(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number`);
  return n;
}

// --- the run ---

async function runScanner(url: string, token: string, asOf: string) {
  const startedAt = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'okta-scan-bench-'));
  const output = join(dir, 'report.json');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let errText = '';
  stderr.on('data', (chunk: Buffer) => {
    errText += chunk.toString();
  });
  stdout.resume();
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('OKTA_')) delete env[name];
  const started = performance.now();
  const memory = { peakRss: 0, peakHeap: 0, peakAtMs: 0 };
  const sampler = realSetInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > memory.peakRss) {
      memory.peakRss = m.rss;
      memory.peakAtMs = Date.now() - startedAt;
    }
    memory.peakHeap = Math.max(memory.peakHeap, m.heapUsed);
  }, 50);
  try {
    const code = await main(
      ['scan', '--org-url', url, '--token', token, '--format', 'json', '--output', output, '--quiet', '--now', asOf],
      { stdout, stderr, env, cwd: ROOT },
    );
    const realMs = performance.now() - started;
    // Before this process parses the report itself.
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const report = JSON.parse(readFileSync(output, 'utf8')) as {
      status: string;
      errors: { source: string; message: string }[];
      summary: { byStatus: Record<string, number> };
    };
    return { code, realMs, startedAt, report, stderr: errText, memory, peakRssMb };
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(args: Args): Promise<void> {
  // The SDK would send loopback requests through a proxy.
  delete process.env.HTTPS_PROXY;
  delete process.env.https_proxy;
  const origin = Date.now();
  const virtual = args.clock === 'virtual';
  if (virtual) installVirtualClock(args.scale, origin);
  const stretch = virtual ? 1 : args.scale;
  const limits = limitsAt(args.limitShare);
  const token = randomBytes(24).toString('base64url');
  const lookbackDays = DEFAULT_CONFIG.lookbackDays;
  const server = await startServer(
    {
      size: args.size,
      seed: args.seed,
      lookbackDays,
      clock: args.clock,
      scale: args.scale,
      origin,
      limitShare: args.limitShare,
    },
    token,
  );
  const { ready } = server;
  const out = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  const o = ready.org;
  out(
    `okta-scan benchmark: ${args.size} org: ${fmt(o.users)} users, ${fmt(o.apiTokens)} API tokens, ${fmt(o.agents)} AD agents, ${fmt(o.apps)} apps (${fmt(o.provisioningApps)} provisioning, ${fmt(o.appUsers)} app users), ${fmt(o.logs)} log events (${fmt(o.relevantLogs)} of the inventory's concerns, ${fmt(o.readLogs)} read by the current rules); generated in ${seconds(ready.generateMs)}`,
  );
  out(
    `Okta limits per minute${args.limitShare < 100 ? ` at ${args.limitShare} % (a token held to a share of each bucket)` : ''}: ${Object.entries(
      limits,
    )
      .map(([b, l]) => `${b} ${l}`)
      .join(
        ', ',
      )}; ${OKTA_CONCURRENCY} in flight; latency ${OKTA_LATENCY_MS} ms. Time ${virtual ? `runs ${args.scale}x fast (virtual clock; Okta's real windows, latency and headers)` : `scaled by 1/${args.scale} (window ${OKTA_WINDOW_MS / args.scale} ms, latency ${OKTA_LATENCY_MS / args.scale} ms)`}.`,
  );

  try {
    // --- scanner ---
    const scanFloor = ready.floor;
    const scanTime = timeFloor(scanFloor.requests, limits);
    const baselineRssMb = Math.round(process.memoryUsage().rss / 1_048_576);
    const maxRssBeforeMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const scanned = await runScanner(ready.url, token, ready.asOf);
    const peakRssMb = scanned.peakRssMb;
    const scanStats = await server.stats();
    const scanMs = scanned.realMs * args.scale;
    const rows = bucketRows(scanStats.buckets, scanFloor.requests, scanTime, scanned.startedAt, stretch);
    const made = Object.values(scanStats.buckets).reduce((n, b) => n + (b?.requests ?? 0), 0);
    const throttled = Object.values(scanStats.buckets).reduce((n, b) => n + (b?.throttled ?? 0), 0);
    const floorTotal = total(scanFloor.requests);
    const fits = scanMs / 1000 <= LAMBDA_LIMIT_S;
    out();
    out('Scanner (okta-scan scan through lambda/cli main):');
    for (const line of bucketTable(rows, limits)) out(line);
    out(
      `  floor parts: ${Object.entries(scanFloor.parts)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ')}`,
    );
    out(
      `  wall time ${seconds(scanMs)} (Okta time; ${seconds(scanned.realMs)} real) vs rate-limit floor ${seconds(scanTime.ms)} (${scanTime.dominant} bucket + ${2} latencies) = ${ratio(scanMs, scanTime.ms)}; against full windows only (${seconds(scanTime.windowsMs)}): ${ratio(scanMs, scanTime.windowsMs)}`,
    );
    out(
      `  projected real duration at Okta's limits: ${fmt(scanMs / 1000)} s, dominated by the ${scanTime.dominant} bucket; ${fits ? 'fits in' : 'EXCEEDS'} Lambda's 15 minutes (${LAMBDA_LIMIT_S} s)`,
    );
    out(
      `  429s seen: ${fmt(throttled)}; peak RSS ${peakRssMb} MB (before the scan: ${baselineRssMb} MB, max so far ${maxRssBeforeMb} MB; sampled: RSS ${Math.round(scanned.memory.peakRss / 1_048_576)} MB at ${fmt(scanned.memory.peakAtMs / 1000)} s, heap ${Math.round(scanned.memory.peakHeap / 1_048_576)} MB; the fake server's process: ${scanStats.peakRssMb} MB)`,
    );
    const s = scanned.report.summary.byStatus;
    out(
      `  exit ${scanned.code}; report ${scanned.report.status}: ${s.FAIL ?? 0} FAIL, ${s.UNKNOWN ?? 0} UNKNOWN, ${s.PASS ?? 0} PASS${scanned.report.errors.length ? `; errors: ${scanned.report.errors.map((e) => `${e.source}: ${e.message}`).join('; ')}` : ''}`,
    );
    if (scanned.code > 1 && scanned.stderr) out(`  stderr: ${scanned.stderr.trim()}`);

    // --- nightly scans with the ledger ---
    if (args.days > 0) {
      const nights = await runNights({
        url: ready.url,
        token,
        asOf: ready.asOf,
        days: args.days,
        cwd: ROOT,
        logRequests: async () => (await server.stats()).buckets.logs?.requests ?? 0,
      });
      out();
      for (const line of describeNights(nights)) out(line);
    }

    // --- naive baseline ---
    let naiveSummary: Record<string, unknown> | null = null;
    if (args.naive) {
      const plan = ready.naive;
      const window = logWindow(new Date(ready.asOf), lookbackDays);
      const started = performance.now();
      const naiveStartedAt = Date.now();
      const deadlines = Object.fromEntries(
        PHASES.map((p) => [p, started + PHASE_BUDGET[p] * args.naiveBudgetS * 1000]),
      ) as Record<NaivePhase, number>;
      const result: NaiveResult = await runNaive({
        orgUrl: ready.url,
        token,
        since: window.since,
        until: window.until,
        deadlines,
        scale: args.scale,
      });
      const naiveRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
      const naiveStats = await server.stats();
      const naiveTime = timeFloor(plan.requests, limits);
      const complete = PHASES.every((p) => result[p].completed);
      const naiveTotal = total(plan.requests);
      let projectedMs = 0;
      const modelMs = PHASES.reduce((n, p) => n + plan.modelMs[p], 0);
      out();
      out(
        `Naive baseline (bench/naive.ts: every user and their roles, every app's connection/features/users, the whole log; SDK defaults, sequential)${complete ? '' : `, capped at ${args.naiveBudgetS} s real: requests of unfinished phases come from the data, their time is extrapolated from the measured rate`}:`,
      );
      for (const phase of PHASES) {
        const r = result[phase];
        const planned = plan.byPhase[phase];
        const ms = r.completed || r.requests === 0 ? r.ms : (r.ms * planned) / r.requests;
        projectedMs += ms;
        out(
          `  ${phase.padEnd(24)} ${r.completed ? 'done' : 'CAPPED'}: ${fmt(r.requests)} requests made of ${fmt(planned)} planned, ${seconds(r.ms)}${r.completed ? '' : ` -> ~${seconds(ms)} projected`}${r.error ? ` (stopped: ${r.error})` : ''}`,
        );
      }
      const naiveRows = bucketRows(naiveStats.buckets, plan.requests, naiveTime, naiveStartedAt, stretch);
      for (const line of bucketTable(naiveRows, limits, 'planned')) out(line);
      out(
        `  projected real duration: ${fmt(projectedMs / 1000)} s (${fmt(projectedMs / 60_000, 1)} min; without this machine's CPU time, 60 ms a request or each bucket's limit per phase: ${fmt(modelMs / 60_000, 1)} min); its rate-limit floor alone ${seconds(naiveTime.ms)} (${naiveTime.dominant}); peak RSS ${naiveRssMb} MB`,
      );
      out(`  naive/scanner requests = ${(naiveTotal / made).toFixed(1)}x`);
      naiveSummary = {
        complete,
        budgetS: args.naiveBudgetS,
        phases: result,
        plannedRequests: plan.requests,
        plannedTotal: naiveTotal,
        seen: naiveStats.buckets,
        projectedS: Math.round(projectedMs / 1000),
        modelS: Math.round(modelMs / 1000),
        floorS: Math.round(naiveTime.ms / 1000),
        peakRssMb: naiveRssMb,
        naiveOverScanner: Number((naiveTotal / made).toFixed(2)),
      };
    }

    // --- cold start ---
    let cold: ColdStart | null = null;
    if (args.coldStart) {
      cold = await measureColdStart();
      out();
      out(describeColdStart(cold));
    }
    if (args.coldStart) for (const line of cliStartupReport(ROOT)) out(line);

    const summary = `requests ${(made / floorTotal).toFixed(2)}x floor, time ${(scanMs / scanTime.ms).toFixed(2)}x floor, projected ${Math.round(scanMs / 1000)} s, peak RSS ${peakRssMb} MB`;
    const { sha, dirty } = gitSha();
    const results = {
      size: args.size,
      commit: sha,
      dirty,
      ranAt: new Date(origin).toISOString(),
      clock: args.clock,
      scale: args.scale,
      seed: args.seed,
      org: ready.org,
      limits: { perMinute: limits, share: args.limitShare, concurrency: OKTA_CONCURRENCY, latencyMs: OKTA_LATENCY_MS },
      scanner: {
        buckets: rows,
        requests: made,
        floorRequests: floorTotal,
        floorParts: scanFloor.parts,
        requestRatio: Number((made / floorTotal).toFixed(3)),
        throttled,
        wallS: Number((scanMs / 1000).toFixed(1)),
        realS: Number((scanned.realMs / 1000).toFixed(2)),
        floorS: Number((scanTime.ms / 1000).toFixed(1)),
        timeRatio: Number((scanMs / scanTime.ms).toFixed(3)),
        windowsFloorS: Number((scanTime.windowsMs / 1000).toFixed(1)),
        windowsTimeRatio: Number((scanMs / scanTime.windowsMs).toFixed(3)),
        dominantBucket: scanTime.dominant,
        fitsInLambda: fits,
        peakRssMb,
        baselineRssMb,
        serverPeakRssMb: scanStats.peakRssMb,
        exitCode: scanned.code,
        reportStatus: scanned.report.status,
        findings: scanned.report.summary.byStatus,
      },
      naive: naiveSummary,
      coldStart: cold,
      summary,
    };
    const dir = join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    // Runs that change the model get their own file next to the standard one.
    const variant = [args.limitShare < 100 ? `share${args.limitShare}` : '', args.clock === 'window' ? 'window' : '']
      .filter(Boolean)
      .map((v) => `-${v}`)
      .join('');
    const file = join(dir, `${args.size}-${sha}${variant}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    out();
    out(`Results: ${file.slice(ROOT.length + 1)}`);
    out(summary);
  } finally {
    await server.close();
  }
}

if (require.main === module) {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    process.exit(2);
  }
  (args.orchestrated ? runOrchestrated(args) : run(args)).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
