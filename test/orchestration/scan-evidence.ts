import type { FakeOkta } from '../../fake-okta/types';
import { parseConfig } from '../../lambda/config';
import { EMPTY_LEDGER } from '../../lambda/domain/ledger';
import { scanWithLedger } from '../../lambda/ledger-scan';
import { requestKey } from '../support/request-log';
import type { RunningS3 } from '../support/s3-server';

// What a state machine test compares: the requests the fake Okta server answered, the answers a
// run saved in its checkpoint, the findings its Finish step exported, and one uninterrupted scan
// of the same org.

/** The same for a journal key, `"<METHOD> <full url>"`. */
function journalRequestKey(key: string): string {
  const [method, url] = key.split(' ');
  const { pathname, searchParams } = new URL(url);
  return requestKey({ method, path: pathname, query: Object.fromEntries(searchParams) });
}

/** Every key that comes again after its first time. */
export const duplicates = (keys: readonly string[]): string[] => keys.filter((key, i) => keys.indexOf(key) !== i);

/** The answers saved so far in the org's checkpoints (checkpoints/<org>/<runId>/answers/), as request keys. */
export async function savedAnswers(s3: RunningS3, org: string): Promise<string[]> {
  const keys = (await s3.keys()).filter((key) => key.startsWith(`checkpoints/${org}/`) && key.includes('/answers/'));
  const segments = await Promise.all(keys.map(async (key) => JSON.parse((await s3.read(key)).body)));
  return segments.flatMap((segment) => Object.keys(segment)).map(journalRequestKey);
}

/** Each finding's id and verdict in the JSON report the Finish step exported. */
export async function exportedFindings(s3: RunningS3, host: string, scanId: string): Promise<string[]> {
  const { body } = await s3.read(`scans/${host}/${scanId}.json`);
  return (JSON.parse(body) as { findings: { id: string; status: string }[] }).findings
    .map((f) => `${f.id} ${f.status}`)
    .sort();
}

/**
 * One uninterrupted scan of the org, in process, on the path the function takes (the org's
 * ledger, here empty as for a first scan) at the run's evaluation time: its findings and requests.
 */
export async function uninterruptedScan(
  fake: FakeOkta,
  token: string,
  now: string,
): Promise<{ findings: string[]; requests: string[] }> {
  fake.resetRequests();
  const { report } = await scanWithLedger(
    { connection: { orgUrl: fake.url, auth: { kind: 'token', token } }, config: parseConfig({}), now: new Date(now) },
    { store: { loadLedger: async () => EMPTY_LEDGER, saveLedger: async () => {} }, save: false },
  );
  return {
    findings: report.findings.map((f) => `${f.id} ${f.status}`).sort(),
    requests: fake.requests.map(requestKey),
  };
}
