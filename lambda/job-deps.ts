import type { ScannerConfig } from './config';
import type { CheckpointStore } from './domain/checkpoint';
import type { FindingStore } from './domain/history';
import type { FindingsImporter, ReportPageWriter } from './domain/scan-exports';
import type { OktaConnection } from './okta/connection';
import type { ResolvedOrg } from './org-configs';
import type { ScanOptions, ScanResult } from './scan';
import type { Notifier } from './sinks/sns-notifier';

// Everything one invocation uses, handed in: lambda/handler.ts wires the AWS adapters to it, the
// tests wire dynalite, the fake Okta server and recording notifiers, and both run the same modes.

/** What the modes pass to a scan; the handler adds nothing else. */
export type JobScanOptions = Pick<
  ScanOptions,
  'connection' | 'config' | 'ruleIds' | 'extraUsers' | 'scanId' | 'onProgress' | 'now' | 'client'
> & {
  /** Add what the scan saw to the org's ledger (a recorded scan, not a dry run, what-if or people). */
  recordLedger?: boolean;
};

export interface JobDeps {
  config: ScannerConfig;
  store: FindingStore;
  notifier: Notifier;
  /** Reads the Okta secret; throws CredentialsError on a secret that does not fit. */
  loadConnection(): Promise<OktaConnection>;
  /**
   * The secret's ARN or name. Each recorded scan remembers the org it pointed at, so a scan that
   * cannot read or use the secret is recorded under that org (else under this name), never "unknown".
   */
  secretName: string;
  scan(options: JobScanOptions): Promise<ScanResult>;
  /** The configured orgs (config `orgs`); default: one named `default` on `secretName`. */
  orgs?: readonly ResolvedOrg[];
  /** Reads another org's secret (name or ARN); default: loadConnection. */
  connectTo?(secret: string): Promise<OktaConnection>;
  /** Where the state machine's scan steps keep their progress (the artifact bucket). */
  checkpoints?: CheckpointStore;
  /** Time left in this invocation; default: unbounded. */
  remainingMs?(): number;
  /** Validates rule ids before any work; throws ConfigError. */
  checkRuleIds(ruleIds: readonly string[]): void;
  log: {
    info(message: string, extra?: object): void;
    warn(message: string, extra?: object): void;
    error(message: string, extra?: object): void;
  };
  metrics: JobMetrics;
  now(): Date;
  newScanId(): string;
  /** Where a person finds the full record, for the digest. */
  recordPointer: string;
  /** Where the history is, scan aside, for an alert that no scan made; default: recordPointer. */
  historyPointer?: string;
  /** The Okta partner event source the stack routes account-stopping events from; undefined: none. */
  oktaEventSource?: string;
  /** The deployment's artifact bucket, when it has one: each recorded scan's page goes there. */
  reportPages?: ReportPageWriter;
  /** With `securityHub: true`: each recorded scan's findings go there. */
  securityHub?: FindingsImporter;
}

export interface JobMetrics {
  count(name: string, value: number): void;
  duration(name: string, ms: number): void;
}
