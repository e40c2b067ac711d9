import type { Template } from 'aws-cdk-lib/assertions';

// The Amazon States Language definition `cdk synth` deploys, as a plain object a local ASL
// interpreter (aws-local-stepfunctions) can run: the template's DefinitionString with its
// Fn::Join, Fn::GetAtt and Ref resolved. A function's ARN becomes a placeholder Lambda ARN
// named after its logical id, so a test maps each Task state to a local handler by state name:
//   const { template } = synthApp(root);            // test/lib/synth-helpers.ts
//   const definition = stateMachineDefinition(template);

export interface PlaceholderEnvironment {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export const PLACEHOLDER_ENVIRONMENT: PlaceholderEnvironment = {
  partition: 'aws',
  region: 'us-east-1',
  account: '123456789012',
};

export type AslDefinition = {
  readonly StartAt: string;
  readonly States: Record<string, Record<string, unknown>>;
  readonly [key: string]: unknown;
};

/** The ARN a function's `Fn::GetAtt [<logicalId>, Arn]` resolves to here. */
export function placeholderFunctionArn(logicalId: string, env = PLACEHOLDER_ENVIRONMENT): string {
  return `arn:${env.partition}:lambda:${env.region}:${env.account}:function:${logicalId}`;
}

function resolve(value: unknown, env: PlaceholderEnvironment): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  if ('Fn::Join' in intrinsic) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(part, env)).join(separator);
  }
  if ('Fn::GetAtt' in intrinsic) {
    const [logicalId, attribute] = intrinsic['Fn::GetAtt'] as [string, string];
    if (attribute !== 'Arn') throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
    return placeholderFunctionArn(logicalId, env);
  }
  if ('Ref' in intrinsic) {
    const pseudo: Record<string, string> = {
      'AWS::Partition': env.partition,
      'AWS::Region': env.region,
      'AWS::AccountId': env.account,
    };
    const name = String(intrinsic.Ref);
    return pseudo[name] ?? name;
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)} in a state machine definition`);
}

/** The definition of the template's one state machine, ready for an ASL interpreter. */
export function stateMachineDefinition(template: Template, env = PLACEHOLDER_ENVIRONMENT): AslDefinition {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const properties = (machines[0] as { Properties: { DefinitionString: unknown } }).Properties;
  return JSON.parse(resolve(properties.DefinitionString, env)) as AslDefinition;
}
