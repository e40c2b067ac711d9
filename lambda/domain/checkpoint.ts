import type { GateSnapshot, JournalAnswer } from './scan-step';

// A per-org scan that the state machine runs in steps (lambda/orchestration/) keeps its progress
// between steps: the run's manifest and every answer Okta gave, saved in segments. A resumed
// collection replays those answers, so no finished page is read from Okta twice.

/** One org's scan within a state machine execution, as the Plan step hands it to the others. */
export interface OrgRun {
  /** The configured org's name (config `orgs[].name`; `default` without `orgs`). */
  org: string;
  /** Made by the Plan step; names the run's checkpoint. */
  runId: string;
  dryRun: boolean;
  rules?: string[];
}

/** What a run needs to resume: fixed by its first step, so every step reads the same URLs. */
export interface RunManifest {
  schemaVersion: 1;
  org: string;
  runId: string;
  scanId: string;
  /** The scan's start and evaluation time: the System Log window is computed from it. */
  startedAt: string;
  /** Collect steps begun so far. */
  steps: number;
  /** Okta's rate-limit windows as the last step left them. */
  gate?: GateSnapshot;
}

export interface RunCheckpoint {
  manifest: RunManifest;
  /** Every answer saved so far, keyed by "<METHOD> <url>". */
  answers: Record<string, JournalAnswer>;
}

/** Where runs keep their progress (lambda/sinks/checkpoint-s3.ts). */
export interface CheckpointStore {
  /** The run's manifest and every saved answer; null when the run has not begun. */
  load(org: string, runId: string): Promise<RunCheckpoint | null>;
  /** The run's manifest alone, without reading its answers; null when the run has not begun. */
  manifest(org: string, runId: string): Promise<RunManifest | null>;
  saveManifest(manifest: RunManifest): Promise<void>;
  /** Saves one segment of answers; segments never overwrite each other. */
  saveAnswers(org: string, runId: string, segment: string, answers: Record<string, JournalAnswer>): Promise<void>;
}
