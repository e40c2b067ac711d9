import { startFakeOkta } from '../fake-okta/server';
import type { RecordedRequest } from '../fake-okta/types';
import {
  type Bucket,
  limitsAt,
  naivePlan,
  OKTA_CONCURRENCY,
  OKTA_LATENCY_MS,
  OKTA_WINDOW_MS,
  scannerFloor,
} from './floor';
import { generateOrg, type OrgSize } from './generate-org';
import { installVirtualClock } from './virtual-clock';

// The fake Okta org for a benchmark, in its own process: the fixture (100,000 users on large)
// and the server's CPU stay out of the scanner's memory and event loop. Driven over IPC by
// run.ts; never prints the token it is given.

export interface ServerConfig {
  size: OrgSize;
  seed: number;
  lookbackDays: number;
  clock: 'virtual' | 'window';
  scale: number;
  origin: number;
  /** What the virtual clock reads at origin (default: origin). */
  startAt?: number;
  /** Percent of Okta's published limits the token gets (100; 50 for a default Admin Console token). */
  limitShare: number;
}

export interface BucketStats {
  requests: number;
  throttled: number;
  errors: number;
  /** Arrival of the first and last request, epoch ms on the (virtual) clock. */
  firstAt: number;
  lastAt: number;
}

export type ServerMessage =
  | {
      type: 'ready';
      url: string;
      asOf: string;
      floor: ReturnType<typeof scannerFloor>;
      naive: ReturnType<typeof naivePlan>;
      org: Record<string, number>;
      generateMs: number;
      rssMb: number;
    }
  | { type: 'stats'; buckets: Partial<Record<Bucket, BucketStats>>; peakRssMb: number };

export type ParentMessage = { type: 'stats' } | { type: 'close' };

async function serve(config: ServerConfig, token: string): Promise<void> {
  if (config.clock === 'virtual') installVirtualClock(config.scale, config.origin, config.startAt);
  const started = performance.now();
  const org = generateOrg(config.size, config.seed);
  const generateMs = performance.now() - started;
  const floor = scannerFloor(org, config.lookbackDays);
  const limits = limitsAt(config.limitShare);
  const naive = naivePlan(org, config.lookbackDays, limits);
  const virtual = config.clock === 'virtual';
  const okta = await startFakeOkta({
    org,
    credentials: { apiTokens: [{ token }] },
    rateLimits: limits,
    concurrencyLimit: OKTA_CONCURRENCY,
    // Virtual: Okta's own numbers on a fast clock. Window: the numbers themselves scaled.
    rateLimitWindowMs: virtual ? OKTA_WINDOW_MS : OKTA_WINDOW_MS / config.scale,
    latencyMs: virtual ? OKTA_LATENCY_MS : OKTA_LATENCY_MS / config.scale,
  });

  // The request log would reach 100,000s of entries on a naive run: fold answered ones into counters.
  let buckets: Partial<Record<Bucket, BucketStats>> = {};
  const fold = (): void => {
    const pending: RecordedRequest[] = [];
    for (const entry of okta.requests) {
      if (entry.status === 0) {
        pending.push(entry);
        continue;
      }
      const b = buckets[entry.bucket] ?? { requests: 0, throttled: 0, errors: 0, firstAt: entry.at, lastAt: entry.at };
      buckets[entry.bucket] = b;
      b.firstAt = Math.min(b.firstAt, entry.at);
      b.lastAt = Math.max(b.lastAt, entry.at);
      b.requests++;
      if (entry.status === 429) b.throttled++;
      else if (entry.status >= 500) b.errors++;
    }
    okta.requests.length = 0;
    okta.requests.push(...pending);
  };
  const timer = setInterval(fold, 2_000 * (virtual ? config.scale : 1));
  const rssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'stats') {
      fold();
      process.send?.({ type: 'stats', buckets, peakRssMb: rssMb() } satisfies ServerMessage);
      buckets = {};
    } else if (message.type === 'close') {
      clearInterval(timer);
      void okta.close().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({
    type: 'ready',
    url: okta.url,
    asOf: org.asOf,
    floor,
    naive,
    org: {
      users: org.users.length,
      apiTokens: org.apiTokens.length,
      agents: org.agentPools.reduce((n, p) => n + (Array.isArray(p.agents) ? p.agents.length : 0), 0),
      apps: org.apps.length,
      provisioningApps: floor.parts['app connections'] ?? 0,
      appUsers: org.apps.reduce((n, a) => n + (a.users?.length ?? 0), 0),
      logs: org.logs.length,
      relevantLogs: floor.concernEvents,
      readLogs: floor.relevantEvents,
    },
    generateMs,
    rssMb: rssMb(),
  } satisfies ServerMessage);
}

if (require.main === module) {
  const config = JSON.parse(process.env.BENCH_SERVER_CONFIG ?? '{}') as ServerConfig;
  const token = process.env.BENCH_SERVER_TOKEN ?? '';
  delete process.env.BENCH_SERVER_TOKEN;
  serve(config, token).catch((error: unknown) => {
    process.stderr.write(`bench server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
