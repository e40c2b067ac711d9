import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The responses recorded from real Okta orgs (test/data/okta-recordings/README.md), one per file.

export const RECORDINGS_DIR = resolve(__dirname, '../data/okta-recordings');

/** The org host every recorded Link and href points at. */
export const RECORDED_ORIGIN = 'https://example.okta.com';

export type Json = Record<string, unknown>;

export interface Recording {
  /** `<kind>/<file name>`, for test titles. */
  file: string;
  request: { method: string; path: string; query: string };
  response: { status: number; headers: Record<string, string[]>; body: unknown };
}

/** Every recording of one kind (a directory), in file-name order. */
export function recordingsOf(kind: string): Recording[] {
  const dir = join(RECORDINGS_DIR, kind);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ file: `${kind}/${name}`, ...JSON.parse(readFileSync(join(dir, name), 'utf8')) }) as Recording);
}

/** The body as a list of objects: a list as it is, a single object as a one-item list. */
export function itemsOf(recording: Recording): Json[] {
  const body = recording.response.body;
  return (Array.isArray(body) ? body : [body]) as Json[];
}

/** Recordings answered with 200, the ones a collector reads data from. */
export function successes(kind: string): Recording[] {
  return recordingsOf(kind).filter((r) => r.response.status === 200);
}
