import type { JournalAnswer } from '../domain/scan-step';

export type { JournalAnswer } from '../domain/scan-step';

// Okta's final answers, by request, so a resumed scan step re-runs the same collection code and
// every page a previous step finished comes from here instead of from Okta. The OAuth token
// request is never recorded: its answer is an access token.

/** Where a scan step looks up and records Okta's answers, by `journalKey`. */
export interface AnswerJournal {
  answer(key: string): JournalAnswer | undefined;
  record(key: string, answer: JournalAnswer): void;
}

/** `"<METHOD> <full url>"`: the SDK builds the same URL for the same read. */
export function journalKey(method: string, url: string): string {
  return `${method.toUpperCase()} ${url}`;
}

// What a replay reads: paging (link), the JSON check (content-type), rate-limit pacing. Nothing
// that carries a credential or a session (set-cookie) is kept.
const KEPT_HEADER = /^(link|content-type|date|x-rate-limit-(limit|remaining|reset))$/;

/** The headers of an answer a replay needs, names in lower case. */
export function replayHeaders(headers: {
  forEach(fn: (value: string, name: string) => void): void;
}): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    const key = name.toLowerCase();
    if (KEPT_HEADER.test(key)) kept[key] = value;
  });
  return kept;
}

/** A journal in memory: loaded from the saved segments, handing out what each step added. */
export class MemoryAnswerJournal implements AnswerJournal {
  private readonly answers = new Map<string, JournalAnswer>();
  private fresh = new Map<string, JournalAnswer>();

  load(entries: Record<string, JournalAnswer>): void {
    for (const [key, answer] of Object.entries(entries)) this.answers.set(key, answer);
  }

  answer(key: string): JournalAnswer | undefined {
    return this.answers.get(key);
  }

  record(key: string, answer: JournalAnswer): void {
    const kept = { status: answer.status, headers: replayHeaders(new Headers(answer.headers)), body: answer.body };
    this.answers.set(key, kept);
    this.fresh.set(key, kept);
  }

  /** What was recorded since the last take: the next segment to save. */
  takeNew(): Record<string, JournalAnswer> {
    const taken = Object.fromEntries(this.fresh);
    this.fresh = new Map();
    return taken;
  }
}
