import type { Finding, Report, ResourceRef, ScanError, Severity } from '../domain/finding';
import { RESOURCE_TYPES, severityRank } from '../domain/finding';
import type { FindingChange, FindingState } from '../domain/history';
import { EXPIRY_NOTICE_DAYS, expiringWithin } from '../suppressions';

// The change digest a scan announces over SNS: a plain-text email for people, a JSON body for
// machines, a subject and filterable attributes. Pure: everything it says comes from its input.

/** SNS's hard limit for one message, attributes included (bytes, UTF-8). */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** SNS does not document exactly how it counts attributes; stay clear of the edge. */
const SIZE_HEADROOM_BYTES = 1_024;
/** SNS: subjects must be "less than 100 characters long". */
export const SUBJECT_MAX_CHARS = 99;
/** A person reads the first hundred entries of a section; the rest are in the full record. */
export const EMAIL_LIST_LIMIT = 100;

const EMAIL_WIDTH = 76;
const MAX_ERRORS = 50;
// Caps on free text, so that even an empty digest always fits in one message.
const CLIP = { org: 253, scanId: 128, text: 600, name: 160, id: 200, pointer: 400, failure: 1_000 } as const;

export type NotifyMode = 'changes' | 'always';
export type DigestStatus = 'complete' | 'incomplete' | 'failed';

export interface ExpiringSuppression {
  ruleId: string;
  resourceId: string;
  reason: string;
  expires: string;
}

export interface DigestInput {
  report: Report;
  changes: FindingChange[];
  /** Violations still open after this scan (from the store); defaults to the report's FAIL count. */
  openCount?: number;
  /** Filtered here to those expiring within 14 days of the scan. */
  expiringSuppressions: ExpiringSuppression[];
  /** Where the full record is, e.g. "DynamoDB table X, scan <id>". */
  recordPointer?: string;
  /** A scan that crashed: why (no secret). */
  failure?: string;
}

export interface DigestItem {
  id: string;
  ruleId: string;
  severity: Severity;
  state: FindingState;
  resource: ResourceRef;
  /** The owner's login, else their user id. */
  owner: string | null;
}

/** The SNS `default` body. */
export interface DigestJson {
  schemaVersion: 1;
  scanId: string;
  org: string;
  startedAt: string;
  finishedAt: string;
  status: DigestStatus;
  failure: string | null;
  errors: ScanError[];
  /** The highest severity among new and regressed violations. */
  severity: Severity | 'none';
  /** `open` is null for a failed scan when the store could not say. */
  counts: Record<FindingState, number> & { open: number | null; unknown: number; expiringSuppressions: number };
  violations: DigestItem[];
  resolved: DigestItem[];
  expiringSuppressions: ExpiringSuppression[];
  /** How many entries each list left out to stay within SNS's size limit. */
  omitted: { errors: number; violations: number; resolved: number; expiringSuppressions: number };
  recordPointer: string | null;
}

export interface Digest {
  subject: string;
  email: string;
  json: DigestJson;
  attributes: { org: string; status: DigestStatus; severity: Severity | 'none' };
}

/** Whether a scan is worth a notification under the configured `notify` mode. */
export function shouldNotify(
  notify: NotifyMode,
  report: Report | null,
  changes: FindingChange[],
  failed: boolean,
): boolean {
  // No report means the scan never finished: always worth saying.
  if (failed || report === null) return true;
  if (notify === 'always') return true;
  if (report.status === 'incomplete') return true;
  return changes.some((c) => isViolation(c) || c.state === 'RESOLVED');
}

/** The bytes SNS counts for a digest: the JSON message, the subject and the attributes. */
export function snsMessageBytes(digest: Digest): number {
  let bytes = Buffer.byteLength(snsMessage(digest)) + Buffer.byteLength(digest.subject);
  for (const [name, value] of Object.entries(digest.attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength('String') + Buffer.byteLength(value);
  }
  return bytes;
}

/** The SNS `Message` for `MessageStructure: 'json'`. */
export function snsMessage(digest: Digest): string {
  return JSON.stringify({ default: JSON.stringify(digest.json), email: digest.email });
}

export function buildDigest(input: DigestInput): Digest {
  const { report } = input;
  const status: DigestStatus = input.failure !== undefined ? 'failed' : report.status;
  const violations = input.changes.filter(isViolation).sort(byImportance);
  const resolved = input.changes.filter((c) => c.state === 'RESOLVED').sort(byImportance);
  const expiring = expiringSoon(input.expiringSuppressions, report)
    .map((s) => ({
      ruleId: clip(s.ruleId, CLIP.id),
      resourceId: clip(s.resourceId, CLIP.id),
      reason: clip(s.reason, CLIP.text),
      expires: clip(s.expires, 40),
    }))
    .sort((a, b) => cmp(a.expires, b.expires) || cmp(a.ruleId, b.ruleId) || cmp(a.resourceId, b.resourceId));
  const severity = violations[0]?.finding.severity ?? 'none';
  const org = clip(report.org, CLIP.org);

  const counts: DigestJson['counts'] = {
    NEW: violations.filter((c) => c.state === 'NEW').length,
    REGRESSED: violations.filter((c) => c.state === 'REGRESSED').length,
    RESOLVED: resolved.length,
    ONGOING: input.changes.filter((c) => c.state === 'ONGOING').length,
    // A failed scan's report saw nothing: its FAIL count is no measure of what is open.
    open: input.openCount ?? (status === 'failed' ? null : report.summary.byStatus.FAIL),
    unknown: report.summary.byStatus.UNKNOWN,
    expiringSuppressions: expiring.length,
  };

  const ctx: Context = {
    org,
    scanId: clip(report.scanId, CLIP.scanId),
    startedAt: clip(report.startedAt, 40),
    finishedAt: clip(report.finishedAt, 40),
    status,
    failure: input.failure === undefined ? null : clip(input.failure, CLIP.failure) || 'no reason recorded',
    errors: report.errors.slice(0, MAX_ERRORS).map((e) => ({
      source: clip(e.source, CLIP.name),
      message: clip(e.message, CLIP.text),
      ...(e.requiredScope === undefined ? {} : { requiredScope: clip(e.requiredScope, CLIP.name) }),
    })),
    errorsOmitted: Math.max(0, report.errors.length - MAX_ERRORS),
    severity,
    counts,
    pointer: input.recordPointer
      ? clip(input.recordPointer, CLIP.pointer)
      : `the scan history, scan ${clip(report.scanId, CLIP.scanId)}`,
    hasPointer: Boolean(input.recordPointer),
    lists: [
      { blocks: violations.map(violationBlock), items: violations.map(toItem) },
      { blocks: resolved.map(resolvedBlock), items: resolved.map(toItem) },
      { blocks: expiring.map(suppressionBlock), items: expiring },
    ],
  };
  const subject = buildSubject(org, status, counts, violations, report.errors.length);
  const attributes = { org: org || 'unknown', status, severity };
  return fitToSns(ctx, subject, attributes);
}

// ---- sizing -------------------------------------------------------------------------------

interface Context {
  org: string;
  scanId: string;
  startedAt: string;
  finishedAt: string;
  status: DigestStatus;
  failure: string | null;
  errors: ScanError[];
  errorsOmitted: number;
  severity: Severity | 'none';
  counts: DigestJson['counts'];
  pointer: string;
  hasPointer: boolean;
  /** In priority order: violations, resolved, expiring suppressions. */
  lists: [List<DigestItem>, List<DigestItem>, List<ExpiringSuppression>];
}

interface List<T> {
  /** Each entry pre-rendered for the email. */
  blocks: string[];
  items: T[];
}

type Limits = [number, number, number];

/**
 * Cuts the lists so the whole message stays under SNS's limit, in a bounded number of steps:
 * the email keeps up to EMAIL_LIST_LIMIT entries per section and has first claim on the space,
 * the JSON takes what is left; each is cut by a binary search on how many entries it keeps,
 * most important first. Free text is clipped beforehand, so an empty digest always fits.
 */
function fitToSns(ctx: Context, subject: string, attributes: Digest['attributes']): Digest {
  const budget = SNS_MAX_MESSAGE_BYTES - SIZE_HEADROOM_BYTES;
  const sizes = ctx.lists.map((l) => l.items.length) as Limits;
  const none: Limits = [0, 0, 0];
  const assemble = (email: Limits, json: Limits): Digest => ({
    subject,
    email: renderEmail(ctx, email),
    json: renderJson(ctx, json),
    attributes,
  });
  const fits = (email: Limits, json: Limits): boolean => snsMessageBytes(assemble(email, json)) <= budget;

  let emailLimits = sizes.map((n) => Math.min(n, EMAIL_LIST_LIMIT)) as Limits;
  let jsonLimits = sizes;
  if (!fits(emailLimits, jsonLimits)) {
    if (!fits(emailLimits, none)) {
      const cap = emailLimits;
      const keep = largestFitting(sum(cap), (n) => fits(fill(n, cap), none));
      emailLimits = fill(keep, cap);
    }
    const keep = largestFitting(sum(sizes), (n) => fits(emailLimits, fill(n, sizes)));
    jsonLimits = fill(keep, sizes);
  }
  const digest = assemble(emailLimits, jsonLimits);
  if (snsMessageBytes(digest) <= budget) return digest;
  // Unreachable with the clipping above; kept so the limit holds whatever the input.
  const empty = renderJson(ctx, none);
  return {
    subject,
    email: `${header(ctx).join('\n')}\n\nThis digest was too large to send. See the full record: ${ctx.pointer}\n`,
    json: { ...empty, errors: [], omitted: { ...empty.omitted, errors: ctx.errors.length + ctx.errorsOmitted } },
    attributes,
  };
}

/** The largest n in [0, max] for which `fits(n)` holds (0 when none does). */
function largestFitting(max: number, fits: (n: number) => boolean): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Hands out n entries to the lists in priority order, each up to its cap. */
function fill(n: number, caps: Limits): Limits {
  let left = n;
  return caps.map((cap) => {
    const take = Math.min(cap, left);
    left -= take;
    return take;
  }) as Limits;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

// ---- the JSON body ------------------------------------------------------------------------

function renderJson(ctx: Context, limits: Limits): DigestJson {
  const [violations, resolved, expiring] = ctx.lists;
  return {
    schemaVersion: 1,
    scanId: ctx.scanId,
    org: ctx.org,
    startedAt: ctx.startedAt,
    finishedAt: ctx.finishedAt,
    status: ctx.status,
    failure: ctx.failure,
    errors: ctx.errors,
    severity: ctx.severity,
    counts: ctx.counts,
    violations: violations.items.slice(0, limits[0]),
    resolved: resolved.items.slice(0, limits[1]),
    expiringSuppressions: expiring.items.slice(0, limits[2]),
    omitted: {
      errors: ctx.errorsOmitted,
      violations: violations.items.length - limits[0],
      resolved: resolved.items.length - limits[1],
      expiringSuppressions: expiring.items.length - limits[2],
    },
    recordPointer: ctx.hasPointer ? ctx.pointer : null,
  };
}

function toItem(change: FindingChange): DigestItem {
  const f = change.finding;
  return {
    id: clip(f.id, CLIP.id),
    ruleId: clip(f.ruleId, CLIP.id),
    severity: f.severity,
    state: change.state,
    resource: { type: f.resource.type, id: clip(f.resource.id, CLIP.id), name: clip(f.resource.name, CLIP.name) },
    owner: f.owner ? clip(f.owner.login ?? f.owner.id, CLIP.name) : null,
  };
}

// ---- the email ----------------------------------------------------------------------------

function renderEmail(ctx: Context, limits: Limits): string {
  const [violations, resolved, expiring] = ctx.lists;
  const out: string[] = [...header(ctx), ''];

  if (ctx.status === 'failed') {
    out.push('THE SCAN FAILED', ...wrap(ctx.failure ?? '', '  ', '  '));
    out.push(
      ...wrap(
        'Nothing was checked, so nothing was marked resolved: the violations found by earlier scans stay open ' +
          'until a scan completes.',
      ),
      '',
    );
  }
  if (ctx.errors.length > 0) {
    out.push(`WHAT COULD NOT BE READ (${plural(ctx.errors.length + ctx.errorsOmitted, 'source')})`);
    for (const error of ctx.errors) {
      out.push(...wrap(`${error.source}: ${error.message}`, '- ', '  '));
      if (error.requiredScope) {
        out.push(...wrap(`Required scope: ${error.requiredScope} (grant it to the scanner's Okta app)`, '  ', '  '));
      }
    }
    if (ctx.errorsOmitted > 0) out.push(...more(ctx.errorsOmitted, 'source', ctx.pointer));
    out.push(
      ...wrap(
        'Nothing in these sources was marked resolved: the rules that need them report UNKNOWN for what they ' +
          'could not see, and violations found there before stay open until a scan can read them again.',
      ),
      '',
    );
  }

  // A failed scan only lists what it has; a finished one always says where things stand.
  const failed = ctx.status === 'failed';
  if (!failed || violations.blocks.length > 0) {
    section(out, 'NEW AND REGRESSED VIOLATIONS', violations.blocks, limits[0], 'violation', ctx.pointer);
  }
  if (!failed || resolved.blocks.length > 0) {
    section(out, 'RESOLVED', resolved.blocks, limits[1], 'resolved violation', ctx.pointer);
  }
  if (ctx.counts.open !== null) {
    const open = ctx.counts.open;
    const shown = ctx.counts.NEW + ctx.counts.REGRESSED > 0 && open > 0;
    out.push('STILL OPEN');
    out.push(
      ...wrap(
        `${plural(open, 'violation')} ${open === 1 ? 'is' : 'are'} still open` +
          `${shown ? ', counting the new and regressed ones above' : ''}.`,
      ),
    );
    if (ctx.counts.unknown > 0) {
      out.push(...wrap(`${plural(ctx.counts.unknown, 'check')} could not be made (UNKNOWN): see the full record.`));
    }
    out.push('');
  }
  if (expiring.blocks.length > 0) {
    section(
      out,
      `SUPPRESSIONS EXPIRING WITHIN ${EXPIRY_NOTICE_DAYS} DAYS`,
      expiring.blocks,
      limits[2],
      'suppression',
      ctx.pointer,
      'Once a suppression expires, its finding is reported again. Renew it in the config with a new reason ' +
        'and date, or fix the finding.',
    );
  }

  out.push('FULL RECORD', ...wrap(ctx.pointer, '  ', '  '));
  return `${out.join('\n')}\n`;
}

function header(ctx: Context): string[] {
  const lines = [
    `Okta ownership scan of ${ctx.org}`,
    `Scan:     ${ctx.scanId}`,
    `Finished: ${ctx.finishedAt}`,
    `Status:   ${ctx.status.toUpperCase()}`,
  ];
  if (ctx.status === 'failed') return lines;
  const parts = [`${plural(ctx.counts.NEW + ctx.counts.REGRESSED, 'new or regressed violation')}`];
  if (ctx.severity !== 'none') {
    const top = ctx.lists[0].items.filter((i) => i.severity === ctx.severity).length;
    parts[0] += ` (${top} ${ctx.severity})`;
  }
  parts.push(`${ctx.counts.RESOLVED} resolved`);
  if (ctx.counts.open !== null) parts.push(`${ctx.counts.open} still open`);
  return [...lines, '', ...wrap(`${parts.join(', ')}.`)];
}

function section(
  out: string[],
  title: string,
  blocks: string[],
  limit: number,
  noun: string,
  pointer: string,
  footer?: string,
): void {
  out.push(`${title} (${blocks.length})`);
  if (blocks.length === 0) out.push('None.');
  for (const block of blocks.slice(0, limit)) out.push(block);
  if (blocks.length > limit) out.push(...more(blocks.length - limit, noun, pointer));
  if (footer) out.push(...wrap(footer));
  out.push('');
}

function more(n: number, noun: string, pointer: string): string[] {
  return wrap(`… and ${n} more ${n === 1 ? noun : `${noun}s`}, in the full record: ${pointer}`);
}

function violationBlock(change: FindingChange): string {
  const f = change.finding;
  const state = change.state === 'REGRESSED' ? `REGRESSED (first seen ${day(change.firstSeen)})` : 'NEW';
  return [
    `- [${f.severity.toUpperCase()}] ${state}: ${clip(f.ruleId, CLIP.id)}`,
    ...wrap(resourceLabel(f.resource), '  ', '  '),
    ...wrap(clip(f.message, CLIP.text), '  ', '  '),
    ...wrap(`Owner: ${ownerLabel(f)}`, '  ', '    '),
    ...wrap(`Fix: ${clip(f.remediation, CLIP.text)}`, '  ', '    '),
  ].join('\n');
}

function resolvedBlock(change: FindingChange): string {
  const f = change.finding;
  return [
    `- [${f.severity.toUpperCase()}] ${clip(f.ruleId, CLIP.id)}`,
    ...wrap(`${resourceLabel(f.resource)}, owner ${ownerLabel(f)}`, '  ', '  '),
    `  Failing from ${day(change.firstSeen)} to ${day(change.lastSeen)}`,
  ].join('\n');
}

function suppressionBlock(s: ExpiringSuppression): string {
  return [
    ...wrap(`${s.ruleId} on ${s.resourceId}: expires ${s.expires}`, '- ', '  '),
    ...wrap(`Reason: ${s.reason}`, '  ', '    '),
  ].join('\n');
}

function resourceLabel(resource: ResourceRef): string {
  const label = RESOURCE_TYPES[resource.type]?.label ?? resource.type;
  // A line of its own starts with a capital: "App provisioning", "API token".
  return `${label.charAt(0).toUpperCase()}${label.slice(1)} "${clip(resource.name, CLIP.name)}" (${clip(resource.id, CLIP.id)})`;
}

function ownerLabel(f: Finding): string {
  if (!f.owner) return 'none recorded';
  const who = clip(f.owner.login ?? f.owner.id, CLIP.name);
  return `${who} (${f.owner.status ?? 'status unknown'}, ${f.owner.kind})`;
}

/** Word-wraps to EMAIL_WIDTH columns; a word longer than a line (a URL, an id) stays whole. */
function wrap(text: string, first = '', rest = first): string[] {
  const lines: string[] = [];
  let prefix = first;
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && prefix.length + line.length + 1 + word.length > EMAIL_WIDTH) {
      lines.push(prefix + line);
      prefix = rest;
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line || lines.length === 0) lines.push(prefix + line);
  return lines;
}

// ---- the subject --------------------------------------------------------------------------

function buildSubject(
  org: string,
  status: DigestStatus,
  counts: DigestJson['counts'],
  violations: FindingChange[],
  sourcesNotRead: number,
): string {
  const prefix = '[okta-scan] ';
  const candidates = status === 'failed' ? ['scan failed'] : subjectTexts(status, counts, violations, sourcesNotRead);
  const safeOrg = org.replace(/[^\x20-\x7e]/g, '?') || 'unknown org';
  const room = (text: string): number => SUBJECT_MAX_CHARS - prefix.length - ': '.length - text.length;
  // The most detailed text that leaves the org at least 20 characters; the org is cut to fit.
  const text = candidates.find((c) => room(c) >= Math.min(safeOrg.length, 20)) ?? candidates[candidates.length - 1];
  const space = room(text);
  const shownOrg = safeOrg.length <= space ? safeOrg : `${safeOrg.slice(0, Math.max(0, space - 3))}...`;
  return `${prefix}${shownOrg}: ${text}`.slice(0, SUBJECT_MAX_CHARS);
}

/** What the subject says after the org, from most to least detailed. */
function subjectTexts(
  status: DigestStatus,
  counts: DigestJson['counts'],
  violations: FindingChange[],
  sourcesNotRead: number,
): string[] {
  const found = counts.NEW + counts.REGRESSED;
  const top = violations[0]?.finding.severity;
  const sev = top ? ` (${violations.filter((c) => c.finding.severity === top).length} ${top})` : '';
  const found0 =
    counts.REGRESSED === 0
      ? `${plural(counts.NEW, 'new violation')}${sev}`
      : counts.NEW === 0
        ? `${plural(counts.REGRESSED, 'regressed violation')}${sev}`
        : `${counts.NEW} new, ${plural(counts.REGRESSED, 'regressed violation')}${sev}`;
  const found1 = `${plural(found, 'new violation')}${sev}`;
  const resolved = found > 0 ? `${counts.RESOLVED} resolved` : `${plural(counts.RESOLVED, 'violation')} resolved`;
  const incomplete =
    status === 'incomplete' ? [`scan incomplete: ${plural(sourcesNotRead, 'source')} not read`, 'scan incomplete'] : [];
  const compose = (main: (string | false)[], tail: string | undefined): string =>
    [main.filter(Boolean).join(', '), tail].filter(Boolean).join('; ');

  if (found === 0 && counts.RESOLVED === 0 && incomplete.length === 0) {
    return counts.open === null ? ['no changes'] : [`no changes, ${counts.open} still open`, 'no changes'];
  }
  const withResolved = counts.RESOLVED > 0 && resolved;
  return [
    compose([found > 0 && found0, withResolved], incomplete[0]),
    compose([found > 0 && found1, withResolved], incomplete[0]),
    compose([found > 0 && found1, found === 0 && withResolved], incomplete[0]),
    compose([found > 0 && found1, found === 0 && withResolved], incomplete[1]),
  ];
}

// ---- helpers ------------------------------------------------------------------------------

/** A new or regressed FAIL: what a person has to act on. */
function isViolation(change: FindingChange): boolean {
  return (change.state === 'NEW' || change.state === 'REGRESSED') && change.finding.status === 'FAIL';
}

function byImportance(a: FindingChange, b: FindingChange): number {
  return (
    severityRank(a.finding.severity) - severityRank(b.finding.severity) ||
    cmp(a.finding.ruleId, b.finding.ruleId) ||
    cmp(a.finding.resource.id, b.finding.resource.id) ||
    cmp(a.finding.id, b.finding.id)
  );
}

/** Suppressions still in force when the scan finished that lapse within the notice window. */
function expiringSoon(suppressions: readonly ExpiringSuppression[], report: Report): ExpiringSuppression[] {
  const now = Date.parse(report.finishedAt) || Date.parse(report.startedAt);
  if (Number.isNaN(now)) return [...suppressions];
  return expiringWithin(suppressions, new Date(now), EXPIRY_NOTICE_DAYS);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  // Never split a surrogate pair.
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}
