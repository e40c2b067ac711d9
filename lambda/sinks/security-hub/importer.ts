import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { Report } from '../../domain/finding';
import type { FindingChange } from '../../domain/history';
import type { FindingsImport, FindingsImporter } from '../../domain/scan-exports';
import { type AsffTarget, asffId, asffTarget, toAsff } from './asff';

// Each scan's findings into AWS Security Hub: FAIL findings as ACTIVE, the history's RESOLVED
// changes as ARCHIVED. BatchImportFindings takes at most 100 findings a call and answers which it
// refused (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html);
// those are sent again, a bounded number of times, and the rest are reported.

export const BATCH_SIZE = 100;
/** Attempts per finding, the first included. */
export const MAX_ATTEMPTS = 3;
const RETRY_BASE_MS = 1_000;

export interface SecurityHubImporterOptions {
  client: SecurityHubClient;
  productArn: string;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The scan's documents: its FAIL findings, then what it resolved. */
export function scanDocuments(
  target: AsffTarget,
  report: Report,
  changes: readonly FindingChange[],
): AwsSecurityFinding[] {
  const seen = new Map(changes.map((c) => [c.finding.id, c]));
  const base = { org: report.org, updatedAt: report.finishedAt };
  const failing = report.findings
    .filter((f) => f.status === 'FAIL')
    .map((finding) => {
      const change = seen.get(finding.id);
      const firstSeen = change?.firstSeen ?? report.startedAt;
      const lastSeen = change?.lastSeen ?? report.startedAt;
      return toAsff(target, { ...base, finding, firstSeen, lastSeen, state: 'active' });
    });
  const resolved = changes
    .filter((c) => c.state === 'RESOLVED')
    .map((c) => toAsff(target, { ...base, ...c, state: 'resolved' }));
  // A rule that emitted one id twice would send it twice; Security Hub keeps one per Id anyway.
  const unique = new Map([...failing, ...resolved].map((d) => [d.Id, d]));
  return [...unique.values()];
}

export class SecurityHubImporter implements FindingsImporter {
  private readonly target: AsffTarget;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SecurityHubImporterOptions) {
    this.target = asffTarget(options.productArn);
    this.sleep = options.sleep ?? defaultSleep;
  }

  async importScan(report: Report, changes: readonly FindingChange[]): Promise<FindingsImport> {
    const documents = scanDocuments(this.target, report, changes);
    const failed: FindingsImport['failed'] = [];
    for (let i = 0; i < documents.length; i += BATCH_SIZE) {
      failed.push(...(await this.sendBatch(documents.slice(i, i + BATCH_SIZE))));
    }
    const refused = new Set(failed.map((f) => f.id));
    const archivedIds = new Set(
      changes.filter((c) => c.state === 'RESOLVED').map((c) => asffId(report.org, c.finding.id)),
    );
    const sent = documents.filter((d) => !refused.has(d.Id ?? ''));
    const archived = sent.filter((d) => archivedIds.has(d.Id ?? '')).length;
    return { imported: sent.length - archived, archived, failed };
  }

  /** Sends one batch, then what Security Hub refused, up to MAX_ATTEMPTS; returns what it still refused. */
  private async sendBatch(batch: AwsSecurityFinding[]): Promise<FindingsImport['failed']> {
    let pending = batch;
    let refused: FindingsImport['failed'] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS && pending.length > 0; attempt += 1) {
      if (attempt > 1) await this.sleep(RETRY_BASE_MS * 2 ** (attempt - 2));
      refused = await this.send(pending);
      const again = new Set(refused.map((f) => f.id));
      pending = pending.filter((d) => again.has(d.Id ?? ''));
    }
    return refused;
  }

  private async send(batch: AwsSecurityFinding[]): Promise<FindingsImport['failed']> {
    try {
      const out = await this.options.client.send(new BatchImportFindingsCommand({ Findings: batch }));
      return (out.FailedFindings ?? []).map((f) => ({
        id: f.Id ?? '',
        reason: `${f.ErrorCode ?? 'error'}: ${f.ErrorMessage ?? 'no message'}`,
      }));
    } catch (error) {
      // The SDK already retried throttling; what is left is refused as a whole.
      const reason = error instanceof Error ? error.message : String(error);
      return batch.map((d) => ({ id: d.Id ?? '', reason }));
    }
  }
}
