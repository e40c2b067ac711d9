import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_MACHINE_TIMEOUT } from '../../lib/scan-state-machine';
import {
  type AslDefinition,
  PLACEHOLDER_ENVIRONMENT,
  placeholderFunctionArn,
  stateMachineDefinition,
} from '../support/state-machine-definition';
import { makeTempRoot, removeTempRoot, type Synthesised, synthApp } from './synth-helpers';

// The nightly scan as Step Functions runs it (issue 13): the state machine, what starts it, where
// its checkpoints live, which secrets the function may read, and what alarms when it breaks.

const ACCOUNT = '123456789012';
const ACME_EU = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:okta/acme-eu';
const ACME_US = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:okta/acme-us-Xy9Z01';

let root: string;
let single: Synthesised;
let multi: Synthesised;
let definition: AslDefinition;
let orgStates: Record<string, Record<string, unknown>>;

function writeConfig(name: string, config: unknown): string {
  const file = join(root, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

function scannerLogicalId(synthesised: Synthesised): string {
  return synthesised.stack.getLogicalId(synthesised.stack.scanner.function.node.defaultChild as never);
}

function functionStatements(
  synthesised: Synthesised,
): { Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const role = {
    Ref: synthesised.stack.getLogicalId(synthesised.stack.scanner.function.role?.node.defaultChild as never),
  };
  return Object.values(synthesised.template.findResources('AWS::IAM::Policy'))
    .map(
      (policy) => (policy as { Properties: { Roles: unknown[]; PolicyDocument: { Statement: never[] } } }).Properties,
    )
    .filter((policy) => JSON.stringify(policy.Roles) === JSON.stringify([role]))
    .flatMap((policy) => policy.PolicyDocument.Statement);
}

function statementsWith(synthesised: Synthesised, action: string): { Resource: unknown; Condition?: unknown }[] {
  return functionStatements(synthesised).filter((s) => [s.Action].flat().includes(action));
}

beforeAll(() => {
  root = makeTempRoot();
  single = synthApp(root);
  definition = stateMachineDefinition(single.template);
  orgStates = (definition.States.Orgs.ItemProcessor as { States: Record<string, Record<string, unknown>> }).States;
  const configFile = writeConfig('orgs.json', {
    maxConcurrentOrgs: 3,
    orgs: [
      { name: 'acme-prod', secret: 'okta-scanner/acme-prod', config: { notify: 'always' } },
      { name: 'acme-eu', secret: ACME_EU },
      { name: 'acme-us', secret: ACME_US },
    ],
  });
  multi = synthApp(root, {
    context: { configFile },
    env: { CDK_DEFAULT_ACCOUNT: ACCOUNT, CDK_DEFAULT_REGION: 'us-east-1' },
  });
});

afterAll(() => removeTempRoot(root));

describe('the state machine definition', () => {
  it('plans, then maps over the planned runs five at a time by default, keeping their results in $.orgs', () => {
    expect(definition.StartAt).toBe('Plan');
    expect(definition.States.Plan).toMatchObject({
      Type: 'Task',
      Parameters: { orchestration: 'plan', 'input.$': '$' },
      Next: 'Orgs',
    });
    expect(definition.States.Orgs).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.runs',
      MaxConcurrency: 5,
      ResultPath: '$.orgs',
      End: true,
    });
    expect(Object.keys(definition.States).sort()).toEqual(['Orgs', 'Plan']);
  });

  it('runs each org as Collect, NextStep, WaitForRateLimit, Finish, RecordFailure and Skipped', () => {
    expect((definition.States.Orgs.ItemProcessor as { StartAt: string }).StartAt).toBe('Collect');
    expect(Object.fromEntries(Object.entries(orgStates).map(([name, state]) => [name, state.Type]))).toEqual({
      Collect: 'Task',
      NextStep: 'Choice',
      WaitForRateLimit: 'Wait',
      Finish: 'Task',
      RecordFailure: 'Task',
      Skipped: 'Pass',
    });
  });

  it('calls the scanner function directly (payload response only) with small references, never an inventory', () => {
    const functionArn = placeholderFunctionArn(scannerLogicalId(single), PLACEHOLDER_ENVIRONMENT);
    const tasks = { Plan: definition.States.Plan, ...orgStates };
    expect(definition.States.Plan.Resource).toBe(functionArn);
    expect(orgStates.Collect).toMatchObject({
      Resource: functionArn,
      Parameters: { orchestration: 'collect', 'run.$': '$.run' },
      ResultPath: '$.step',
      Next: 'NextStep',
    });
    expect(orgStates.Finish).toMatchObject({
      Resource: functionArn,
      Parameters: { orchestration: 'finish', 'run.$': '$.run' },
      ResultPath: '$.result',
      OutputPath: '$.result',
      End: true,
    });
    expect(orgStates.RecordFailure).toMatchObject({
      Resource: functionArn,
      Parameters: { orchestration: 'failed', 'run.$': '$.run', 'error.$': '$.error' },
      ResultPath: '$.result',
      OutputPath: '$.result',
      End: true,
    });
    for (const task of Object.values(tasks).filter((state) => state.Type === 'Task')) {
      expect(task.Resource).toBe(functionArn);
    }
  });

  it("retries Lambda's service errors and throttling on every task, and a failed Collect or Finish twice more", () => {
    const errorsOf = (state: Record<string, unknown>): string[][] =>
      (state.Retry as { ErrorEquals: string[] }[]).map((retry) => retry.ErrorEquals);
    for (const task of [definition.States.Plan, orgStates.Collect, orgStates.Finish, orgStates.RecordFailure]) {
      expect(errorsOf(task)).toEqual(
        expect.arrayContaining([
          expect.arrayContaining(['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException']),
          ['Lambda.TooManyRequestsException'],
        ]),
      );
    }
    for (const step of [orgStates.Collect, orgStates.Finish]) {
      const retries = step.Retry as Record<string, unknown>[];
      // States.ALL must come last, or Step Functions refuses the definition.
      expect(retries.at(-1)).toEqual({
        ErrorEquals: ['States.ALL'],
        IntervalSeconds: 2,
        MaxAttempts: 2,
        BackoffRate: 2,
      });
      expect(step.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }]);
    }
    expect(errorsOf(definition.States.Plan).flat()).not.toContain('States.ALL');
    expect(orgStates.RecordFailure.Catch).toBeUndefined();
  });

  it('finishes a collected org, passes a skipped one on, waits out a rate limit and otherwise collects again', () => {
    expect(orgStates.NextStep).toEqual({
      Type: 'Choice',
      Choices: [
        { Variable: '$.step.state', StringEquals: 'collected', Next: 'Finish' },
        { Variable: '$.step.state', StringEquals: 'skipped', Next: 'Skipped' },
        { Variable: '$.step.waitSeconds', NumericGreaterThan: 0, Next: 'WaitForRateLimit' },
      ],
      Default: 'Collect',
    });
    expect(orgStates.WaitForRateLimit).toEqual({ Type: 'Wait', SecondsPath: '$.step.waitSeconds', Next: 'Collect' });
    expect(orgStates.Skipped).toEqual({
      Type: 'Pass',
      Parameters: { state: 'skipped', 'reason.$': '$.step.reason', 'org.$': '$.run.org' },
      End: true,
    });
  });

  it('stops an execution after 23 hours', () => {
    expect(definition.TimeoutSeconds).toBe(23 * 3600);
    expect(STATE_MACHINE_TIMEOUT.toHours()).toBe(23);
  });

  it('takes MaxConcurrency and the function reserved concurrency from maxConcurrentOrgs', () => {
    const orgs = stateMachineDefinition(multi.template).States.Orgs;
    expect(orgs.MaxConcurrency).toBe(3);
    multi.template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 3 });
  });
});

describe('the state machine resource', () => {
  it('is a Standard workflow, traced, logging errors only and no execution data to a log group under the stack key', () => {
    const { template, stack } = single;
    const logGroupId = stack.getLogicalId(stack.orchestration.logGroup.node.defaultChild as never);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
      },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(stack.encryptionKey.key.node.defaultChild as never), 'Arn'] },
        RetentionInDays: 365,
      },
      DeletionPolicy: 'Retain',
    });
  });

  it("lets CloudWatch Logs use the stack key for this account's log groups only", () => {
    single.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsToUseKeyForLogGroups',
            Principal: { Service: Match.anyValue() },
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('may invoke only the scanner function', () => {
    const { template, stack } = single;
    const roleId = stack.getLogicalId(stack.orchestration.stateMachine.role.node.defaultChild as never);
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find(
      (p) =>
        JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles) ===
        JSON.stringify([{ Ref: roleId }]),
    ) as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } };
    const invoke = policy.Properties.PolicyDocument.Statement.filter((s) =>
      [s.Action].flat().includes('lambda:InvokeFunction'),
    );
    const fnArn = { 'Fn::GetAtt': [scannerLogicalId(single), 'Arn'] };
    expect(invoke).toEqual([expect.objectContaining({ Resource: [fnArn, { 'Fn::Join': ['', [fnArn, ':*']] }] })]);
  });

  it('prints its ARN and the start-execution line for one org (the first configured, or default)', () => {
    const stateMachineRef = {
      Ref: single.stack.getLogicalId(single.stack.orchestration.stateMachine.node.defaultChild as never),
    };
    single.template.hasOutput('StateMachineArn', { Value: stateMachineRef });
    single.template.hasOutput('StartExecution', {
      Value: {
        'Fn::Join': [
          '',
          [
            'aws stepfunctions start-execution --state-machine-arn ',
            stateMachineRef,
            ` --input '{"orgs":["default"]}'`,
          ],
        ],
      },
    });
    const [start] = Object.values(multi.template.findOutputs('StartExecution')) as {
      Value: { 'Fn::Join': [string, string[]] };
    }[];
    expect(start.Value['Fn::Join'][1].at(-1)).toBe(` --input '{"orgs":["acme-prod"]}'`);
  });
});

describe('alarms on executions', () => {
  it.each([['ExecutionsFailed'], ['ExecutionsTimedOut'], ['ExecutionsAborted']])(
    'alarms the topic on one %s of the state machine',
    (metricName) => {
      const { template, stack } = single;
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metricName,
        Dimensions: [
          {
            Name: 'StateMachineArn',
            Value: { Ref: stack.getLogicalId(stack.orchestration.stateMachine.node.defaultChild as never) },
          },
        ],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: stack.getLogicalId(stack.notifications.topic.node.defaultChild as never) }],
      });
    },
  );
});

describe('checkpoints in the artifact bucket', () => {
  it('expire after 7 days (their replaced versions after a day), beside the report retention', () => {
    single.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'scans/', ExpirationInDays: 400, Status: 'Enabled' }),
          Match.objectLike({
            Prefix: 'checkpoints/',
            ExpirationInDays: 7,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            Status: 'Enabled',
          }),
        ]),
      },
    });
  });

  it('may be read and written, and listed, by the function under checkpoints/ only', () => {
    const bucketArn = { 'Fn::GetAtt': ['ReportBucket', 'Arn'] };
    const checkpoints = { 'Fn::Join': ['', [bucketArn, '/checkpoints/*']] };
    expect(statementsWith(single, 's3:GetObject')).toEqual([expect.objectContaining({ Resource: checkpoints })]);
    expect(statementsWith(single, 's3:PutObject').map((s) => s.Resource)).toEqual(
      expect.arrayContaining([checkpoints, { 'Fn::Join': ['', [bucketArn, '/scans/*']] }]),
    );
    expect(statementsWith(single, 's3:ListBucket')).toEqual([
      expect.objectContaining({ Resource: bucketArn, Condition: { StringLike: { 's3:prefix': 'checkpoints/*' } } }),
    ]);
    expect(statementsWith(single, 's3:DeleteObject')).toEqual([]);
  });
});

describe('IAM per org secret', () => {
  it("reads only the stack's secret when no orgs are configured", () => {
    expect(statementsWith(single, 'secretsmanager:GetSecretValue')).toHaveLength(1);
  });

  it('reads exactly each configured secret: a name in this account, an ARN with or without its suffix', () => {
    const resources = statementsWith(multi, 'secretsmanager:GetSecretValue').flatMap((s) => [s.Resource].flat());
    expect(resources).toEqual(
      expect.arrayContaining([
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:okta-scanner/acme-prod-??????',
        `${ACME_EU}-??????`,
        ACME_US,
      ]),
    );
    // The stack's own secret and the three orgs': nothing else.
    expect(resources).toHaveLength(4);
  });

  it('stays cdk-nag clean with orgs configured, whether the account is known at synth or not', () => {
    const configFile = writeConfig('names.json', { orgs: [{ name: 'acme-prod', secret: 'okta-scanner/acme-prod' }] });
    const withoutAccount = synthApp(root, { context: { configFile } });
    for (const { outdir } of [multi, withoutAccount]) {
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
      expect(report.pluginReports).toEqual([]);
    }
  });

  it('fails synth, naming the org, on a secret ARN in another account than the stack', () => {
    const configFile = writeConfig('cross-account.json', {
      orgs: [{ name: 'subsidiary', secret: 'arn:aws:secretsmanager:us-east-1:999999999999:secret:okta/sub' }],
    });
    expect(() =>
      synthApp(root, {
        context: { configFile },
        env: { CDK_DEFAULT_ACCOUNT: ACCOUNT, CDK_DEFAULT_REGION: 'us-east-1' },
      }),
    ).toThrow(
      /orgs\.0\.secret \(org "subsidiary"\): the secret is in account 999999999999, the stack deploys into 123456789012/,
    );
  });

  it('fails synth on two orgs of the same name and on a malformed secret ARN', () => {
    const duplicate = writeConfig('duplicate.json', {
      orgs: [
        { name: 'acme-prod', secret: 'a' },
        { name: 'acme-prod', secret: 'b' },
      ],
    });
    expect(() => synthApp(root, { context: { configFile: duplicate } })).toThrow(
      /orgs\.1\.name: "acme-prod" is configured twice/,
    );
    const malformed = writeConfig('malformed.json', {
      orgs: [{ name: 'acme', secret: 'arn:aws:secretsmanager:okta' }],
    });
    expect(() => synthApp(root, { context: { configFile: malformed } })).toThrow(
      /orgs\.0\.secret: is not a Secrets Manager secret ARN/,
    );
  });
});
