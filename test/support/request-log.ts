import type { RecordedRequest } from '../../fake-okta/types';

/** A request as the fake Okta server logged it, `METHOD path?query` with the query sorted: one key per page. */
export function requestKey(r: Pick<RecordedRequest, 'method' | 'path' | 'query'>): string {
  const query = new URLSearchParams(r.query);
  query.sort();
  return `${r.method} ${r.path}?${query}`;
}
