import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Counts, limitsAt, OKTA_CONCURRENCY, OKTA_LATENCY_MS, type TimeFloor, timeFloor, total } from './floor';
import type { ServiceCalls } from './local-aws';
import type { OrchestratedArgs } from './orchestrated';
import { bucketRows, bucketTable, fmt, gitSha, ratio, seconds } from './report-format';
import type { BucketStats, ServerMessage } from './server-process';
import { type AslDefinition, allStates, LAMBDA_TIMEOUT_S } from './state-machine-definition';
import type { Invocation, StepKind } from './step-invocations';

// What the orchestrated benchmark prints and writes: per execution, Okta's requests against the
// floor, the Lambda invocations by step and their billed time against the Step Functions Wait
// time, each Collect step (when it began, how long its replay took before its first request to
// Okta, what it asked Okta, why it ended), and with several orgs the side-by-side ratio.

type Ready = Extract<ServerMessage, { type: 'ready' }>;

export interface OrgTotals {
  name: string;
  buckets: Partial<Record<string, BucketStats>>;
  floor: Ready['floor'];
}

export interface Execution {
  label: string;
  input: Record<string, unknown>;
  startedAt: number;
  wallMs: number;
  realMs: number;
  output: unknown;
  invocations: Invocation[];
  /** What each step asked Okta, when its first request arrived, and its calls to AWS. */
  stepRequests: Map<Invocation, { requests: number; firstAt: number | null; aws: Record<string, ServiceCalls> }>;
  orgs: OrgTotals[];
}

const ROOT = resolve(__dirname, '..');
const KINDS: StepKind[] = ['plan', 'collect', 'finish', 'failed'];
const KIND_NAMES: Record<StepKind, string> = {
  plan: 'Plan',
  collect: 'Collect',
  finish: 'Finish',
  failed: 'RecordFailure',
};

function outcome(i: Invocation): string {
  if (i.error) return 'error';
  const state = i.result?.state;
  if (state === 'collecting') return Number(i.result?.waitSeconds) > 0 ? 'wait' : 'deadline';
  return String(state ?? 'done');
}

interface Wait {
  org: string;
  askedMs: number;
  /** From the end of the Collect that asked for it to the start of the next, on each clock. */
  clockMs: number;
  realMs: number;
}

function waits(invocations: Invocation[]): Wait[] {
  const found: Wait[] = [];
  const collects = invocations.filter((i) => i.kind === 'collect');
  for (const org of new Set(collects.map((i) => i.org ?? ''))) {
    const steps = collects.filter((i) => i.org === org).sort((a, b) => a.startedAt - b.startedAt);
    steps.slice(0, -1).forEach((step, n) => {
      if (outcome(step) !== 'wait') return;
      const next = steps[n + 1];
      found.push({
        org,
        askedMs: Number(step.result?.waitSeconds) * 1000,
        clockMs: next.startedAt - (step.startedAt + step.durationMs),
        realMs: next.realStartedAt - (step.realStartedAt + step.realMs),
      });
    });
  }
  return found;
}

function describeCalls(aws: Record<string, ServiceCalls> | undefined): string {
  if (!aws) return '';
  const used = Object.entries(aws).filter(([, c]) => c.calls > 0);
  return used.map(([service, c]) => `${service} ${c.calls} calls ${seconds(c.ms)}`).join(', ');
}

function sum<T>(items: T[], value: (item: T) => number): number {
  return items.reduce((n, item) => n + value(item), 0);
}

interface Measured {
  made: number;
  floorTotal: number;
  time: TimeFloor;
  buckets: Partial<Record<string, BucketStats>>;
  floor: Counts;
  waits: Wait[];
  billedMs: number;
}

function measure(execution: Execution, limits: ReturnType<typeof limitsAt>): Measured {
  const buckets: Partial<Record<string, BucketStats>> = {};
  const floor: Counts = {};
  for (const org of execution.orgs) {
    for (const [bucket, b] of Object.entries(org.buckets)) {
      if (!b) continue;
      const m = buckets[bucket] ?? { requests: 0, throttled: 0, errors: 0, firstAt: b.firstAt, lastAt: b.lastAt };
      buckets[bucket] = {
        requests: m.requests + b.requests,
        throttled: m.throttled + b.throttled,
        errors: m.errors + b.errors,
        firstAt: Math.min(m.firstAt, b.firstAt),
        lastAt: Math.max(m.lastAt, b.lastAt),
      };
    }
    for (const [bucket, n] of Object.entries(org.floor.requests) as [keyof Counts, number][])
      floor[bucket] = (floor[bucket] ?? 0) + n;
  }
  // Orgs run side by side on their own limits: the time floor is the slowest org's.
  const times = execution.orgs.map((o) => timeFloor(o.floor.requests, limits));
  const time = times.reduce((a, b) => (b.ms > a.ms ? b : a));
  return {
    made: sum(Object.values(buckets), (b) => b?.requests ?? 0),
    floorTotal: total(floor),
    time,
    buckets,
    floor,
    waits: waits(execution.invocations),
    billedMs: sum(execution.invocations, (i) => i.durationMs),
  };
}

function countOutcomes(list: Invocation[]): string {
  const counts = new Map<string, number>();
  for (const i of list) counts.set(outcome(i), (counts.get(outcome(i)) ?? 0) + 1);
  return [...counts].map(([o, n]) => `${n} ${o}`).join(', ');
}

/** The invocations by step kind, their billed time against the Wait time, and their AWS calls. */
function describeInvocations(execution: Execution, m: Measured, scale: number): string[] {
  const inv = execution.invocations;
  const byKind = KINDS.map((k) => [k, inv.filter((i) => i.kind === k)] as const).filter(([, list]) => list.length);
  const waitedMs = sum(m.waits, (w) => w.clockMs);
  const lines = [
    `  Lambda invocations: ${inv.length}: ${byKind.map(([k, list]) => `${KIND_NAMES[k]} ${list.length}${k === 'collect' ? ` (${countOutcomes(list)})` : ''}`).join(', ')}; longest ${seconds(Math.max(...inv.map((i) => i.durationMs)))} of ${LAMBDA_TIMEOUT_S} s (${inv.filter((i) => i.durationMs > LAMBDA_TIMEOUT_S * 1000).length} over); largest answer ${fmt(Math.max(...inv.map((i) => i.resultBytes)))} bytes`,
    `  Lambda billed ${seconds(m.billedMs)} (${byKind.map(([k, list]) => `${KIND_NAMES[k]} ${seconds(sum(list, (i) => i.durationMs))}`).join(', ')}) vs Step Functions Wait ${seconds(waitedMs)} in ${m.waits.length} waits (asked ${seconds(sum(m.waits, (w) => w.askedMs))})`,
  ];
  if (m.waits.length > 0) {
    lines.push(
      `  the Wait timer runs on the virtual clock: ${seconds(waitedMs)} of Okta time took ${seconds(sum(m.waits, (w) => w.realMs))} real (scale ${scale})`,
    );
  }
  const calls: Record<string, ServiceCalls> = {};
  for (const seen of execution.stepRequests.values()) {
    for (const [service, c] of Object.entries(seen.aws)) {
      calls[service] = { calls: (calls[service]?.calls ?? 0) + c.calls, ms: (calls[service]?.ms ?? 0) + c.ms };
    }
  }
  lines.push(`  AWS calls of all steps (loopback emulators; overlapping calls each counted): ${describeCalls(calls)}`);
  return lines;
}

/** One org's steps: when it was collected, its Finish, its resumes, each Collect step when one org runs. */
function describeOrg(execution: Execution, org: OrgTotals, single: boolean): string[] {
  const steps = execution.invocations.filter((i) => i.org === org.name).sort((a, b) => a.startedAt - b.startedAt);
  const collects = steps.filter((i) => i.kind === 'collect');
  const finish = steps.find((i) => i.kind === 'finish' || i.kind === 'failed');
  const lastCollect = collects.at(-1);
  const seen = (i: Invocation) => execution.stepRequests.get(i);
  const replays = collects
    .slice(1)
    .map((i) => (seen(i)?.firstAt == null ? null : seen(i)!.firstAt! - i.startedAt))
    .filter((ms): ms is number => ms !== null);
  const lines = [
    `  ${org.name}: collected after ${lastCollect ? seconds(lastCollect.startedAt + lastCollect.durationMs - execution.startedAt) : '-'}, ${finish ? `${KIND_NAMES[finish.kind]} ${seconds(finish.durationMs)} (${seen(finish)?.requests ?? 0} Okta requests${single ? `; ${describeCalls(seen(finish)?.aws)}` : ''})` : 'not finished'}; resumed steps' replay before their first request: ${replays.length ? `mean ${seconds(sum(replays, (r) => r) / replays.length)}, max ${seconds(Math.max(...replays))}` : '-'}`,
  ];
  if (single) {
    for (const [n, i] of collects.entries()) {
      const firstAt = seen(i)?.firstAt;
      lines.push(
        `    Collect ${String(n + 1).padStart(2)}: at ${seconds(i.startedAt - execution.startedAt).padStart(9)}, ran ${seconds(i.durationMs).padStart(8)}, ${String(seen(i)?.requests ?? 0).padStart(5)} requests, first after ${firstAt == null ? '-' : seconds(firstAt - i.startedAt)} -> ${outcome(i)}${outcome(i) === 'wait' ? ` ${i.result?.waitSeconds} s` : ''}; ${describeCalls(seen(i)?.aws)}`,
      );
    }
  }
  const result = (finish?.result as { scan?: { status?: string; summary?: { byStatus?: Record<string, number> } } })
    ?.scan;
  const s = result?.summary?.byStatus ?? {};
  lines.push(
    `    report ${result?.status ?? finish?.error ?? 'none'}: ${s.FAIL ?? 0} FAIL, ${s.UNKNOWN ?? 0} UNKNOWN, ${s.PASS ?? 0} PASS`,
  );
  return lines;
}

function describeExecution(
  execution: Execution,
  m: Measured,
  args: OrchestratedArgs,
  limits: ReturnType<typeof limitsAt>,
): string[] {
  const rows = bucketRows(m.buckets, m.floor, m.time, execution.startedAt, 1);
  const single = execution.orgs.length === 1;
  return [
    `Execution: ${execution.label} (input ${JSON.stringify(execution.input)}):`,
    ...bucketTable(rows, limits),
    ...describeInvocations(execution, m, args.scale),
    ...execution.orgs.flatMap((org) => describeOrg(execution, org, single)),
    `  wall time ${seconds(execution.wallMs)} (Okta time; ${seconds(execution.realMs)} real) vs rate-limit floor ${seconds(m.time.ms)} (${m.time.dominant} bucket) = ${ratio(execution.wallMs, m.time.ms)}; requests ${fmt(m.made)} vs floor ${fmt(m.floorTotal)} = ${ratio(m.made, m.floorTotal)}`,
  ];
}

function stateNames(definition: AslDefinition): string {
  return Object.entries(allStates(definition))
    .map(([name, s]) => `${name} (${s.Type})`)
    .join(', ');
}

/** The last line: the last execution's ratios, its invocations and, with several orgs, the side-by-side ratio. */
function summaryLine(executions: Execution[], measured: Measured[]): string {
  const last = executions.at(-1)!;
  const m = measured.at(-1)!;
  const kinds = KINDS.map((k) => [k, last.invocations.filter((i) => i.kind === k).length] as const).filter(
    ([, n]) => n > 0,
  );
  const side =
    executions.length > 1
      ? `, ${last.orgs.length} orgs side by side ${(last.wallMs / executions[0].wallMs).toFixed(2)}x one org alone`
      : '';
  return `requests ${(m.made / m.floorTotal).toFixed(2)}x floor, time ${(last.wallMs / m.time.ms).toFixed(2)}x floor, invocations ${last.invocations.length} (${kinds.map(([k, n]) => `${KIND_NAMES[k]} ${n}`).join(', ')}), Lambda billed ${Math.round(m.billedMs / 1000)} s vs Wait ${Math.round(sum(m.waits, (w) => w.clockMs) / 1000)} s${side}`;
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

function executionJson(e: Execution, m: Measured): Record<string, unknown> {
  return {
    label: e.label,
    input: e.input,
    wallS: round(e.wallMs / 1000, 1),
    realS: round(e.realMs / 1000, 2),
    requests: m.made,
    floorRequests: m.floorTotal,
    floorS: round(m.time.ms / 1000, 1),
    requestRatio: round(m.made / m.floorTotal, 3),
    timeRatio: round(e.wallMs / m.time.ms, 3),
    billedS: round(m.billedMs / 1000, 1),
    waitS: round(sum(m.waits, (w) => w.clockMs) / 1000, 1),
    buckets: m.buckets,
    invocations: e.invocations.map((i) => {
      const seen = e.stepRequests.get(i);
      return {
        kind: i.kind,
        org: i.org,
        atS: round((i.startedAt - e.startedAt) / 1000, 1),
        durationS: round(i.durationMs / 1000, 1),
        outcome: outcome(i),
        requests: seen?.requests,
        firstRequestAfterS: seen?.firstAt == null ? undefined : round((seen.firstAt - i.startedAt) / 1000, 2),
        resultBytes: i.resultBytes,
        aws: seen?.aws,
      };
    }),
    output: e.output,
  };
}

/** bench/results/<size>-<sha>-orchestrated[-shareP][-orgsN].json; returns its path from the root. */
function writeResults(args: OrchestratedArgs, ready: Ready, executions: Execution[], measured: Measured[]): string {
  const { sha, dirty } = gitSha();
  const results = {
    size: args.size,
    commit: sha,
    dirty,
    orchestrated: true,
    scale: args.scale,
    seed: args.seed,
    orgs: args.orgs,
    org: ready.org,
    limits: { perMinute: limitsAt(args.limitShare), share: args.limitShare },
    executions: executions.map((e, n) => executionJson(e, measured[n])),
    summary: summaryLine(executions, measured),
  };
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const variant = [
    'orchestrated',
    args.limitShare < 100 ? `share${args.limitShare}` : '',
    args.orgs ? `orgs${args.orgs}` : '',
  ]
    .filter(Boolean)
    .map((v) => `-${v}`)
    .join('');
  const file = join(dir, `${args.size}-${sha}${variant}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file.slice(ROOT.length + 1);
}

export function printOrchestrated(
  args: OrchestratedArgs,
  ready: Ready,
  definition: AslDefinition,
  executions: Execution[],
): void {
  const out = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  const limits = limitsAt(args.limitShare);
  const o = ready.org;
  out(
    `okta-scan benchmark, orchestrated: ${args.orgs > 0 ? `${args.orgs} + 1 ` : ''}${args.size} org${args.orgs > 0 ? 's' : ''}: ${fmt(o.users)} users, ${fmt(o.apiTokens)} API tokens, ${fmt(o.apps)} apps (${fmt(o.provisioningApps)} provisioning), ${fmt(o.logs)} log events each`,
  );
  out(
    `Okta limits per minute${args.limitShare < 100 ? ` at ${args.limitShare} %` : ''}: ${Object.entries(limits)
      .map(([b, l]) => `${b} ${l}`)
      .join(
        ', ',
      )}; ${OKTA_CONCURRENCY} in flight; latency ${OKTA_LATENCY_MS} ms; each org its own server process and limits. Time runs ${args.scale}x fast (virtual clock).`,
  );
  out(
    `State machine from cdk synth, run by aws-local-stepfunctions: ${stateNames(definition)}. Each Task runs createHandler() in this process (loopback DynamoDB, S3, SNS, Secrets Manager); each invocation's context counts ${LAMBDA_TIMEOUT_S} s of Okta time down.`,
  );
  const measured = executions.map((e) => measure(e, limits));
  for (const [n, e] of executions.entries()) {
    out();
    for (const line of describeExecution(e, measured[n], args, limits)) out(line);
  }
  out();
  out(`Results: ${writeResults(args, ready, executions, measured)}`);
  out(summaryLine(executions, measured));
}
