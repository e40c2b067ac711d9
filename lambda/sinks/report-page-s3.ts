import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Report } from '../domain/finding';
import type { Inventory } from '../domain/inventory';
import type { ReportPage, ReportPageWriter } from '../domain/scan-exports';
import { reportPageKey } from '../function-contract';
import { getRule } from '../rules';
import { renderReportHtml } from './report-html';
import { renderReportJson } from './report-json';

// The scan's HTML page and JSON report, next to each other in the deployment's artifact bucket
// (lib/report-bucket.ts), under scans/<org>/<scanId>. The bucket's key encrypts them (its default).

export interface S3ReportPagesOptions {
  client: S3Client;
  bucket: string;
  /** For the console link. */
  region: string;
}

export class S3ReportPages implements ReportPageWriter {
  constructor(private readonly options: S3ReportPagesOptions) {}

  async write(report: Report, inventory?: Inventory): Promise<ReportPage> {
    const { client, bucket, region } = this.options;
    const htmlKey = reportPageKey(report.org, report.scanId, 'html');
    const put = (key: string, body: string, contentType: string): Promise<unknown> =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    // The JSON first: a page never names a scan whose record is missing beside it.
    await put(reportPageKey(report.org, report.scanId, 'json'), renderReportJson(report), 'application/json');
    if (inventory) {
      await put(
        reportPageKey(report.org, report.scanId, 'inventory.json'),
        JSON.stringify(inventory),
        'application/json',
      );
    }
    await put(htmlKey, renderReportHtml(report, { describeRule: getRule }), 'text/html; charset=utf-8');
    const query = new URLSearchParams({ region, prefix: htmlKey });
    return {
      uri: `s3://${bucket}/${htmlKey}`,
      recordUri: `s3://${bucket}/${reportPageKey(report.org, report.scanId, 'json')}`,
      consoleUrl: `https://console.aws.amazon.com/s3/object/${encodeURIComponent(bucket)}?${query}`,
    };
  }
}
