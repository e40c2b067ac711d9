import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempRoot, removeTempRoot, synthApp } from '../test/lib/synth-helpers';

// The state machine `cdk synth` produces for a config (the app built as bin/ builds it, without
// bundling the function), as the JSON a local interpreter runs: its DefinitionString with
// Fn::Join resolved, each Fn::GetAtt / Ref standing for a placeholder ARN.

export type AslState = Record<string, unknown> & { Type: string };
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

/** The scanner function's timeout: Lambda's maximum. */
export const LAMBDA_TIMEOUT_S = 900;

interface TemplateResource {
  Type: string;
  Properties?: { DefinitionString?: unknown };
}

/** A placeholder ARN per referenced resource: Task Resources must look like ARNs to the interpreter. */
function resolvePart(part: unknown): string {
  if (typeof part === 'string') return part;
  const ref = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const id = ref.Ref ?? ref['Fn::GetAtt']?.[0];
  if (id === undefined) throw new Error(`cannot resolve ${JSON.stringify(part)} in the definition`);
  if (id === 'AWS::Partition') return 'aws';
  if (id === 'AWS::Region') return 'us-east-1';
  if (id === 'AWS::AccountId') return '123456789012';
  return `arn:aws:lambda:us-east-1:123456789012:function:${id}`;
}

function resolveDefinition(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`DefinitionString is neither a string nor Fn::Join: ${JSON.stringify(value)}`);
  return join[1].map(resolvePart).join(join[0]);
}

/** Every state, in the top level and in each Map's iterator, by name. */
export function allStates(definition: { States: Record<string, AslState> }): Record<string, AslState> {
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    states[name] = state;
    const inner = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, AslState> } | undefined;
    if (inner) Object.assign(states, allStates(inner));
  }
  return states;
}

/** The definition synthesised for `config` (written to a config file, as `-c configFile=` takes it). */
export function synthesisedDefinition(config: unknown): AslDefinition {
  const root = makeTempRoot();
  try {
    const configFile = join(root, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));
    const { template } = synthApp(root, { context: { configFile } });
    const machines = Object.values(template.toJSON().Resources as Record<string, TemplateResource>).filter(
      (r) => r.Type === 'AWS::StepFunctions::StateMachine',
    );
    if (machines.length !== 1) throw new Error(`expected one state machine in the template, found ${machines.length}`);
    const definition = JSON.parse(resolveDefinition(machines[0].Properties?.DefinitionString)) as AslDefinition;
    // AWS runs a Task without TimeoutSeconds until the function's own timeout ends it ("If not
    // provided, the default value is 99999999": https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html);
    // aws-local-stepfunctions takes the States Language spec's 60 s instead, which would cut a
    // Collect step short. The function's timeout (the Lambda maximum, 900 s) stands in.
    for (const state of Object.values(allStates(definition))) {
      if (state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined)
        state.TimeoutSeconds = LAMBDA_TIMEOUT_S;
    }
    return definition;
  } finally {
    removeTempRoot(root);
  }
}
