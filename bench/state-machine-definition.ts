import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_TIMEOUT } from '../lib/scanner-function';
import { makeTempRoot, removeTempRoot, synthApp } from '../test/lib/synth-helpers';
import { stateMachineDefinition } from '../test/support/state-machine-definition';

// The state machine `cdk synth` produces for a config (the app built as bin/ builds it, without
// bundling the function), as the JSON a local interpreter runs: its DefinitionString with
// Fn::Join resolved, the function's ARN a placeholder (test/support/state-machine-definition.ts).

export type AslState = Record<string, unknown> & { Type: string };
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

/** The scanner function's timeout, as the stack sets it (Lambda's maximum). */
export const LAMBDA_TIMEOUT_S = FUNCTION_TIMEOUT.toSeconds();

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
    const definition = structuredClone(stateMachineDefinition(template)) as AslDefinition;
    // AWS runs a Task without TimeoutSeconds until the function's own timeout ends it ("If not
    // provided, the default value is 99999999": https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html);
    // aws-local-stepfunctions takes the States Language spec's 60 s instead, which would cut a
    // Collect step short. The function's timeout stands in.
    for (const state of Object.values(allStates(definition))) {
      if (state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined)
        state.TimeoutSeconds = LAMBDA_TIMEOUT_S;
    }
    return definition;
  } finally {
    removeTempRoot(root);
  }
}
