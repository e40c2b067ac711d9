import type { Report } from './finding';
import type { FindingChange } from './history';
import type { Inventory } from './inventory';

// Where a finished scan is exported besides the history: the report page in the deployment's
// artifact bucket, and AWS Security Hub. The adapters live in lambda/sinks/.

/** The HTML page of one scan, as the digest names it. */
export interface ReportPage {
  /** s3://bucket/scans/<org>/<scanId>.html */
  uri: string;
  /** The object in the S3 console. */
  consoleUrl: string;
  /** s3://bucket/scans/<org>/<scanId>.json: the scan's full record. */
  recordUri: string;
}

export interface ReportPageWriter {
  /**
   * Writes the HTML page and the JSON report of the scan, and the inventory it was evaluated from
   * when given; returns where the page is.
   */
  write(report: Report, inventory?: Inventory): Promise<ReportPage>;
}

/** What one export to Security Hub did. */
export interface FindingsImport {
  /** FAIL findings sent as active. */
  imported: number;
  /** Resolved findings sent as archived. */
  archived: number;
  /** Findings Security Hub still refused after the retries, with its reason. */
  failed: { id: string; reason: string }[];
}

export interface FindingsImporter {
  /**
   * Sends the scan's FAIL findings as active and its RESOLVED changes as archived. Only the
   * history's changes resolve anything, so what an incomplete scan could not see stays active.
   */
  importScan(report: Report, changes: readonly FindingChange[]): Promise<FindingsImport>;
}
