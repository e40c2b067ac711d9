import { describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/domain/finding';
import { buildDigest, type Digest } from '../../lambda/sinks/digest';

// The digest names the scan's HTML page in the artifact bucket, when the deployment wrote one:
// the s3:// URI and the console link, whole on their own lines so a mail client links them.

const PAGE = {
  uri: 's3://okta-scan-reports-1a2b/scans/acme.okta.com/scan-20261128-0200.html',
  consoleUrl:
    'https://console.aws.amazon.com/s3/object/okta-scan-reports-1a2b?region=eu-west-1&prefix=scans%2Facme.okta.com%2Fscan-20261128-0200.html',
};

const REPORT: Report = {
  schemaVersion: 1,
  scanId: 'scan-20261128-0200',
  org: 'acme.okta.com',
  startedAt: '2026-11-28T02:00:00.000Z',
  finishedAt: '2026-11-28T02:03:00.000Z',
  status: 'complete',
  errors: [],
  summary: {
    byStatus: { PASS: 0, FAIL: 0, UNKNOWN: 0, SUPPRESSED: 0 },
    failBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  },
  findings: [],
};

function digest(reportPage?: typeof PAGE): Digest {
  return buildDigest({ report: REPORT, changes: [], expiringSuppressions: [], reportPage });
}

describe('the report page in the digest', () => {
  it('is in the JSON body and, unwrapped, under REPORT PAGE at the end of the email', () => {
    const d = digest(PAGE);
    expect(d.json.reportPage).toEqual(PAGE);
    expect(d.email.endsWith(`REPORT PAGE\n  ${PAGE.uri}\n  ${PAGE.consoleUrl}\n`)).toBe(true);
  });

  it('is null, and not mentioned, when the deployment wrote none', () => {
    const d = digest();
    expect(d.json.reportPage).toBeNull();
    expect(d.email).not.toContain('REPORT PAGE');
  });
});
