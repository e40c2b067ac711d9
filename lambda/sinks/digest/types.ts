import type { Report, ResourceRef, ScanError, Severity } from '../../domain/finding';
import type { FindingChange, FindingState } from '../../domain/history';
import type { ReportPage } from '../../domain/scan-exports';

// The change digest a scan announces over SNS: what goes in, and the message that comes out.

export type DigestStatus = 'complete' | 'incomplete' | 'failed';

/** Which scan a digest is about, when it has no report to say so. */
export type ScanHeader = Pick<Report, 'scanId' | 'org' | 'startedAt' | 'finishedAt'>;

export interface ExpiringSuppression {
  ruleId: string;
  resourceId: string;
  reason: string;
  expires: string;
}

export interface DigestInput {
  /** The scan's report; null when the scan failed before it produced one (then `scan` says which). */
  report: Report | null;
  /** Which scan, when `report` is null. */
  scan?: ScanHeader;
  changes: FindingChange[];
  /** Violations still open after this scan (from the store); defaults to the report's FAIL count. */
  openCount?: number;
  /** Filtered here to those expiring within the notice window of the scan. */
  expiringSuppressions: readonly ExpiringSuppression[];
  /** Where the full record is, e.g. "DynamoDB table X, scan <id>". */
  recordPointer?: string;
  /** A scan that crashed: why (no secret). */
  failure?: string;
  /** The scan's HTML page in the deployment's artifact bucket, when it has one. */
  reportPage?: Pick<ReportPage, 'uri' | 'consoleUrl'>;
}

export interface DigestItem {
  id: string;
  ruleId: string;
  severity: Severity;
  state: FindingState;
  resource: ResourceRef;
  /** The owner's login, else their user id. */
  owner: string | null;
}

export type DigestCounts = Record<FindingState, number> & {
  open: number | null;
  unknown: number;
  expiringSuppressions: number;
};

/** Someone the new and regressed violations depend on. */
export interface DigestPerson {
  /** The login, else the user id. */
  owner: string;
  kind: string;
  status: string | null;
  /** Distinct integrations among the violations. */
  integrations: number;
  bySeverity: Record<Severity, number>;
}

/** The SNS `default` body. */
export interface DigestJson {
  schemaVersion: 1;
  scanId: string;
  org: string;
  startedAt: string;
  finishedAt: string;
  status: DigestStatus;
  failure: string | null;
  errors: ScanError[];
  /** The highest severity among new and regressed violations. */
  severity: Severity | 'none';
  /** `open` is null for a failed scan when the store could not say. */
  counts: DigestCounts;
  violations: DigestItem[];
  /** Who the new and regressed violations depend on, most breaking first (at most DIGEST_PEOPLE_LIMIT). */
  people: DigestPerson[];
  resolved: DigestItem[];
  expiringSuppressions: ExpiringSuppression[];
  /** How many entries each list left out to stay within SNS's size limit. */
  omitted: { errors: number; violations: number; resolved: number; expiringSuppressions: number };
  recordPointer: string | null;
  /** The scan's HTML page (s3:// URI and S3 console link); null when none was written. */
  reportPage: Pick<ReportPage, 'uri' | 'consoleUrl'> | null;
}

export interface Digest {
  subject: string;
  email: string;
  json: DigestJson;
  attributes: { org: string; status: DigestStatus; severity: Severity | 'none' };
}

// Caps on free text, so that even an empty digest always fits in one message.
export const CLIP = { org: 253, scanId: 128, text: 600, name: 160, id: 200, pointer: 400, failure: 1_000 } as const;

/** Everything the email and the JSON body say, free text already clipped. */
export interface DigestContext {
  org: string;
  scanId: string;
  startedAt: string;
  finishedAt: string;
  status: DigestStatus;
  failure: string | null;
  errors: ScanError[];
  errorsOmitted: number;
  severity: Severity | 'none';
  counts: DigestCounts;
  pointer: string;
  hasPointer: boolean;
  /** The top of who the violations depend on, and how many more there are. */
  people: { shown: DigestPerson[]; more: number };
  reportPage: Pick<ReportPage, 'uri' | 'consoleUrl'> | null;
  /** In priority order: violations, resolved, expiring suppressions. */
  lists: [DigestList<DigestItem>, DigestList<DigestItem>, DigestList<ExpiringSuppression>];
}

export interface DigestList<T> {
  /** Each entry pre-rendered for the email. */
  blocks: string[];
  items: T[];
}

/** How many entries of each list a rendering keeps. */
export type Limits = [number, number, number];
