import { clip } from '../../text';
import type { PersonAtRisk } from '../report-people';
import { resolvedBlock, suppressionBlock, violationBlock } from './email';
import { fitToSns } from './fit-to-sns';
import { toItem } from './json-body';
import { selectDigest } from './selection';
import { buildSubject } from './subject';
import { CLIP, type Digest, type DigestContext, type DigestInput, type DigestPerson } from './types';

// The change digest a scan announces over SNS: a plain-text email for people, a JSON body for
// machines, a subject and filterable attributes. Pure: everything it says comes from its input.

export { EMAIL_LIST_LIMIT } from './email';
export { SNS_MAX_MESSAGE_BYTES, type SnsParts, snsMessage, snsMessageBytes } from './fit-to-sns';
export { SUBJECT_MAX_CHARS } from './subject';
export type {
  Digest,
  DigestInput,
  DigestItem,
  DigestJson,
  DigestPerson,
  DigestStatus,
  ExpiringSuppression,
} from './types';

const MAX_ERRORS = 50;
/** A short list: the few people to call first; the full view is `okta-scan people`. */
export const DIGEST_PEOPLE_LIMIT = 5;

function digestPerson(p: PersonAtRisk): DigestPerson {
  return {
    owner: clip(p.owner.login ?? p.owner.id, CLIP.name),
    kind: p.owner.kind,
    status: p.owner.status === null ? null : clip(p.owner.status, CLIP.id),
    integrations: p.integrations,
    bySeverity: p.bySeverity,
  };
}

export function buildDigest(input: DigestInput): Digest {
  const selected = selectDigest(input);
  const { status, scan, errors, violations, resolved, counts, severity, people } = selected;
  const expiring = selected.expiring.map((s) => ({
    ruleId: clip(s.ruleId, CLIP.id),
    resourceId: clip(s.resourceId, CLIP.id),
    reason: clip(s.reason, CLIP.text),
    expires: clip(s.expires, 40),
  }));
  const org = clip(scan.org, CLIP.org);
  const scanId = clip(scan.scanId, CLIP.scanId);
  const ctx: DigestContext = {
    org,
    scanId,
    startedAt: clip(scan.startedAt, 40),
    finishedAt: clip(scan.finishedAt, 40),
    status,
    failure: input.failure === undefined ? null : clip(input.failure, CLIP.failure) || 'no reason recorded',
    errors: errors.slice(0, MAX_ERRORS).map((e) => ({
      source: clip(e.source, CLIP.name),
      message: clip(e.message, CLIP.text),
      ...(e.requiredScope === undefined ? {} : { requiredScope: clip(e.requiredScope, CLIP.name) }),
    })),
    errorsOmitted: Math.max(0, errors.length - MAX_ERRORS),
    severity,
    counts,
    pointer: input.recordPointer ? clip(input.recordPointer, CLIP.pointer) : `the scan history, scan ${scanId}`,
    hasPointer: Boolean(input.recordPointer),
    people: {
      shown: people.slice(0, DIGEST_PEOPLE_LIMIT).map(digestPerson),
      more: Math.max(0, people.length - DIGEST_PEOPLE_LIMIT),
    },
    reportPage: input.reportPage
      ? { uri: clip(input.reportPage.uri, CLIP.pointer), consoleUrl: clip(input.reportPage.consoleUrl, CLIP.pointer) }
      : null,
    lists: [
      { blocks: violations.map(violationBlock), items: violations.map(toItem) },
      { blocks: resolved.map(resolvedBlock), items: resolved.map(toItem) },
      { blocks: expiring.map(suppressionBlock), items: expiring },
    ],
  };
  const subject = buildSubject(org, status, counts, violations, errors.length);
  const attributes = { org: org || 'unknown', status, severity };
  return fitToSns(ctx, subject, attributes);
}
