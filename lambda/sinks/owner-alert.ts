import { ACCOUNT_STOP_VERB, type AccountStopEvent, STOPS_AT_ONCE } from '../domain/account-stop-events';
import { type Finding, type ResourceRef, type Severity, severityRank } from '../domain/finding';
import { clip, plural, wrap } from '../text';
import { resourceLabel } from './digest/email';
import { CLIP } from './digest/types';
import type { SnsParts } from './sns-notifier';

// The alert the minute an owner stops: "frank.miller@acme.com was deactivated at 14:02 UTC;
// these 4 integrations stop now", each with what to do. Pure: built from the Okta event and the
// open findings the store holds for that owner.

/** A person reads the first hundred; the rest are in the record (and the JSON body's count). */
const LIST_LIMIT = 100;
const WIDTH = 76;
const SUBJECT_MAX_CHARS = 99;

export interface StoppedIntegration {
  resource: ResourceRef;
  severity: Severity;
  ruleIds: string[];
  /** Each failing rule's fix, once. */
  remediations: string[];
}

export interface OwnerAlertInput {
  org: string;
  event: AccountStopEvent;
  /** The owner's open findings (FAIL or UNKNOWN) in the latest recorded scans. */
  findings: readonly Finding[];
  recordPointer: string;
}

export interface OwnerAlertJson {
  schemaVersion: 1;
  kind: 'owner-stopped';
  org: string;
  event: { uuid: string; eventType: string; published: string };
  user: { id: string; login: string | null };
  integrations: {
    type: string;
    id: string;
    name: string;
    severity: Severity;
    ruleIds: string[];
    remediations: string[];
  }[];
  omitted: number;
  recordPointer: string;
}

/** One entry per integration (several rules may flag the same token), most severe first. */
export function stoppedIntegrations(findings: readonly Finding[]): StoppedIntegration[] {
  const byResource = new Map<string, StoppedIntegration>();
  for (const f of findings) {
    const key = `${f.resource.type}/${f.resource.id}`;
    const entry = byResource.get(key) ?? { resource: f.resource, severity: f.severity, ruleIds: [], remediations: [] };
    if (severityRank(f.severity) < severityRank(entry.severity)) entry.severity = f.severity;
    if (!entry.ruleIds.includes(f.ruleId)) entry.ruleIds.push(f.ruleId);
    if (!entry.remediations.includes(f.remediation)) entry.remediations.push(f.remediation);
    byResource.set(key, entry);
  }
  return [...byResource.values()].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      a.resource.type.localeCompare(b.resource.type) ||
      a.resource.name.localeCompare(b.resource.name),
  );
}

/** "14:02 UTC on 2026-11-29": the event's own time, not when the alert was sent. */
function when(published: string): string {
  const at = new Date(published);
  return `${at.toISOString().slice(11, 16)} UTC on ${at.toISOString().slice(0, 10)}`;
}

/** What happens to the integrations: "these 4 integrations stop now", or, locked out, that they run on it. */
function effect(event: AccountStopEvent, count: number): string {
  if (STOPS_AT_ONCE[event.eventType]) {
    return count === 1 ? 'this integration stops now' : `these ${count} integrations stop now`;
  }
  return count === 1 ? 'this integration runs on the account' : `these ${count} integrations run on the account`;
}

function headline(event: AccountStopEvent, count: number): string {
  const who = clip(event.account.login ?? event.account.id, CLIP.name);
  return `${who} was ${ACCOUNT_STOP_VERB[event.eventType]} at ${when(event.published)}; ${effect(event, count)}`;
}

const LOCKED_OUT_NOTE =
  'API tokens (and AD agents before 3.18.0, which run on one) keep working while the account is locked ' +
  'out: Okta still counts it as active. Okta documents nothing for Workflows and provisioning ' +
  'connections. A lock-out often comes before a suspension: move these integrations to a service ' +
  'account, or unlock the account if it should stay.';

function block(index: number, item: StoppedIntegration): string[] {
  return [
    ...wrap(`${index}. [${item.severity.toUpperCase()}] ${resourceLabel(item.resource)}`, WIDTH, '', '   '),
    ...wrap(`Rules: ${item.ruleIds.map((id) => clip(id, CLIP.id)).join(', ')}`, WIDTH, '   ', '     '),
    ...item.remediations.flatMap((fix) => wrap(`Fix: ${clip(fix, CLIP.text)}`, WIDTH, '   ', '     ')),
  ];
}

function subject(org: string, event: AccountStopEvent, count: number): string {
  const who = event.account.login ?? event.account.id;
  const one = count === 1;
  const tail = STOPS_AT_ONCE[event.eventType] ? (one ? 'stops now' : 'stop now') : one ? 'runs on it' : 'run on it';
  const text = `${who} was ${ACCOUNT_STOP_VERB[event.eventType]}; ${plural(count, 'integration')} ${tail}`;
  return clip(`[okta-scan] ${org.replace(/[^\x20-\x7e]/g, '?')}: ${text}`, SUBJECT_MAX_CHARS);
}

export function buildOwnerAlert(input: OwnerAlertInput): SnsParts & { json: OwnerAlertJson } {
  const { event } = input;
  const org = clip(input.org, CLIP.org);
  const items = stoppedIntegrations(input.findings);
  const shown = items.slice(0, LIST_LIMIT);
  const email = [
    ...wrap(`${headline(event, items.length)}.`, WIDTH),
    ...(STOPS_AT_ONCE[event.eventType] ? [] : ['', ...wrap(LOCKED_OUT_NOTE, WIDTH)]),
    '',
    `Okta org: ${org}`,
    `Event:    ${event.eventType}, ${clip(event.published, 40)}`,
    `          (System Log uuid ${clip(event.uuid, CLIP.id)})`,
    '',
    ...shown.flatMap((item, i) => [...block(i + 1, item), '']),
    ...(items.length > shown.length ? [`… and ${items.length - shown.length} more: see the full record.`, ''] : []),
    'FULL RECORD',
    ...wrap(clip(input.recordPointer, CLIP.pointer), WIDTH, '  ', '  '),
  ];
  const json: OwnerAlertJson = {
    schemaVersion: 1,
    kind: 'owner-stopped',
    org,
    event: { uuid: clip(event.uuid, CLIP.id), eventType: event.eventType, published: clip(event.published, 40) },
    user: { id: clip(event.account.id, CLIP.id), login: event.account.login && clip(event.account.login, CLIP.name) },
    integrations: shown.map((item) => ({
      type: item.resource.type,
      id: clip(item.resource.id, CLIP.id),
      name: clip(item.resource.name, CLIP.name),
      severity: item.severity,
      ruleIds: item.ruleIds.map((id) => clip(id, CLIP.id)),
      remediations: item.remediations.map((fix) => clip(fix, CLIP.text)),
    })),
    omitted: items.length - shown.length,
    recordPointer: clip(input.recordPointer, CLIP.pointer),
  };
  return {
    subject: subject(org, event, items.length),
    email: `${email.join('\n')}\n`,
    json,
    attributes: { org: org || 'unknown', status: 'owner-stopped', severity: items[0]?.severity ?? 'none' },
  };
}
