import { Client, DefaultRequestExecutor } from '@okta/okta-sdk-nodejs';
import type { NaivePhase } from './floor';

// The baseline: what a script written straight from the SDK README does to answer the same
// questions. Read everything, then look: every user and each user's roles, every app with its
// provisioning connection, features and users, and the whole System Log of the window,
// unfiltered. Sequential `for await`, default page sizes, the SDK's own 429 retry. Its only
// courtesies: a bounded log query (an unbounded one never ends) and per-app try/catch (Okta
// answers 404/400 for apps without those endpoints). The default cache middleware is off: it
// hangs on large bodies (docs/okta-facts.md#the-node-sdk).

export interface NaiveOptions {
  orgUrl: string;
  token: string;
  since: string;
  until: string;
  /** Real-time budget per phase boundary (performance.now() values); a phase past it stops. */
  deadlines?: Partial<Record<NaivePhase, number>>;
  /** Virtual ms per real ms (1 when time is not scaled). */
  scale: number;
}

export interface NaivePhaseResult {
  requests: number;
  /** Virtual (Okta) time the phase took, ms. */
  ms: number;
  completed: boolean;
  /** Why the phase stopped early, other than the time budget. */
  error?: string;
}

export type NaiveResult = Record<NaivePhase, NaivePhaseResult>;

class CountingExecutor extends DefaultRequestExecutor {
  count = 0;
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's request type is node-fetch's, untyped here
  override fetch(request: any): Promise<any> {
    this.count++;
    return super.fetch(request);
  }
}

class OutOfTime extends Error {}

export async function runNaive(options: NaiveOptions): Promise<NaiveResult> {
  const executor = new CountingExecutor({ maxRetries: 2, requestTimeout: 0 });
  const client = new Client({
    orgUrl: options.orgUrl,
    token: options.token,
    authorizationMode: 'SSWS',
    requestExecutor: executor,
    cacheMiddleware: null,
  });
  const result = {} as NaiveResult;

  const phase = async (name: NaivePhase, body: (check: () => void) => Promise<void>): Promise<void> => {
    const deadline = options.deadlines?.[name] ?? Number.POSITIVE_INFINITY;
    const check = (): void => {
      if (performance.now() > deadline) throw new OutOfTime(name);
    };
    const before = executor.count;
    const started = performance.now();
    let completed = true;
    let failure: string | undefined;
    try {
      await body(check);
    } catch (error) {
      completed = false;
      if (!(error instanceof OutOfTime)) failure = error instanceof Error ? error.message : String(error);
    }
    result[name] = {
      requests: executor.count - before,
      ms: (performance.now() - started) * options.scale,
      completed,
      ...(failure ? { error: failure } : {}),
    };
  };

  await phase('tokens and agent pools', async (check) => {
    for await (const token of await client.apiTokenApi.listApiTokens()) {
      check();
      void token;
    }
    for await (const pool of await client.agentPoolsApi.listAgentPools()) {
      check();
      void pool;
    }
  });

  await phase('users and roles', async (check) => {
    for await (const user of await client.userApi.listUsers()) {
      check();
      if (!user?.id) continue;
      for await (const role of await client.roleAssignmentApi.listAssignedRolesForUser({ userId: user.id })) {
        void role;
      }
    }
  });

  await phase('apps', async (check) => {
    for await (const app of await client.applicationApi.listApplications()) {
      check();
      if (!app?.id) continue;
      try {
        await client.applicationApi.getDefaultProvisioningConnectionForApplication({ appId: app.id });
      } catch {
        // Not every app has a provisioning connection.
      }
      try {
        for await (const feature of await client.applicationApi.listFeaturesForApplication({ appId: app.id })) {
          void feature;
        }
      } catch {
        // Provisioning not enabled.
      }
      for await (const appUser of await client.applicationApi.listApplicationUsers({ appId: app.id })) {
        void appUser;
      }
    }
  });

  await phase('log', async (check) => {
    for await (const event of await client.systemLogApi.listLogEvents({ since: options.since, until: options.until })) {
      check();
      void event;
    }
  });

  return result;
}
