import {
  BatchImportFindingsCommand,
  type BatchImportFindingsCommandInput,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Report } from '../../lambda/domain/finding';
import { ConfigError } from '../../lambda/errors';
import { createHandler } from '../../lambda/handler';
import type { ScanSummary } from '../../lambda/modes/scan';
import { BATCH_SIZE, MAX_ATTEMPTS, SecurityHubImporter } from '../../lambda/sinks/security-hub/importer';
import { asffProblems } from '../support/asff-check';
import { type RunningS3, startS3 } from '../support/s3-server';
import { captureOutput, type LambdaWorld, type OutputCapture, publishedDigests, sns, startWorld } from './harness';

// After a recorded scan, the unmodified handler writes the scan's page next to its JSON report in
// the artifact bucket (a loopback S3, s3rver) and imports its findings into Security Hub (mocked):
// FAIL findings active, resolved ones archived, and nothing archived that a scan could not see.

const ACCOUNT = '123456789012';
const PRODUCT_ARN = `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`;
const SIEM_TOKEN = '00TSiemtBeSO9eNdl2hg';
const SERVICE_ACCOUNT = '00uSvcIntegKjlQrKYYU';

type Asff = NonNullable<BatchImportFindingsCommandInput['Findings']>[number];

const securityHub = mockClient(SecurityHubClient);
let output: OutputCapture;
let world: LambdaWorld;
let s3: RunningS3;

beforeAll(async () => {
  output = captureOutput();
  s3 = await startS3();
});
afterAll(async () => {
  output.restore();
  securityHub.restore();
  await s3.close();
});
beforeEach(() => {
  output.mark();
  acceptEverything();
});
afterEach(async () => {
  delete process.env.ARTIFACT_BUCKET;
  delete process.env.SECURITY_HUB_PRODUCT_ARN;
  securityHub.reset();
  await world?.close();
  world = undefined as unknown as LambdaWorld;
});

function acceptEverything(): void {
  securityHub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsCommandInput) => ({
    FailedCount: 0,
    SuccessCount: input.Findings?.length ?? 0,
    FailedFindings: [],
  }));
}

async function deploy(options: { bucket?: string; hub?: boolean; config?: object } = {}): Promise<void> {
  world = await startWorld({ config: { ...(options.hub ? { securityHub: true } : {}), ...options.config } });
  if (options.bucket) process.env.ARTIFACT_BUCKET = options.bucket;
  if (options.hub) process.env.SECURITY_HUB_PRODUCT_ARN = PRODUCT_ARN;
}

async function scan(payload: object = { mode: 'scan' }): Promise<ScanSummary> {
  const run = createHandler({ sleep: async () => {}, s3Client: s3.client });
  return (await run(payload)) as ScanSummary;
}

/** Every ASFF document sent since the last reset, in order. */
function sentDocuments(): Asff[] {
  return securityHub.commandCalls(BatchImportFindingsCommand).flatMap((call) => call.args[0].input.Findings ?? []);
}

function metricValue(name: string): unknown {
  const lines = output
    .sinceMark()
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    })
    .filter((line) => line._aws !== undefined && name in line);
  return lines[lines.length - 1]?.[name];
}

describe('the report page in the artifact bucket', () => {
  it('is written as HTML next to the JSON report under scans/<org>/<scanId>, and the digest names it', async () => {
    await deploy({ bucket: s3.bucket });

    const result = await scan();

    const base = `scans/${world.org}/${result.scanId}`;
    expect(await s3.keys()).toEqual(expect.arrayContaining([`${base}.html`, `${base}.json`]));
    const page = await s3.read(`${base}.html`);
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(page.body).toMatch(/^<!doctype html>/);
    expect(page.body).toContain(world.org);
    const record = JSON.parse((await s3.read(`${base}.json`)).body) as Report;
    expect(record).toMatchObject({ scanId: result.scanId, org: world.org, summary: result.summary });

    const uri = `s3://${s3.bucket}/${base}.html`;
    expect(result.reportPage).toBe(uri);
    const [digest] = publishedDigests();
    const { reportPage } = digest.json as unknown as { reportPage: { uri: string; consoleUrl: string } };
    expect(reportPage.uri).toBe(uri);
    expect(reportPage.consoleUrl).toBe(
      `https://console.aws.amazon.com/s3/object/${s3.bucket}?region=us-east-1&prefix=${encodeURIComponent(`${base}.html`)}`,
    );
    expect(digest.email).toContain(`REPORT PAGE\n  ${uri}\n  ${reportPage.consoleUrl}`);
    // The full record is the JSON report beside the page, and the inventory it was evaluated from.
    expect((digest.json as unknown as { recordPointer: string }).recordPointer).toBe(`s3://${s3.bucket}/${base}.json`);
    const inventory = JSON.parse((await s3.read(`${base}.inventory.json`)).body) as { org: string; sources: object };
    expect(inventory.org).toBe(world.org);
    expect(Object.keys(inventory.sources)).toContain('apiTokens');
  });

  it('is not written without an artifact bucket, nor by a dry run, and the digest then names none', async () => {
    await deploy();
    const before = await s3.keys();
    const result = await scan();
    expect(result.reportPage).toBeUndefined();
    const [digest] = publishedDigests();
    expect((digest.json as unknown as { reportPage: unknown }).reportPage).toBeNull();
    expect(digest.email).not.toContain('REPORT PAGE');

    process.env.ARTIFACT_BUCKET = s3.bucket;
    const dry = await scan({ mode: 'scan', dryRun: true });
    expect(dry.reportPage).toBeUndefined();
    expect(await s3.keys()).toEqual(before);
  });

  it('does not cost the recorded scan or its digest when the bucket refuses the write', async () => {
    await deploy({ bucket: 'no-such-bucket' });

    const result = await scan();

    expect(result).toMatchObject({ status: 'complete', notified: true });
    expect(result.reportPage).toBeUndefined();
    expect(metricValue('ReportPageFailed')).toBe(1);
    expect(publishedDigests()).toHaveLength(1);
    expect(output.sinceMark().some((line) => line.includes('could not write the report page'))).toBe(true);
  });
});

describe('Security Hub', () => {
  it('imports every FAIL finding of a first scan as an active ASFF finding with its controls and owner', async () => {
    await deploy({ hub: true });

    const result = await scan();

    const docs = sentDocuments();
    const fails = result.summary!.byStatus.FAIL;
    expect(docs).toHaveLength(fails);
    for (const doc of docs) expect(asffProblems(doc), doc.Id).toEqual([]);
    for (const call of securityHub.commandCalls(BatchImportFindingsCommand)) {
      expect(call.args[0].input.Findings!.length).toBeLessThanOrEqual(BATCH_SIZE);
    }
    expect(docs.every((d) => d.RecordState === 'ACTIVE' && d.Workflow?.Status === 'NEW')).toBe(true);
    expect(docs.every((d) => d.ProductArn === PRODUCT_ARN && d.AwsAccountId === ACCOUNT)).toBe(true);
    expect(result.securityHub).toEqual({ imported: fails, archived: 0, failed: [] });

    const open = await world.store.openFindings(world.org);
    expect(docs.map((d) => d.Id).sort()).toEqual(open.map((o) => `${world.org}/${o.finding.id}`).sort());
    const siem = open.find(
      (o) => o.finding.ruleId === 'api-token-owner-is-human' && o.finding.resource.id === SIEM_TOKEN,
    )!;
    const doc = docs.find((d) => d.Id === `${world.org}/${siem.finding.id}`)!;
    expect(doc.UserDefinedFields?.owner).toBe('alice.nguyen@acme.com');
    expect(doc.Resources).toEqual([
      expect.objectContaining({ Type: 'Other', Id: `okta://${world.org}/api_token/${SIEM_TOKEN}` }),
    ]);
    expect(doc.Compliance?.RelatedRequirements).toEqual(
      (siem.finding.compliance ?? []).map((c) => `${c.framework} ${c.control}`),
    );
    expect(doc.Compliance?.RelatedRequirements).toContain('DISA Okta IDaaS STIG V1R2 V-279690');
    expect(metricValue('SecurityHubImported')).toBe(fails);
  });

  it('archives the one finding fixed since the last scan, under the same Id, and keeps the rest active', async () => {
    await deploy({ hub: true });
    await scan();
    const firstIds = sentDocuments().map((d) => d.Id);
    securityHub.resetHistory();
    world.fake.org.apiTokens.find((t) => t.id === SIEM_TOKEN)!.userId = SERVICE_ACCOUNT;

    const second = await scan();

    const docs = sentDocuments();
    for (const doc of docs) expect(asffProblems(doc), doc.Id).toEqual([]);
    const archived = docs.filter((d) => d.RecordState === 'ARCHIVED');
    expect(archived).toHaveLength(1);
    expect(archived[0]).toMatchObject({
      Workflow: { Status: 'RESOLVED' },
      Compliance: { Status: 'PASSED' },
      Resources: [expect.objectContaining({ Id: `okta://${world.org}/api_token/${SIEM_TOKEN}` })],
    });
    expect(firstIds).toContain(archived[0].Id);
    expect(docs.filter((d) => d.RecordState === 'ACTIVE')).toHaveLength(second.summary!.byStatus.FAIL);
    expect(second.securityHub).toEqual({ imported: second.summary!.byStatus.FAIL, archived: 1, failed: [] });
  });

  it('archives nothing an incomplete scan could not see', async () => {
    await deploy({ hub: true });
    await scan();
    const agentIds = (await world.store.openFindings(world.org))
      .filter((o) => o.finding.ruleId.startsWith('ad-agent-'))
      .map((o) => `${world.org}/${o.finding.id}`);
    expect(agentIds.length).toBeGreaterThan(0);
    securityHub.resetHistory();
    world.fake.fault({ route: '/api/v1/agentPools', fault: { kind: 'status', status: 403 } });

    const second = await scan();

    expect(second.status).toBe('incomplete');
    const docs = sentDocuments();
    for (const doc of docs) expect(asffProblems(doc), doc.Id).toEqual([]);
    expect(docs.filter((d) => d.RecordState === 'ARCHIVED')).toEqual([]);
    expect(docs.map((d) => d.Id)).not.toEqual(expect.arrayContaining([agentIds[0]]));
    expect(second.securityHub).toMatchObject({ archived: 0, failed: [] });
  });

  it('sends what Security Hub refused again, and reports what it still refuses after the retries', async () => {
    await deploy({ hub: true });
    let refusedId: string | undefined;
    const calls: string[][] = [];
    securityHub.on(BatchImportFindingsCommand).callsFake((input: BatchImportFindingsCommandInput) => {
      const ids = (input.Findings ?? []).map((f) => f.Id ?? '');
      calls.push(ids);
      refusedId ??= ids[0];
      const refused = ids.filter((id) => id === refusedId);
      return {
        FailedCount: refused.length,
        SuccessCount: ids.length - refused.length,
        FailedFindings: refused.map((id) => ({
          Id: id,
          ErrorCode: 'InvalidInput',
          ErrorMessage: 'Finding is malformed',
        })),
      };
    });

    const result = await scan();

    expect(calls.slice(1)).toEqual(Array.from({ length: MAX_ATTEMPTS - 1 }, () => [refusedId]));
    expect(result.securityHub?.failed).toEqual([{ id: refusedId, reason: 'InvalidInput: Finding is malformed' }]);
    expect(result.securityHub?.imported).toBe(result.summary!.byStatus.FAIL - 1);
    expect(result).toMatchObject({ status: 'complete', notified: true });
    expect(metricValue('SecurityHubFailed')).toBe(1);
  });

  it('reports every finding as refused when Security Hub refuses the call itself, and the scan still stands', async () => {
    await deploy({ hub: true });
    securityHub.on(BatchImportFindingsCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: securityhub:BatchImportFindings'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );

    const result = await scan();

    const fails = result.summary!.byStatus.FAIL;
    expect(securityHub.commandCalls(BatchImportFindingsCommand)).toHaveLength(MAX_ATTEMPTS);
    expect(result.securityHub?.imported).toBe(0);
    expect(result.securityHub?.failed).toHaveLength(fails);
    expect(result.securityHub?.failed[0].reason).toContain('not authorized');
    expect(result).toMatchObject({ status: 'complete', notified: true });
    expect(await world.store.openFindings(world.org)).toHaveLength(fails);
    expect(metricValue('SecurityHubFailed')).toBe(fails);
  });

  it('is not called unless the config turns it on, and refuses a config that does without the product ARN', async () => {
    await deploy();
    process.env.SECURITY_HUB_PRODUCT_ARN = PRODUCT_ARN;
    const result = await scan();
    expect(result.securityHub).toBeUndefined();
    expect(sentDocuments()).toEqual([]);

    process.env.SCANNER_CONFIG = JSON.stringify({ securityHub: true });
    delete process.env.SECURITY_HUB_PRODUCT_ARN;
    world.fake.resetRequests();
    sns.resetHistory();
    const refused = await scan().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems).toEqual(['SECURITY_HUB_PRODUCT_ARN: not set (the stack sets it)']);
    process.env.SECURITY_HUB_PRODUCT_ARN = 'arn:aws:sns:us-east-1:123456789012:okta-scan';
    const misnamed = await scan().catch((e: unknown) => e);
    expect((misnamed as ConfigError).problems).toEqual([
      expect.stringMatching(/^SECURITY_HUB_PRODUCT_ARN: not a Security Hub product ARN/),
    ]);
    expect(world.fake.requests).toEqual([]);
    expect(publishedDigests()).toEqual([]);
  });
});

describe('the ASFF check', () => {
  it('names what a document lacks or gets wrong', () => {
    const problems = asffProblems({
      SchemaVersion: '2018-10-08',
      Id: 'x',
      ProductArn: PRODUCT_ARN,
      GeneratorId: 'g',
      AwsAccountId: ACCOUNT,
      Description: 'd',
      CreatedAt: '2026-11-28T02:00:00.000Z',
      UpdatedAt: 'yesterday',
      Types: ['Okta/Ownership'],
      Severity: { Label: 'SEVERE' },
      Resources: [{ Type: 'Other' }],
      RecordState: 'DELETED',
    });
    expect(problems).toEqual([
      'Title: required, a non-empty string',
      'UpdatedAt: not an ISO 8601 timestamp',
      'Types: "Okta/Ownership" is not namespace/category/classifier',
      'Severity.Label: SEVERE is not one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL',
      'Resources[0].Id: required, a non-empty string',
      'RecordState: DELETED is not one of ACTIVE, ARCHIVED',
    ]);
  });
});

describe('the importer', () => {
  it('sends more than 100 findings in batches of at most 100', async () => {
    await deploy({ hub: true });
    const result = await scan();
    securityHub.resetHistory();
    const [sample] = (await world.store.openFindings(world.org)).map((o) => o.finding);
    const report: Report = {
      schemaVersion: 1,
      scanId: result.scanId,
      org: world.org,
      startedAt: '2026-11-28T02:00:00.000Z',
      finishedAt: '2026-11-28T02:01:00.000Z',
      status: 'complete',
      errors: [],
      summary: result.summary!,
      findings: Array.from({ length: 250 }, (_, i) => ({ ...sample, id: `${sample.id}-${i}` })),
    };
    const importer = new SecurityHubImporter({ client: new SecurityHubClient({}), productArn: PRODUCT_ARN });

    const done = await importer.importScan(report, []);

    expect(securityHub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings?.length)).toEqual([
      100, 100, 50,
    ]);
    expect(done).toEqual({ imported: 250, archived: 0, failed: [] });
  });
});
