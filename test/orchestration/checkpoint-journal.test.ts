import { describe, expect, it } from 'vitest';
import type { CheckpointStore, RunManifest } from '../../lambda/domain/checkpoint';
import type { JournalAnswer } from '../../lambda/domain/scan-step';
import { CheckpointJournal } from '../../lambda/orchestration/checkpoint-journal';

// A step's journal saves Okta's answers in segments as they come, so a crash loses only the
// last few; a segment that could not be saved fails the step instead of passing for saved.

const page = (n: number): JournalAnswer => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: `[${n}]`,
});

function memoryStore(failOn?: string): CheckpointStore & { segments: Map<string, Record<string, JournalAnswer>> } {
  const segments = new Map<string, Record<string, JournalAnswer>>();
  return {
    segments,
    load: async () => null,
    manifest: async () => null,
    saveManifest: async (_manifest: RunManifest) => {},
    saveAnswers: async (_org, _runId, segment, answers) => {
      if (segment === failOn) throw new Error('S3 refused the segment');
      segments.set(segment, answers);
    },
  };
}

describe('a step journal', () => {
  it('saves a segment every few answers and the rest on close, in order after the earlier steps', async () => {
    const store = memoryStore();
    let now = 0;
    const journal = new CheckpointJournal({
      store,
      org: 'acme-prod',
      runId: 'run-1',
      step: 3,
      saved: { 'GET https://acme.okta.com/api/v1/apps': page(0) },
      now: () => now,
      flushEvery: 2,
      flushAfterMs: 1_000,
    });
    for (let i = 1; i <= 5; i++) journal.record(`GET https://acme.okta.com/api/v1/users?page=${i}`, page(i));
    now = 5_000;
    journal.record('GET https://acme.okta.com/api/v1/logs', page(6));
    await journal.close();

    expect([...store.segments.keys()]).toEqual(['0003-00000', '0003-00001', '0003-00002']);
    expect([...store.segments.values()].map((s) => Object.keys(s).length)).toEqual([2, 2, 2]);
    expect(journal.answer('GET https://acme.okta.com/api/v1/apps')?.body).toBe('[0]');
    expect(Object.values(store.segments.get('0003-00002') ?? {}).map((a) => a.body)).toEqual(['[5]', '[6]']);
  });

  it('fails on close when a segment could not be saved, after saving the others', async () => {
    const store = memoryStore('0001-00000');
    const journal = new CheckpointJournal({
      store,
      org: 'acme-prod',
      runId: 'run-1',
      step: 1,
      saved: {},
      now: () => 0,
      flushEvery: 1,
    });
    journal.record('GET https://acme.okta.com/api/v1/users?page=1', page(1));
    journal.record('GET https://acme.okta.com/api/v1/users?page=2', page(2));

    await expect(journal.close()).rejects.toThrow('S3 refused the segment');
    expect([...store.segments.keys()]).toEqual(['0001-00001']);
  });
});
