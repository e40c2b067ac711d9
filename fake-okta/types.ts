import type { PageRequest } from './paging';

// The fake Okta org server's public shape: the fixture it serves and the handle tests drive it by.
// JSON objects in a fixture are in Okta's own API shapes (test/data/okta-openapi/, checked by
// test/fake-okta/contract.test.ts), so the server can return them as they are.

export type Json = Record<string, unknown>;

export interface FakeGroup {
  id: string;
  type?: 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';
  profile: { name: string; description?: string };
  /** Member user ids. */
  members: string[];
  created?: string;
  lastUpdated?: string;
  lastMembershipUpdated?: string;
}

/** An admin role assigned to a user or to a group (its members inherit it: assignmentType GROUP). */
export interface FakeRoleAssignment {
  id: string;
  type: string;
  label: string;
  status?: 'ACTIVE' | 'INACTIVE';
  userId?: string;
  groupId?: string;
  created?: string;
  lastUpdated?: string;
}

export interface FakeApp {
  /** An Okta Application object (id, name, label, status, signOnMode, features, …). */
  app: Json;
  /** ProvisioningConnectionResponse; absent: 404 E0000007 like apps Okta does not document. */
  connection?: Json;
  /** ApplicationFeature[]; absent: 400 E0000001 "provisioning isn't enabled" like Okta. */
  features?: Json[];
  /** AppUser objects assigned to the app. */
  users?: Json[];
}

export interface FakeOrgFixture {
  /** The moment the fixture describes; a demo scan evaluates at this time. */
  asOf: string;
  users: Json[];
  groups: FakeGroup[];
  roleAssignments: FakeRoleAssignment[];
  apiTokens: Json[];
  agentPools: Json[];
  apps: FakeApp[];
  /** LogEvent objects, any order; the server filters and sorts by `published`. */
  logs: Json[];
  /** NetworkZone objects (IP, DYNAMIC, DYNAMIC_V2); absent: the org has none. */
  zones?: Json[];
}

export interface FakeCredentials {
  /** SSWS tokens. `scopes` limits what the token may read (default: everything). */
  apiTokens?: { token: string; scopes?: string[] }[];
  /** OAuth service apps: the server verifies private_key_jwt assertions with `publicJwk`. */
  serviceApps?: { clientId: string; publicJwk: Json; scopes: string[] }[];
}

/** Buckets as in Okta's last published per-endpoint table. */
export type RateLimitBucket = 'apps' | 'logs' | 'usersList' | 'userById' | 'groups' | 'other' | 'oauth';

export interface FakeOktaOptions {
  org: FakeOrgFixture;
  credentials: FakeCredentials;
  /** Requests per window per bucket; omitted buckets are unlimited. */
  rateLimits?: Partial<Record<RateLimitBucket, number>>;
  /** Concurrent requests allowed before 429 (Okta: 75). */
  concurrencyLimit?: number;
  /** Length of a rate-limit window in ms (Okta: 60000). Scale down to make benchmarks fast. */
  rateLimitWindowMs?: number;
  /** Added latency per request, ms. */
  latencyMs?: number;
  /**
   * The org's log clock (epoch ms): with it, the System Log holds only what was published in the
   * `logRetentionDays` before it (Okta: 90) and nothing after it, so a test or the demo moves the
   * log's window with the scan's time. Without it, every fixture event is served.
   */
  logClock?: () => number;
  logRetentionDays?: number;
}

export type FaultKind =
  | { kind: 'status'; status: number; errorCode?: string; errorSummary?: string }
  | { kind: 'rateLimit'; withResetHeader: boolean; resetInSeconds?: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'malformed' }
  | { kind: 'drop' };

export interface FaultRule {
  /** Matches the request path (no query): a string is a prefix, a RegExp is tested. */
  route: string | RegExp;
  method?: string;
  fault: FaultKind;
  /** How many matching requests to affect (default: all until cleared). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  auth: 'SSWS' | 'Bearer' | 'DPoP' | 'none';
  bucket: RateLimitBucket;
  status: number;
  at: number;
}

export interface FakeOkta {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The fixture being served; tests may change it between scans. */
  org: FakeOrgFixture;
  requests: RecordedRequest[];
  fault(rule: FaultRule): void;
  clearFaults(): void;
  resetRequests(): void;
  close(): Promise<void>;
}

/** What a route handler is given: the request, the org and the clock. */
export interface RouteContext extends PageRequest {
  org: FakeOrgFixture;
  params: Record<string, string>;
  now: number;
  /** What the log holds (see FakeOktaOptions.logClock); null: everything. */
  logRetained: { from: number; to: number } | null;
}
