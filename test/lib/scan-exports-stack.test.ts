import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../lambda/domain/finding';
import { failSeverityMetric, METRIC, METRICS_NAMESPACE } from '../../lambda/function-contract';
import { makeTempRoot, removeTempRoot, type Synthesised, synthApp } from './synth-helpers';

// The report bucket, the Security Hub permission and the dashboard, as `cdk synth` builds them:
// the default deployment, and one whose config turns Security Hub on.

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

let root: string;
let plain: Synthesised;
let withHub: Synthesised;

function resourcesOf(app: Synthesised, type: string): Resource[] {
  return Object.values(app.template.findResources(type)) as Resource[];
}

function statements(app: Synthesised): Statement[] {
  return resourcesOf(app, 'AWS::IAM::Policy').flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

function withAction(app: Synthesised, action: string): Statement[] {
  return statements(app).filter((s) => [s.Action].flat().includes(action));
}

function logicalId(app: Synthesised, construct: { node: { defaultChild?: unknown } }): string {
  return app.stack.resolve((construct.node.defaultChild as CfnElement).logicalId);
}

/** The dashboard body with its Fn::Join resolved enough to read: tokens become their JSON. */
function dashboardBody(app: Synthesised): { widgets: { properties: Record<string, unknown> }[] } {
  const [dashboard] = resourcesOf(app, 'AWS::CloudWatch::Dashboard');
  const body = dashboard.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text);
}

/** A graph's metrics are [namespace, name, dimension, value, options]: the names, in order. */
function metricNames(widget: { properties: Record<string, unknown> }): string[] {
  const metrics = (widget.properties.metrics as unknown[][]) ?? [];
  expect(metrics.every((m) => m[0] === METRICS_NAMESPACE && m[2] === 'service')).toBe(true);
  return metrics.map((m) => m[1] as string);
}

// Two synths of the whole app: each gets its own hook, and room for a busy machine.
const SYNTH_TIMEOUT_MS = 120_000;
beforeAll(() => {
  root = makeTempRoot();
  plain = synthApp(root);
}, SYNTH_TIMEOUT_MS);
beforeAll(() => {
  const configFile = join(root, 'config.json');
  writeFileSync(configFile, JSON.stringify({ securityHub: true }));
  withHub = synthApp(root, { context: { configFile } });
}, SYNTH_TIMEOUT_MS);
afterAll(() => removeTempRoot(root));

describe('report bucket', () => {
  it('is private, TLS-only, encrypted with the stack key, versioned, logged and retained', () => {
    const bucket = plain.template.toJSON().Resources.ReportBucket as Resource;
    expect(bucket.DeletionPolicy).toBe('Retain');
    const key = logicalId(plain, plain.stack.encryptionKey.key);
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [key, 'Arn'] } },
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(plain, plain.stack.reports.accessLogs) } },
    });
    const policies = resourcesOf(plain, 'AWS::S3::BucketPolicy').map((p) => JSON.stringify(p.Properties));
    const own = policies.find((p) => p.includes('"Ref":"ReportBucket"'));
    expect(own).toContain('"aws:SecureTransport":"false"');
  });

  it('expires pages with the history (400 days by default) and overwritten versions after 30 days', () => {
    const bucket = plain.template.toJSON().Resources.ReportBucket as Resource;
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: 'scans/',
        ExpirationInDays: 400,
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      }),
    );
  });

  it('is named in the function environment, which may only put objects under scans/ and keep checkpoints under checkpoints/', () => {
    const [fn] = resourcesOf(plain, 'AWS::Lambda::Function');
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.ARTIFACT_BUCKET).toEqual({
      Ref: 'ReportBucket',
    });
    const s3Statements = statements(plain).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    expect(s3Statements).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['ReportBucket', 'Arn'] }, '/scans/*']] },
      },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['ReportBucket', 'Arn'] }, '/checkpoints/*']] },
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: { 'Fn::GetAtt': ['ReportBucket', 'Arn'] },
        Condition: { StringLike: { 's3:prefix': 'checkpoints/*' } },
      },
    ]);
  });
});

describe('Security Hub', () => {
  it('is not granted, nor named in the environment, unless the config turns it on', () => {
    expect(withAction(plain, 'securityhub:BatchImportFindings')).toEqual([]);
    expect(JSON.stringify(plain.template.toJSON())).not.toContain('securityhub');
  });

  it('with securityHub: true, grants BatchImportFindings on the default product of the account only', () => {
    const productArn = {
      'Fn::Join': [
        '',
        [
          'arn:aws:securityhub:us-east-1:',
          { Ref: 'AWS::AccountId' },
          ':product/',
          { Ref: 'AWS::AccountId' },
          '/default',
        ],
      ],
    };
    expect(withAction(withHub, 'securityhub:BatchImportFindings')).toEqual([
      { Effect: 'Allow', Action: 'securityhub:BatchImportFindings', Resource: productArn },
    ]);
    expect(
      statements(withHub)
        .flatMap((s) => [s.Action].flat())
        .filter((a) => a.startsWith('securityhub:')),
    ).toEqual(['securityhub:BatchImportFindings']);
    const [fn] = resourcesOf(withHub, 'AWS::Lambda::Function');
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.SECURITY_HUB_PRODUCT_ARN).toEqual(productArn);
    expect(JSON.parse(variables.SCANNER_CONFIG as string).securityHub).toBe(true);
  });

  it('leaves cdk-nag with nothing unacknowledged, with and without it', () => {
    for (const app of [plain, withHub]) {
      const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));
      expect(report.pluginReports).toEqual([]);
    }
  });
});

describe('dashboard', () => {
  it('is one dashboard named after the stack and region, its URL an output', () => {
    const dashboards = resourcesOf(plain, 'AWS::CloudWatch::Dashboard');
    expect(dashboards.map((d) => d.Properties.DashboardName)).toEqual(['OktaOwnershipScanner-us-east-1']);
    const output = plain.template.toJSON().Outputs.DashboardUrl as { Value: unknown };
    expect(output.Value).toBe(
      'https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=OktaOwnershipScanner-us-east-1',
    );
  });

  it('graphs open violations by severity, new and resolved, duration, Okta requests and throttling, incomplete and failed scans', () => {
    const widgets = dashboardBody(plain).widgets.filter((w) => !String(w.properties.title).includes('Step Functions'));
    const byTitle = new Map(widgets.map((w) => [w.properties.title as string, metricNames(w)]));
    const titles = [...byTitle.keys()];
    const find = (word: string): string[] => byTitle.get(titles.find((t) => t.includes(word)) ?? '') ?? [];
    expect(find('Open violations by severity')).toEqual(SEVERITIES.map(failSeverityMetric));
    expect(find('New and resolved')).toEqual([METRIC.newFindings, METRIC.resolvedFindings]);
    expect(find('duration')).toEqual([METRIC.scanDuration]);
    expect(find('Okta requests')).toEqual([METRIC.oktaRequests, METRIC.oktaThrottled]);
    expect(find('Incomplete and failed')).toEqual(
      expect.arrayContaining([METRIC.scanIncomplete, METRIC.scanFailed, METRIC.reportPageFailed]),
    );
    expect(titles.some((t) => t.includes('Security Hub'))).toBe(false);
  });

  it('graphs how the nightly executions ended: succeeded, failed, timed out, aborted', () => {
    const widget = dashboardBody(plain).widgets.find((w) => String(w.properties.title).includes('Step Functions'));
    const metrics = ((widget?.properties.metrics ?? []) as unknown[][]).map((m) => [m[0], m[1], m[2]]);
    expect(metrics).toEqual(
      ['ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'].map((name) => [
        'AWS/States',
        name,
        'StateMachineArn',
      ]),
    );
  });

  it('adds the Security Hub import when it is on', () => {
    const widgets = dashboardBody(withHub).widgets;
    const hub = widgets.find((w) => String(w.properties.title).includes('Security Hub'));
    expect(hub && metricNames(hub)).toEqual([METRIC.securityHubImported, METRIC.securityHubArchived]);
  });
});
