import { randomBytes } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { DEFAULT_CONFIG } from '../lambda/config';
import { AS_OF, type OrgSize } from './generate-org';
import { type ServiceCalls, secretArn, startLocalAws } from './local-aws';
import { type Execution, type OrgTotals, printOrchestrated } from './orchestrated-report';
import { type Server, startServer } from './server-control';
import type { BucketStats } from './server-process';
import { type AslDefinition, synthesisedDefinition } from './state-machine-definition';
import { type Handler, type Invocation, taskHandlers } from './step-invocations';
import { installVirtualClock } from './virtual-clock';

// `npm run bench -- --orchestrated [--orgs N]`: the nightly scan as the stack runs it, through the
// state machine `cdk synth` produces, executed by aws-local-stepfunctions in this process. Each
// Task state runs the Lambda handler (createHandler, with loopback DynamoDB, S3 and SNS clients)
// in this process, with invocations capped at 900 s of Okta time; the fake Okta org of each
// configured org runs in its own server process with its own rate limits. Time is the virtual
// clock's (virtual-clock.ts), so the Wait state's timer and each invocation's deadline run on
// Okta time too. With --orgs N, one org is scanned alone first, then N (the same org each, on
// its own server) side by side.

/**
 * The default --scale with --orgs. The N orgs' Lambda invocations share this process's event loop
 * (in AWS each has a CPU of its own), so their CPU time adds up N times over before the clock
 * multiplies it by the scale: at 10, five medium orgs side by side took 1.5x one alone, nearly
 * all of it their replays and Finish steps queueing for the one CPU; at 2, 1.08x.
 */
export const ORGS_SCALE = 2;

export interface OrchestratedArgs {
  size: OrgSize;
  scale: number;
  seed: number;
  limitShare: number;
  /** 0: the deployment scans the one org of its secret; N: N configured orgs side by side. */
  orgs: number;
}

// aws-local-stepfunctions calls Promise.withResolvers (Node 22); Node 20 lacks it.
const promiseStatics = Promise as unknown as { withResolvers?: () => unknown };
promiseStatics.withResolvers ??= function withResolvers<T>(this: PromiseConstructor) {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new this<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
};

export interface BenchOrg {
  name: string;
  secret: string;
  server: Server;
  /** Requests the org's server answered, per bucket, since the execution started. */
  buckets: Partial<Record<string, BucketStats>>;
}

function merge(into: Partial<Record<string, BucketStats>>, from: Partial<Record<string, BucketStats>>): void {
  for (const [bucket, b] of Object.entries(from)) {
    if (!b) continue;
    const m = into[bucket];
    into[bucket] = m
      ? {
          requests: m.requests + b.requests,
          throttled: m.throttled + b.throttled,
          errors: m.errors + b.errors,
          firstAt: Math.min(m.firstAt, b.firstAt),
          lastAt: Math.max(m.lastAt, b.lastAt),
        }
      : { ...b };
  }
}

/** The config the deployment is synthesised with and the function reads. */
function benchConfig(orgs: readonly { name: string; secret: string }[], multi: boolean): Record<string, unknown> {
  if (!multi) return {};
  return {
    orgs: orgs.map(({ name, secret }) => ({ name, secret })),
    maxConcurrentOrgs: Math.min(40, Math.max(5, orgs.length)),
  };
}

interface World {
  definition: AslDefinition;
  handler: Handler;
  orgs: BenchOrg[];
  /** The handler's AWS calls since the last take. */
  takeCalls(): Record<string, ServiceCalls>;
  close(): Promise<void>;
}

async function setUp(args: OrchestratedArgs): Promise<World> {
  const multi = args.orgs > 0;
  const names = multi ? ['solo', ...Array.from({ length: args.orgs }, (_, i) => `org-${i + 1}`)] : ['default'];
  const secrets = names.map((name) => ({ name, secret: secretArn(`okta-bench/${name}`) }));
  const config = benchConfig(secrets, multi);
  // Before the virtual clock: synthesis is CPU the scan does not pay.
  const definition = synthesisedDefinition(config);
  const origin = Date.now();
  const lookbackDays = DEFAULT_CONFIG.lookbackDays;
  const token = randomBytes(24).toString('base64url');
  const serverConfig = {
    size: args.size,
    seed: args.seed,
    lookbackDays,
    clock: 'virtual' as const,
    scale: args.scale,
    origin,
    limitShare: args.limitShare,
  };
  // Every clock starts at the org's date (the plain bench's scan runs with `--now` that date); the
  // scan starts as much later as the setup takes on the clock (under a minute of Okta time).
  const startAt = Date.parse(AS_OF);
  const servers = await Promise.all(names.map(() => startServer({ ...serverConfig, startAt }, token)));
  installVirtualClock(args.scale, origin, startAt);
  const orgs: BenchOrg[] = secrets.map((s, i) => ({ ...s, server: servers[i], buckets: {} }));
  const aws = await startLocalAws(
    Object.fromEntries(
      orgs.map((o) => [o.secret, JSON.stringify({ orgUrl: o.server.ready.url, apiToken: token })] as const),
    ),
    { scale: args.scale, origin, startAt },
  );
  Object.assign(process.env, aws.environment(config, orgs[0].secret));
  const { createHandler } = await import('../lambda/handler.js');
  return {
    definition,
    handler: createHandler(aws.overrides),
    orgs,
    takeCalls: aws.takeCalls,
    close: async () => {
      await Promise.all(orgs.map((o) => o.server.close()));
      await aws.close();
    },
  };
}

/** One execution of the state machine with `input`; the orgs' request counts start from zero. */
async function execute(world: World, label: string, input: Record<string, unknown>): Promise<Execution> {
  const invocations: Invocation[] = [];
  const stepRequests: Execution['stepRequests'] = new Map();
  const byName = new Map(world.orgs.map((o) => [o.name, o]));
  for (const org of world.orgs) {
    await org.server.stats();
    org.buckets = {};
  }
  world.takeCalls();
  // After each step, what its org's server answered during it (the server forgets what it told).
  let pending = Promise.resolve();
  const onInvocation = (invocation: Invocation): void => {
    invocations.push(invocation);
    // The AWS calls since the step before: this step's own when steps do not overlap (one org).
    const aws = world.takeCalls();
    const org = invocation.org === undefined ? undefined : byName.get(invocation.org);
    if (!org) return;
    pending = pending.then(async () => {
      const { buckets } = await org.server.stats();
      merge(org.buckets, buckets);
      const seen = Object.values(buckets).filter((b): b is BucketStats => b !== undefined);
      stepRequests.set(invocation, {
        requests: seen.reduce((n, b) => n + b.requests, 0),
        firstAt: seen.length > 0 ? Math.min(...seen.map((b) => b.firstAt)) : null,
        aws,
      });
    });
  };
  const machine = new StateMachine(world.definition as never, { validationOptions: { checkArn: true } });
  const startedAt = Date.now();
  const realStarted = performance.now();
  const run = machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: taskHandlers(world.definition, world.handler, onInvocation) as never },
  });
  const output = await run.result;
  const wallMs = Date.now() - startedAt;
  const realMs = performance.now() - realStarted;
  await pending;
  const orgs: OrgTotals[] = world.orgs
    .filter((o) => invocations.some((i) => i.org === o.name))
    .map((o) => ({ name: o.name, buckets: o.buckets, floor: o.server.ready.floor }));
  return { label, input, startedAt, wallMs, realMs, output, invocations, stepRequests, orgs };
}

export async function runOrchestrated(args: OrchestratedArgs): Promise<void> {
  // The SDK would send loopback requests through a proxy.
  delete process.env.HTTPS_PROXY;
  delete process.env.https_proxy;
  const world = await setUp(args);
  try {
    const executions: Execution[] = [];
    if (args.orgs > 0) {
      // The same org on servers of their own: the side-by-side run starts on fresh windows and history.
      executions.push(await execute(world, 'one org alone', { orgs: ['solo'] }));
      const side = world.orgs.filter((o) => o.name !== 'solo').map((o) => o.name);
      executions.push(await execute(world, `${side.length} orgs side by side`, { orgs: side }));
    } else {
      executions.push(await execute(world, 'the org of the stack secret', {}));
    }
    printOrchestrated(args, world.orgs[0].server.ready, world.definition, executions);
  } finally {
    await world.close();
  }
}
