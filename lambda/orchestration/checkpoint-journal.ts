import type { CheckpointStore, SavedAnswer } from '../domain/checkpoint';

// The answer journal of one collect step (lambda/okta/answer-journal.ts's AnswerJournal): answers
// the requests a previous step already made from the checkpoint, and saves each new answer in a
// segment soon after it arrives, so a step that crashes loses at most the last few answers.

export interface CheckpointJournalOptions {
  store: CheckpointStore;
  org: string;
  runId: string;
  /** The step's number: its segments sort after the earlier steps'. */
  step: number;
  saved: Record<string, SavedAnswer>;
  now: () => number;
  /** A segment is saved when this many answers wait… */
  flushEvery?: number;
  /** …or the oldest has waited this long. */
  flushAfterMs?: number;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export class CheckpointJournal {
  private readonly answers: Map<string, SavedAnswer>;
  private pending: Record<string, SavedAnswer> = {};
  private pendingCount = 0;
  private pendingSince = 0;
  private segments = 0;
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  /** When this step got its first answer from Okta (not from the checkpoint); null before. */
  firstRecordAt: number | null = null;

  constructor(private readonly options: CheckpointJournalOptions) {
    this.answers = new Map(Object.entries(options.saved));
  }

  /** Answers replayed from earlier steps. */
  get savedCount(): number {
    return Object.keys(this.options.saved).length;
  }

  answer(key: string): SavedAnswer | undefined {
    return this.answers.get(key);
  }

  record(key: string, answer: SavedAnswer): void {
    this.answers.set(key, answer);
    const now = this.options.now();
    this.firstRecordAt ??= now;
    if (this.pendingCount === 0) this.pendingSince = now;
    this.pending[key] = answer;
    this.pendingCount += 1;
    const { flushEvery = 50, flushAfterMs = 2_000 } = this.options;
    if (this.pendingCount >= flushEvery || now - this.pendingSince >= flushAfterMs) this.flush();
  }

  /** Saves what waits, after the segments before it. */
  flush(): void {
    if (this.pendingCount === 0) return;
    const batch = this.pending;
    this.pending = {};
    this.pendingCount = 0;
    const { store, org, runId, step } = this.options;
    const segment = `${pad(step, 4)}-${pad(this.segments++, 5)}`;
    this.writing = this.writing
      .then(() => store.saveAnswers(org, runId, segment, batch))
      .catch((error: unknown) => {
        this.failure ??= error;
      });
  }

  /** Saves the rest and waits for every segment; throws when one could not be saved. */
  async close(): Promise<void> {
    this.flush();
    await this.writing;
    if (this.failure) throw this.failure;
  }
}
