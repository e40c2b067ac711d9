import type { JobDeps } from '../job-deps';
import { type CollectStepResult, runCollectStep } from './collect-step';
import { type FailedStepResult, runFailedStep } from './failed-step';
import { type FinishStepResult, runFinishStep } from './finish-step';
import type { OrchestrationRequest } from './payload';
import { type PlanResult, runPlan } from './plan';

// One step of the state machine (lib/scan-state-machine.ts): Plan, Collect, Finish or RecordFailure.

export type StepResult = PlanResult | CollectStepResult | FinishStepResult | FailedStepResult;

export function runStep(request: OrchestrationRequest, deps: JobDeps): Promise<StepResult> {
  switch (request.mode) {
    case 'plan':
      return Promise.resolve(runPlan(request.input, deps));
    case 'collect':
      return runCollectStep(request.run, deps);
    case 'finish':
      return runFinishStep(request.run, deps);
    default:
      return runFailedStep(request.run, request.error, deps);
  }
}
