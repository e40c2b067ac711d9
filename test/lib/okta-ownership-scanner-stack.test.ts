import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../bin/okta-ownership-scanner';
import { DEFAULT_CONFIG, loadConfigFile } from '../../lambda/config';
import { decodeScannerConfig } from '../../lambda/config-encoding';
import { ConfigError } from '../../lambda/errors';
import { OktaOwnershipScannerStack } from '../../lib/okta-ownership-scanner-stack';
import {
  CLI_WITHOUT_CREDENTIALS,
  cdkOutFolders,
  makeTempRoot,
  PROJECT_ROOT,
  removeTempRoot,
  type Synthesised,
  synthApp,
} from './synth-helpers';

const EXISTING_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:okta/scanner-AbC123';

let root: string;
let tmpCdkOutBefore: string[];
let projectCdkOutBefore: string[];
let deployed: Synthesised;
let template: Template;
let resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }>;

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return deployed.stack.resolve((construct.node.defaultChild as CfnElement).logicalId);
}

function onlyResourceOf(type: string): { Properties: Record<string, unknown> } {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0] as { Properties: Record<string, unknown> };
}

beforeAll(() => {
  tmpCdkOutBefore = cdkOutFolders(tmpdir());
  projectCdkOutBefore = cdkOutFolders(PROJECT_ROOT);
  root = makeTempRoot();
  // Through bin/ exactly as `cdk synth` runs it, unbundled: the built asset is test/bundle's to check.
  deployed = synthApp(root);
  template = deployed.template;
  resources = template.toJSON().Resources;
});

// Checked after every test, whatever order they ran in: the file leaves no cdk.out folder behind.
afterAll(() => {
  removeTempRoot(root);
  expect(existsSync(root)).toBe(false);
  expect(cdkOutFolders(PROJECT_ROOT)).toEqual(projectCdkOutBefore);
  expect(cdkOutFolders(tmpdir())).toEqual(tmpCdkOutBefore);
});

describe('scan history table', () => {
  it('keeps the pinned logical id ScanHistoryTable, so a refactor cannot replace the table', () => {
    expect(resources.ScanHistoryTable?.Type).toBe('AWS::DynamoDB::GlobalTable');
    expect(logicalId(deployed.stack.history.table)).toBe('ScanHistoryTable');
  });

  it('has the key schema and history index the store queries, and expires items through expiresAt', () => {
    const table = resources.ScanHistoryTable.Properties!;
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'hpk', AttributeType: 'S' },
        { AttributeName: 'hsk', AttributeType: 'S' },
      ]),
    );
    expect(table.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'history',
        KeySchema: [
          { AttributeName: 'hpk', KeyType: 'HASH' },
          { AttributeName: 'hsk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['scanId', 'at', 'status', 'state', 'expiresAt'] },
      },
    ]);
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('is on-demand, point-in-time recoverable, deletion protected, retained and encrypted with the stack key', () => {
    const keyId = logicalId(deployed.stack.encryptionKey.key);
    expect(resources.ScanHistoryTable).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
        }),
      ],
    });
  });
});

describe('encryption key', () => {
  it('is a single retained customer managed key with rotation on', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
  });

  it('lets CloudWatch alarms of this account encrypt messages for the topic', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it('lets EventBridge rules of this account write to the encrypted dead-letter queue', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });
});

describe('notification topic', () => {
  it('is encrypted with the stack key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(deployed.stack.encryptionKey.key), 'Arn'] },
    });
  });

  it('refuses publishing without TLS and admits only this account and its CloudWatch alarms', () => {
    const policy = onlyResourceOf('AWS::SNS::TopicPolicy').Properties.PolicyDocument as {
      Statement: { Effect: string; Principal: unknown; Condition?: unknown }[];
    };
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const allowed = policy.Statement.filter((s) => s.Effect === 'Allow').map((s) => s.Principal);
    expect(allowed).toEqual([
      { AWS: { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
      { Service: 'cloudwatch.amazonaws.com' },
    ]);
    expect(policy.Statement.find((s) => JSON.stringify(s.Principal).includes('cloudwatch'))?.Condition).toMatchObject({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    });
  });

  it('has no email subscription unless notificationEmails is given', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('Okta secret', () => {
  it('is created empty ("{}", no credential) and encrypted with the stack key when no oktaSecretArn is given', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: '{}',
      KmsKeyId: { 'Fn::GetAtt': [logicalId(deployed.stack.encryptionKey.key), 'Arn'] },
    });
  });

  it('prints how to fill it from a file', () => {
    const secretId = logicalId(deployed.stack.oktaSecret.secret);
    template.hasOutput('PutSecretValue', {
      Value: {
        'Fn::Join': [
          '',
          [
            'aws secretsmanager put-secret-value --secret-id ',
            { Ref: secretId },
            ' --secret-string file://okta-secret.json',
          ],
        ],
      },
    });
  });
});

describe('scanner function', () => {
  it('runs Node.js 24 on arm64 with a 15-minute timeout, 512 MB and as many steps at a time as orgs run side by side', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 900,
      MemorySize: 512,
      ReservedConcurrentExecutions: DEFAULT_CONFIG.maxConcurrentOrgs,
      Handler: 'index.handler',
    });
  });

  it('gets the table, topic, secret, default config and Powertools settings in its environment', () => {
    const fn = onlyResourceOf('AWS::Lambda::Function').Properties;
    const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toEqual({
      TABLE_NAME: { Ref: 'ScanHistoryTable' },
      TOPIC_ARN: { Ref: logicalId(deployed.stack.notifications.topic) },
      OKTA_SECRET_ARN: { Ref: logicalId(deployed.stack.oktaSecret.secret) },
      SCANNER_CONFIG: JSON.stringify(DEFAULT_CONFIG),
      POWERTOOLS_SERVICE_NAME: 'okta-ownership-scanner',
      POWERTOOLS_METRICS_NAMESPACE: 'OktaOwnershipScanner',
      NODE_OPTIONS: '--enable-source-maps',
      ARTIFACT_BUCKET: { Ref: 'ReportBucket' },
    });
  });

  it('logs to its own log group, kept for a year and retained with the stack gone', () => {
    const logGroupId = logicalId(deployed.stack.scanner.logGroup);
    expect(resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      DeletionPolicy: 'Retain',
      Properties: { RetentionInDays: 365 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroupId } } });
  });

  it('does not retry failed async invocations itself and sends them to an encrypted queue', () => {
    const queueId = logicalId(deployed.stack.scanner.failedInvocations);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    expect(resources[queueId].Properties).toMatchObject({
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(deployed.stack.encryptionKey.key), 'Arn'] },
    });
  });
});

describe('least privilege', () => {
  type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
  let statements: Statement[];

  beforeAll(() => {
    // The function's own policy: the state machine's and the schedule's roles are asserted with them.
    const role = { Ref: logicalId(deployed.stack.scanner.function.role as never) };
    statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .map(
        (policy) =>
          (policy as { Properties: { Roles: unknown[]; PolicyDocument: { Statement: Statement[] } } }).Properties,
      )
      .filter((policy) => JSON.stringify(policy.Roles) === JSON.stringify([role]))
      .flatMap((policy) => policy.PolicyDocument.Statement);
    expect(statements.length).toBeGreaterThan(0);
  });

  function resourceOf(action: string): unknown {
    const matching = statements.filter((s) => [s.Action].flat().includes(action));
    expect(matching).toHaveLength(1);
    return matching[0].Resource;
  }

  it('uses no managed policy (no AWSLambdaBasicExecutionRole)', () => {
    const role = resources[logicalId(deployed.stack.scanner.function.role as never)];
    expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
  });

  it('reads only the Okta secret', () => {
    expect(resourceOf('secretsmanager:GetSecretValue')).toEqual({ Ref: logicalId(deployed.stack.oktaSecret.secret) });
  });

  it('reads and writes only the history table and its own indexes', () => {
    const tableAndIndexes = [
      { 'Fn::GetAtt': ['ScanHistoryTable', 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['ScanHistoryTable', 'Arn'] }, '/index/*']] },
    ];
    expect(resourceOf('dynamodb:PutItem')).toEqual(tableAndIndexes);
    expect(resourceOf('dynamodb:Query')).toEqual(tableAndIndexes);
  });

  it('publishes only to the notification topic', () => {
    expect(resourceOf('sns:Publish')).toEqual({ Ref: logicalId(deployed.stack.notifications.topic) });
  });

  it('uses only the stack key and writes only to its own log group and failure queue', () => {
    expect(resourceOf('kms:Decrypt')).toEqual({ 'Fn::GetAtt': [logicalId(deployed.stack.encryptionKey.key), 'Arn'] });
    expect(resourceOf('logs:PutLogEvents')).toEqual({
      'Fn::GetAtt': [logicalId(deployed.stack.scanner.logGroup), 'Arn'],
    });
    expect(resourceOf('sqs:SendMessage')).toEqual({
      'Fn::GetAtt': [logicalId(deployed.stack.scanner.failedInvocations), 'Arn'],
    });
  });

  it('grants nothing on a * resource and no wildcards beyond the acknowledged kms actions, table indexes, report and checkpoint prefixes', () => {
    for (const statement of statements) {
      const resource = JSON.stringify(statement.Resource)
        .replaceAll('"/index/*"', '')
        .replaceAll('"/scans/*"', '')
        .replaceAll('"/checkpoints/*"', '');
      expect(resource).not.toContain('*');
      const wildcards = [statement.Action].flat().filter((action) => action.includes('*'));
      expect(wildcards.every((action) => ['kms:GenerateDataKey*', 'kms:ReEncrypt*'].includes(action))).toBe(true);
    }
  });
});

describe('nightly schedule', () => {
  it('runs at 02:00 UTC by default and starts the state machine with {} (every org), 2 retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { Ref: logicalId(deployed.stack.orchestration.stateMachine) },
          Input: '{}',
          RetryPolicy: { MaximumRetryAttempts: 2 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(deployed.stack.schedule.deadLetterQueue), 'Arn'] } },
        }),
      ],
    });
  });

  it('keeps its dead letters in a KMS-encrypted, TLS-only queue', () => {
    const queueId = logicalId(deployed.stack.schedule.deadLetterQueue);
    expect(resources[queueId].Properties).toMatchObject({
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(deployed.stack.encryptionKey.key), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('alarms', () => {
  const topicAction = (): unknown => [{ Ref: logicalId(deployed.stack.notifications.topic) }];

  it('alarms on any function error', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: topicAction(),
    });
  });

  it('alarms when a scan takes more than 80% of the timeout', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Duration',
      Statistic: 'Maximum',
      Threshold: 720_000,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: topicAction(),
    });
  });

  it('alarms on the ScanIncomplete metric Powertools emits with the service dimension', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'OktaOwnershipScanner',
      MetricName: 'ScanIncomplete',
      Dimensions: [{ Name: 'service', Value: 'okta-ownership-scanner' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: topicAction(),
    });
  });

  it('alarms when no scan has finished for 26 hours, counting hours without a scan as breaching', () => {
    const alarms = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'ScanFinished' } }),
    ) as { Properties: Record<string, unknown> }[];
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0].Properties;
    expect(alarm).toMatchObject({
      Namespace: 'OktaOwnershipScanner',
      Dimensions: [{ Name: 'service', Value: 'okta-ownership-scanner' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: topicAction(),
    });
    const period = alarm.Period as number;
    const periods = alarm.EvaluationPeriods as number;
    expect(period * periods).toBe(26 * 3600);
    expect(alarm.DatapointsToAlarm).toBe(periods);
    // CloudWatch's limits: at most 7 days in all, and at most 1 day for periods under an hour.
    expect(period * periods).toBeLessThanOrEqual(period >= 3600 ? 604_800 : 86_400);
  });

  it('alarms when either dead-letter queue holds a message', () => {
    for (const queue of [deployed.stack.schedule.deadLetterQueue, deployed.stack.scanner.failedInvocations]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: topicAction(),
      });
    }
  });
});

describe('outputs', () => {
  it('names the function, table, topic and secret', () => {
    template.hasOutput('FunctionName', { Value: { Ref: logicalId(deployed.stack.scanner.function) } });
    template.hasOutput('TableName', { Value: { Ref: 'ScanHistoryTable' } });
    template.hasOutput('TopicArn', { Value: { Ref: logicalId(deployed.stack.notifications.topic) } });
    template.hasOutput('SecretArn', { Value: { Ref: logicalId(deployed.stack.oktaSecret.secret) } });
  });

  it('prints the aws lambda invoke line for an ad-hoc dry run', () => {
    template.hasOutput('InvokeAdHoc', {
      Value: {
        'Fn::Join': [
          '',
          [
            'aws lambda invoke --function-name ',
            { Ref: logicalId(deployed.stack.scanner.function) },
            ` --cli-read-timeout 900 --cli-binary-format raw-in-base64-out --payload '{"mode":"scan","dryRun":true}' out.json`,
          ],
        ],
      },
    });
  });
});

describe('alerts when an owner stops (Okta events)', () => {
  const SOURCE = 'aws.partner/okta.com/acme/okta-scan';
  let withEvents: Synthesised;
  beforeAll(() => {
    withEvents = synthApp(root, { context: { oktaEventSource: SOURCE } });
  });

  it('deploys no rule on a partner bus, no event source in the function and no permission without -c oktaEventSource', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules.every((r) => r.Properties.EventBusName === undefined && r.Properties.EventPattern === undefined)).toBe(
      true,
    );
    const fn = onlyResourceOf('AWS::Lambda::Function');
    expect(JSON.stringify(fn.Properties.Environment)).not.toContain('OKTA_EVENT_SOURCE');
    expect(JSON.stringify(template.findResources('AWS::Lambda::Permission'))).not.toContain('aws.partner');
    expect(deployed.stack.oktaEvents).toBeUndefined();
  });

  it('adds a rule on the partner event bus for the events that stop an account, targeting the function', () => {
    const { template: t, stack } = withEvents;
    const fnId = stack.resolve((stack.scanner.function.node.defaultChild as CfnElement).logicalId);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: SOURCE,
      EventPattern: {
        source: [SOURCE],
        detail: {
          eventType: [
            'user.lifecycle.deactivate',
            'user.lifecycle.suspend',
            'user.account.lock',
            'user.lifecycle.delete.initiated',
          ],
        },
      },
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2 },
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
        }),
      ],
    });
    const ruleId = stack.resolve((stack.oktaEvents!.rule.node.defaultChild as CfnElement).logicalId);
    t.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });

  it('tells the function which source to accept, and alarms when an event could not be delivered', () => {
    const { template: t, stack } = withEvents;
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ OKTA_EVENT_SOURCE: SOURCE }) },
    });
    const queueId = stack.resolve((stack.oktaEvents!.deadLetterQueue.node.defaultChild as CfnElement).logicalId);
    t.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      MessageRetentionPeriod: 1_209_600,
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
    });
  });

  it('stays cdk-nag clean', () => {
    const report = JSON.parse(readFileSync(join(withEvents.outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });

  it('refuses a source that is not an Okta partner event source', () => {
    expect(() => synthApp(root, { context: { oktaEventSource: 'okta-scan' } })).toThrow(
      /oktaEventSource: must be the partner event source name Okta created/,
    );
  });
});

describe('cdk-nag', () => {
  it('the synthesised app has no unacknowledged AwsSolutions finding', () => {
    const report = JSON.parse(readFileSync(join(deployed.outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });

  it('runs the AwsSolutions pack on the app: an unacknowledged finding fails synth', () => {
    const app = new App({ outdir: join(root, 'nag-probe'), context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = buildApp(app, CLI_WITHOUT_CREDENTIALS);
    new sqs.Queue(stack, 'UnencryptedProbe', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});

describe('deployment context', () => {
  it('takes the schedule from -c schedule', () => {
    const { template } = synthApp(root, { context: { schedule: 'rate(6 hours)' } });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(6 hours)' });
  });

  it('refuses a schedule that is neither cron(...) nor rate(...)', () => {
    expect(() => synthApp(root, { context: { schedule: '0 2 * * *' } })).toThrow(/schedule: "0 2 \* \* \*" is neither/);
  });

  it('subscribes each address of -c notificationEmails by email', () => {
    const { template } = synthApp(root, { context: { notificationEmails: 'sec@acme.com, iam-team@acme.com' } });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const endpoint of ['sec@acme.com', 'iam-team@acme.com']) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: endpoint });
    }
  });

  it('uses the existing secret of -c oktaSecretArn, grants read on exactly that ARN and creates none', () => {
    const { template } = synthApp(root, { context: { oktaSecretArn: EXISTING_SECRET } });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
            Resource: EXISTING_SECRET,
          }),
        ]),
      },
    });
    template.hasOutput('SecretArn', { Value: EXISTING_SECRET });
    expect(template.findOutputs('PutSecretValue')).toEqual({});
  });

  it("grants decrypt on the existing secret's own key (-c oktaSecretKeyArn), only through Secrets Manager", () => {
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { template } = synthApp(root, { context: { oktaSecretArn: EXISTING_SECRET, oktaSecretKeyArn: keyArn } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'kms:Decrypt',
            Resource: keyArn,
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
          }),
        ]),
      },
    });
  });

  it('carries a config of many orgs gzipped, as the handler reads it', () => {
    const file = join(root, 'many-orgs.json');
    const orgs = Array.from({ length: 120 }, (_, i) => ({ name: `client-${i}`, secret: `okta-scanner/client-${i}` }));
    writeFileSync(file, JSON.stringify({ orgs }));
    const { template } = synthApp(root, { context: { configFile: file } });
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as {
      Properties: { Environment: { Variables: { SCANNER_CONFIG: string } } };
    };
    const value = fn.Properties.Environment.Variables.SCANNER_CONFIG;
    expect(value.length).toBeLessThanOrEqual(3072);
    expect(value).toMatch(/^gzip:/);
    expect(JSON.parse(decodeScannerConfig(value))).toEqual(JSON.parse(JSON.stringify(loadConfigFile(file))));
  });

  it('refuses a config too large for the 4 KB Lambda environment even gzipped', () => {
    const file = join(root, 'huge-config.json');
    // Reasons that do not compress: what fills the environment is the text, not its repetition.
    const suppressions = Array.from({ length: 100 }, (_, i) => ({
      ruleId: 'api-token-owner-is-human',
      resourceId: `00T${i}`,
      reason: randomBytes(40).toString('hex'),
      expires: '2027-01-31',
    }));
    writeFileSync(file, JSON.stringify({ suppressions }));
    expect(() => synthApp(root, { context: { configFile: file } })).toThrow(
      /Config too large for the Lambda environment/,
    );
  });

  it('embeds the validated -c configFile as SCANNER_CONFIG', () => {
    const file = join(root, 'good-config.json');
    writeFileSync(file, JSON.stringify({ lookbackDays: 30, notify: 'always' }));
    const { template } = synthApp(root, { context: { configFile: file } });
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as {
      Properties: { Environment: { Variables: { SCANNER_CONFIG: string } } };
    };
    const embedded = JSON.parse(fn.Properties.Environment.Variables.SCANNER_CONFIG);
    expect(embedded).toEqual(JSON.parse(JSON.stringify(loadConfigFile(file))));
    expect(embedded).toMatchObject({ lookbackDays: 30, notify: 'always' });
  });

  it('fails synth on a bad -c configFile with the same message the CLI prints', () => {
    const file = join(root, 'bad-config.json');
    writeFileSync(file, JSON.stringify({ lookbackDays: 365, colour: 'blue' }));
    let cliMessage = '';
    try {
      loadConfigFile(file);
    } catch (error) {
      cliMessage = (error as ConfigError).message;
    }
    expect(cliMessage).toContain('lookbackDays');
    expect(() => synthApp(root, { context: { configFile: file } })).toThrow(new ConfigError(cliMessage).message);
  });

  it('deploys into CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION when the CLI knows them', () => {
    const { stack } = synthApp(root, { env: { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' } });
    expect([stack.account, stack.region]).toEqual(['123456789012', 'eu-west-1']);
  });

  it('sizes the function memory from the memorySize prop', () => {
    const app = new App({ outdir: join(root, 'memory'), context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new OktaOwnershipScannerStack(app, 'Sized', {
      env: { region: 'us-east-1' },
      schedule: 'rate(1 day)',
      scannerConfig: DEFAULT_CONFIG,
      memorySize: 1769,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1769 });
    expect(Stack.of(stack.scanner).stackName).toBe('Sized');
  });
});
