import type { Finding, ResourceRef } from '../../domain/finding';
import { RESOURCE_TYPES, SEVERITIES } from '../../domain/finding';
import type { FindingChange } from '../../domain/history';
import { EXPIRY_NOTICE_DAYS } from '../../suppressions';
import { clip, plural, wrap as wrapTo } from '../../text';
import { CLIP, type DigestContext, type ExpiringSuppression, type Limits } from './types';

// The plain-text email: a header, what failed or could not be read, the violations, what was
// resolved, what stays open and the suppressions about to lapse, in 76 columns.

/** A person reads the first hundred entries of a section; the rest are in the full record. */
export const EMAIL_LIST_LIMIT = 100;

const EMAIL_WIDTH = 76;

function wrap(text: string, first = '', rest = first): string[] {
  return wrapTo(text, EMAIL_WIDTH, first, rest);
}

export function renderEmail(ctx: DigestContext, limits: Limits): string {
  const [violations, resolved, expiring] = ctx.lists;
  const out: string[] = [...header(ctx), ''];

  out.push(...failureSection(ctx), ...unreadSection(ctx));

  // A failed scan only lists what it has; a finished one always says where things stand.
  const failed = ctx.status === 'failed';
  if (!failed || violations.blocks.length > 0) {
    section(out, 'NEW AND REGRESSED VIOLATIONS', violations.blocks, limits[0], 'violation', ctx.pointer);
  }
  out.push(...peopleSection(ctx));
  if (!failed || resolved.blocks.length > 0) {
    section(out, 'RESOLVED', resolved.blocks, limits[1], 'resolved violation', ctx.pointer);
  }
  out.push(...stillOpenSection(ctx));
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
  if (ctx.reportPage) out.push('', 'REPORT PAGE', ...reportPageLines(ctx.reportPage));
  return `${out.join('\n')}\n`;
}

function failureSection(ctx: DigestContext): string[] {
  if (ctx.status !== 'failed') return [];
  return [
    'THE SCAN FAILED',
    ...wrap(ctx.failure ?? '', '  ', '  '),
    ...wrap(
      'Nothing was checked, so nothing was marked resolved: the violations found by earlier scans stay open ' +
        'until a scan completes.',
    ),
    '',
  ];
}

function unreadSection(ctx: DigestContext): string[] {
  if (ctx.errors.length === 0) return [];
  const out = [`WHAT COULD NOT BE READ (${plural(ctx.errors.length + ctx.errorsOmitted, 'source')})`];
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
  return out;
}

/** Who to call first: the owners the new and regressed violations rest on, most breaking first. */
function peopleSection(ctx: DigestContext): string[] {
  const { shown, more } = ctx.people;
  if (shown.length === 0) return [];
  const out = [`WHO THESE DEPEND ON (${people(shown.length + more)}, most breaking first)`];
  for (const p of shown) {
    const counts = SEVERITIES.filter((s) => p.bySeverity[s] > 0).map((s) => `${p.bySeverity[s]} ${s}`);
    const who = `${p.owner} (${p.status ?? 'status unknown'}, ${p.kind})`;
    out.push(...wrap(`${who}: ${plural(p.integrations, 'integration')}, ${counts.join(', ')}`, '- ', '  '));
  }
  if (more > 0) out.push(...wrap(`… and ${more} more: okta-scan people lists everyone.`));
  out.push('');
  return out;
}

function people(n: number): string {
  return n === 1 ? '1 person' : `${n} people`;
}

function stillOpenSection(ctx: DigestContext): string[] {
  const open = ctx.counts.open;
  if (open === null) return [];
  const shown = ctx.counts.NEW + ctx.counts.REGRESSED > 0 && open > 0;
  const out = [
    'STILL OPEN',
    ...wrap(
      `${plural(open, 'violation')} ${open === 1 ? 'is' : 'are'} still open` +
        `${shown ? ', counting the new and regressed ones above' : ''}.`,
    ),
  ];
  if (ctx.counts.unknown > 0) {
    out.push(...wrap(`${plural(ctx.counts.unknown, 'check')} could not be made (UNKNOWN): see the full record.`));
  }
  out.push('');
  return out;
}

export function header(ctx: DigestContext): string[] {
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

/** URIs are not wrapped: a mail client then still links the whole of them. */
function reportPageLines(page: { uri: string; consoleUrl: string }): string[] {
  return [`  ${page.uri}`, `  ${page.consoleUrl}`];
}

function more(n: number, noun: string, pointer: string): string[] {
  return wrap(`… and ${n} more ${n === 1 ? noun : `${noun}s`}, in the full record: ${pointer}`);
}

export function violationBlock(change: FindingChange): string {
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

export function resolvedBlock(change: FindingChange): string {
  const f = change.finding;
  return [
    `- [${f.severity.toUpperCase()}] ${clip(f.ruleId, CLIP.id)}`,
    ...wrap(`${resourceLabel(f.resource)}, owner ${ownerLabel(f)}`, '  ', '  '),
    `  Failing from ${day(change.firstSeen)} to ${day(change.lastSeen)}`,
  ].join('\n');
}

export function suppressionBlock(s: ExpiringSuppression): string {
  return [
    ...wrap(`${s.ruleId} on ${s.resourceId}: expires ${s.expires}`, '- ', '  '),
    ...wrap(`Reason: ${s.reason}`, '  ', '    '),
  ].join('\n');
}

export function resourceLabel(resource: ResourceRef): string {
  const label = RESOURCE_TYPES[resource.type]?.label ?? resource.type;
  // A line of its own starts with a capital: "App provisioning", "API token".
  return `${label.charAt(0).toUpperCase()}${label.slice(1)} "${clip(resource.name, CLIP.name)}" (${clip(resource.id, CLIP.id)})`;
}

function ownerLabel(f: Finding): string {
  if (!f.owner) return 'none recorded';
  const who = clip(f.owner.login ?? f.owner.id, CLIP.name);
  return `${who} (${f.owner.status ?? 'status unknown'}, ${f.owner.kind})`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}
