import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

// The nightly scan of every configured org, as steps of the one scanner function (README.md,
// "Many orgs (Step Functions)"). The function answers each payload (lambda/invocation.ts); only
// small references pass between states, never an inventory, so the 256 KB state limit holds for
// any org size. State names are part of the contract: tests map Task states to handlers by name.

/** An execution that runs longer than this is stopped (and the ExecutionsTimedOut alarm fires). */
export const STATE_MACHINE_TIMEOUT = Duration.hours(23);

/** The fixed state names. */
export const STATE = {
  plan: 'Plan',
  orgs: 'Orgs',
  collect: 'Collect',
  nextStep: 'NextStep',
  waitForRateLimit: 'WaitForRateLimit',
  finish: 'Finish',
  recordFailure: 'RecordFailure',
  skipped: 'Skipped',
} as const;

export interface ScanStateMachineProps {
  readonly function: lambda.IFunction;
  /** How many orgs run side by side (config `maxConcurrentOrgs`). */
  readonly maxConcurrentOrgs: number;
  /** The stack key: encrypts the state machine's log group. */
  readonly encryptionKey: kms.IKey;
}

/** Collect and Finish: a step that failed once is tried again; it resumes from its checkpoint. */
const STEP_RETRY: sfn.RetryProps = {
  errors: [sfn.Errors.ALL],
  interval: Duration.seconds(2),
  maxAttempts: 2,
  backoffRate: 2,
};

/**
 * Every task: an invocation refused because all of the function's reserved concurrency is busy
 * (an ad-hoc run beside the nightly one) waits for a slot instead of failing the org.
 */
const THROTTLED_RETRY: sfn.RetryProps = {
  errors: ['Lambda.TooManyRequestsException'],
  interval: Duration.seconds(30),
  maxAttempts: 5,
  backoffRate: 2,
};

export class ScanStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ScanStateMachineProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      // As long as the function's run logs: together they are the record of past runs.
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition(props)),
      timeout: STATE_MACHINE_TIMEOUT,
      comment: 'Nightly Okta ownership scan of every configured org',
      // Errors only, and without execution data: inputs and outputs may name findings and owners.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
      tracingEnabled: true,
    });
    this.acknowledge(Stack.of(this).getLogicalId(props.function.node.defaultChild as CfnElement));
  }

  private definition(props: ScanStateMachineProps): sfn.IChainable {
    const invoke = (
      name: string,
      payload: Record<string, unknown>,
      paths: sfn.TaskStateBaseProps,
    ): tasks.LambdaInvoke => {
      const task = new tasks.LambdaInvoke(this, name, {
        lambdaFunction: props.function,
        payload: sfn.TaskInput.fromObject(payload),
        payloadResponseOnly: true,
        ...paths,
      });
      task.addRetry(THROTTLED_RETRY);
      return task;
    };
    const run = sfn.JsonPath.objectAt('$.run');

    const recordFailure = invoke(
      STATE.recordFailure,
      { orchestration: 'failed', run, error: sfn.JsonPath.objectAt('$.error') },
      { resultPath: '$.result', outputPath: '$.result' },
    );
    const finish = invoke(
      STATE.finish,
      { orchestration: 'finish', run },
      { resultPath: '$.result', outputPath: '$.result' },
    );
    const collect = invoke(STATE.collect, { orchestration: 'collect', run }, { resultPath: '$.step' });
    for (const step of [collect, finish]) {
      step.addRetry(STEP_RETRY).addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    }
    // Okta asked for a longer wait than a step may sleep: Step Functions waits, no Lambda time is billed.
    const waitForRateLimit = new sfn.Wait(this, STATE.waitForRateLimit, {
      time: sfn.WaitTime.secondsPath('$.step.waitSeconds'),
    }).next(collect);
    const skipped = new sfn.Pass(this, STATE.skipped, {
      parameters: {
        state: 'skipped',
        reason: sfn.JsonPath.stringAt('$.step.reason'),
        org: sfn.JsonPath.stringAt('$.run.org'),
      },
    });
    const nextStep = new sfn.Choice(this, STATE.nextStep)
      .when(sfn.Condition.stringEquals('$.step.state', 'collected'), finish)
      .when(sfn.Condition.stringEquals('$.step.state', 'skipped'), skipped)
      .when(sfn.Condition.numberGreaterThan('$.step.waitSeconds', 0), waitForRateLimit)
      .otherwise(collect);
    collect.next(nextStep);

    const orgs = new sfn.Map(this, STATE.orgs, {
      itemsPath: '$.runs',
      maxConcurrency: props.maxConcurrentOrgs,
      resultPath: '$.orgs',
    }).itemProcessor(collect);
    const plan = invoke(STATE.plan, { orchestration: 'plan', input: sfn.JsonPath.entirePayload }, {});
    return plan.next(orgs);
  }

  private acknowledge(functionLogicalId: string): void {
    Validations.of(this.stateMachine.role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
        reason:
          'Added by LambdaInvoke: lambda:InvokeFunction on the one scanner function and its versions ' +
          '(the ":*" is the qualifier); no other function.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Added by the logging and tracing settings: the CloudWatch Logs delivery actions (logs:*LogDelivery*, ' +
          'logs:DescribeLogGroups, logs:*ResourcePolicies) and X-Ray PutTraceSegments/PutTelemetryRecords and ' +
          'GetSampling* support no resource-level permissions, so AWS documents "*" for them.',
      },
    );
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'Logs ERROR events only, without execution data: inputs and outputs carry org names, findings and ' +
        "owners, and every step's outcome is already in the scan history and the function's logs.",
    });
  }
}
