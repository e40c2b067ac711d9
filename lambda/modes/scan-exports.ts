import type { Report } from '../domain/finding';
import type { FindingChange } from '../domain/history';
import type { Inventory } from '../domain/inventory';
import type { FindingsImport, ReportPage } from '../domain/scan-exports';
import { METRIC } from '../function-contract';
import type { JobDeps } from '../job-deps';

// After a recorded scan: its report page into the artifact bucket and its findings into Security
// Hub, where the deployment has them. Neither may lose the recorded scan: a failure is logged,
// counted and reported in the summary, and the digest still goes out.

export interface ExportedScan {
  reportPage: ReportPage | null;
  securityHub: FindingsImport | null;
}

async function writeReportPage(deps: JobDeps, report: Report, inventory?: Inventory): Promise<ReportPage | null> {
  if (!deps.reportPages) return null;
  try {
    return await deps.reportPages.write(report, inventory);
  } catch (error) {
    deps.log.error('could not write the report page', { scanId: report.scanId, reason: (error as Error).message });
    deps.metrics.count(METRIC.reportPageFailed, 1);
    return null;
  }
}

async function importFindings(
  deps: JobDeps,
  report: Report,
  changes: readonly FindingChange[],
): Promise<FindingsImport | null> {
  if (!deps.securityHub) return null;
  const result = await deps.securityHub.importScan(report, changes).catch(
    (error: unknown): FindingsImport => ({
      imported: 0,
      archived: 0,
      failed: [{ id: '*', reason: error instanceof Error ? error.message : String(error) }],
    }),
  );
  deps.metrics.count(METRIC.securityHubImported, result.imported);
  deps.metrics.count(METRIC.securityHubArchived, result.archived);
  deps.metrics.count(METRIC.securityHubFailed, result.failed.length);
  if (result.failed.length > 0) {
    deps.log.error('Security Hub refused findings', { scanId: report.scanId, failed: result.failed.slice(0, 20) });
  }
  return result;
}

export async function exportScan(
  deps: JobDeps,
  report: Report,
  changes: readonly FindingChange[],
  inventory?: Inventory,
): Promise<ExportedScan> {
  const [reportPage, securityHub] = await Promise.all([
    writeReportPage(deps, report, inventory),
    importFindings(deps, report, changes),
  ]);
  return { reportPage, securityHub };
}
