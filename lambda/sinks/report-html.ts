import { createHash } from 'node:crypto';
import {
  type Finding,
  type FindingOwner,
  RESOURCE_TYPES,
  type Report,
  type ResourceType,
  SEVERITIES,
  VERDICTS,
} from '../domain/finding';
import type { Rule } from '../domain/rule';
import { escapeHtml as esc, jsonForScript } from './html-escape';
import { REPORT_CSS, REPORT_SCRIPT } from './report-html-assets';
import { peopleAtRisk } from './report-people';

// The report for a security team: one self-contained page (inline style and script, nothing
// fetched from anywhere, so it works offline and as a mail attachment). Every value from Okta is
// escaped, and the page's Content-Security-Policy runs only its own script, by hash, as a second
// line of defence.

export interface HtmlOptions {
  /** A rule's title and references, for each group's heading. */
  describeRule?: (ruleId: string) => Pick<Rule, 'title' | 'references'> | undefined;
}

interface UnreadSource {
  source: string;
  reason: string;
  requiredScope?: string;
}

const NO_OWNER = '(no owner)';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function ownerKey(owner: FindingOwner | null): string {
  return owner ? (owner.login ?? owner.id) : NO_OWNER;
}

function kindLabel(type: ResourceType): string {
  return RESOURCE_TYPES[type]?.label ?? type;
}

/** Sources the findings say were not available in this org (UNKNOWN, not a failed read). */
function unavailableSources(report: Report): UnreadSource[] {
  const failed = new Set(report.errors.map((e) => e.source));
  const seen = new Map<string, UnreadSource>();
  for (const f of report.findings) {
    const source = f.evidence.unreadSource;
    if (f.status !== 'UNKNOWN' || typeof source !== 'string' || failed.has(source) || seen.has(source)) continue;
    const reason = typeof f.evidence.reason === 'string' ? f.evidence.reason : f.message;
    seen.set(source, { source, reason });
  }
  return [...seen.values()];
}

function sourceList(sources: UnreadSource[]): string {
  const items = sources.map((s) => {
    const scope = s.requiredScope ? ` (needs <code>${esc(s.requiredScope)}</code>)` : '';
    return `<li><b>${esc(s.source)}</b>: ${esc(s.reason)}${scope}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

function alerts(report: Report): string {
  const parts: string[] = [];
  if (report.status === 'incomplete' || report.errors.length > 0) {
    parts.push(
      `<section class="alert" role="alert" id="incomplete"><h2>Scan INCOMPLETE: ${report.errors.length} source(s) could not be read</h2>` +
        `${sourceList(report.errors.map((e) => ({ source: e.source, reason: e.message, requiredScope: e.requiredScope })))}<p>Findings that rest on these sources are UNKNOWN: nothing unseen is reported as PASS.</p></section>`,
    );
  }
  const unavailable = unavailableSources(report);
  if (unavailable.length > 0) {
    parts.push(
      `<section class="alert notice" role="alert" id="unavailable"><h2>${unavailable.length} source(s) not available in this org</h2>` +
        `${sourceList(unavailable)}<p>Nothing could be seen there: the findings that need them are UNKNOWN.</p></section>`,
    );
  }
  if (parts.length === 0) parts.push('<p class="ok" id="complete">Every source the rules need was read.</p>');
  return parts.join('');
}

function header(report: Report): string {
  const status = report.status === 'complete' ? 'complete' : 'INCOMPLETE';
  return (
    `<header><div class="inner"><h1>Okta ownership scan: ${esc(report.org)}</h1>` +
    `<p class="meta">Scan <code>${esc(report.scanId)}</code> · started ${esc(report.startedAt)} · finished ${esc(report.finishedAt)} · ` +
    `status <span class="badge ${report.status === 'complete' ? 'PASS' : 'FAIL'}" id="scan-status">${status}</span></p>` +
    `${alerts(report)}</div></header>`
  );
}

function card(cls: string, count: number, label: string): string {
  return `<div class="card ${cls}"><b>${count}</b>${esc(label)}</div>`;
}

function counts(report: Report): string {
  const bySeverity = SEVERITIES.map((s) => card(s, report.summary.failBySeverity[s], `${s} FAIL`));
  const byStatus = VERDICTS.map((v) => card(v, report.summary.byStatus[v], v));
  return (
    `<section id="counts"><h2>Counts</h2><div class="cards" id="by-severity">${bySeverity.join('')}</div>` +
    `<div class="cards" id="by-status">${byStatus.join('')}</div></section>`
  );
}

function people(report: Report): string {
  const rows = peopleAtRisk(report).map((p) => {
    const who = ownerKey(p.owner);
    const cells = SEVERITIES.map((s) => `<td class="n">${p.bySeverity[s]}</td>`).join('');
    return (
      `<tr><td>${esc(who)} <button type="button" class="person" hidden data-owner="${esc(who)}">show</button></td>` +
      `<td>${esc(p.owner.kind)}</td><td>${esc(p.owner.status ?? 'not found')}</td>${cells}<td class="n">${p.integrations}</td></tr>`
    );
  });
  const head = SEVERITIES.map((s) => `<th>${s}</th>`).join('');
  const table =
    rows.length === 0
      ? '<p>No FAIL or UNKNOWN finding rests on a named account.</p>'
      : `<table><thead><tr><th>Account</th><th>Kind</th><th>Status</th>${head}<th>Integrations</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  return `<section id="people"><h2>People integrations depend on</h2><p class="meta">Owners of FAIL and UNKNOWN findings, with their open findings by severity.</p>${table}</section>`;
}

function select(name: string, label: string, values: [string, string][]): string {
  const options = values.map(([value, text]) => `<option value="${esc(value)}">${esc(text)}</option>`).join('');
  return `<label>${label} <select id="filter-${name}"><option value="">all</option>${options}</select></label>`;
}

function filters(report: Report): string {
  const kinds = [...new Set(report.findings.map((f) => f.resource.type))].sort();
  const owners = [...new Set(report.findings.map((f) => ownerKey(f.owner)))].sort();
  return (
    `<form id="filters" hidden role="search">` +
    select(
      'severity',
      'Severity',
      SEVERITIES.map((s) => [s, s]),
    ) +
    select(
      'status',
      'Status',
      VERDICTS.map((v) => [v, v]),
    ) +
    select(
      'kind',
      'Kind',
      kinds.map((k) => [k, kindLabel(k)]),
    ) +
    select(
      'owner',
      'Owner',
      owners.map((o) => [o, o]),
    ) +
    `<label>Search <input type="search" id="filter-search" placeholder="login, name, id, text"></label>` +
    `<button type="button" id="filter-reset">Reset</button> <span id="shown" class="meta"></span></form>`
  );
}

function evidenceValue(value: unknown): string {
  return esc(typeof value === 'string' ? value : JSON.stringify(value));
}

function details(f: Finding): string {
  const evidence = Object.entries(f.evidence).map(([k, v]) => `<dt>${esc(k)}</dt><dd>${evidenceValue(v)}</dd>`);
  const owner = f.owner
    ? `<dt>owner</dt><dd>${esc(ownerKey(f.owner))} <code>${esc(f.owner.id)}</code> ${esc(f.owner.kind)}, ${esc(f.owner.status ?? 'not found')}: ${esc(f.owner.signals.join('; '))}</dd>`
    : '';
  const compliance = (f.compliance ?? []).map((c) => `<li>${esc(c.framework)}: ${esc(c.control)}</li>`);
  const suppression = f.suppression
    ? `<h4>Suppressed</h4><p>until ${esc(f.suppression.expires)}: ${esc(f.suppression.reason)}</p>`
    : '';
  return (
    `<div class="body"><p>${esc(f.message)}</p>${suppression}<h4>Remediation</h4><p>${esc(f.remediation)}</p>` +
    (compliance.length > 0 ? `<h4>Compliance</h4><ul class="compliance">${compliance.join('')}</ul>` : '') +
    `<h4>Evidence</h4><dl><dt>finding</dt><dd><code>${esc(f.id)}</code></dd><dt>resource</dt><dd>${esc(kindLabel(f.resource.type))} <code>${esc(f.resource.id)}</code></dd>` +
    `${owner}${evidence.join('')}</dl></div>`
  );
}

function findingRow(f: Finding): string {
  const owner = ownerKey(f.owner);
  const attrs = `data-id="${esc(f.id)}" data-severity="${esc(f.severity)}" data-status="${esc(f.status)}" data-kind="${esc(f.resource.type)}" data-owner="${esc(owner)}"`;
  return (
    `<details class="finding" ${attrs}><summary><span class="badge ${esc(f.status)}">${esc(f.status)}</span>` +
    `<span class="badge ${f.status === 'PASS' ? 'kind' : esc(f.severity)}">${esc(f.severity)}</span><span class="badge kind">${esc(kindLabel(f.resource.type))}</span>` +
    `<b class="name">${esc(f.resource.name)}</b><span class="owner">${esc(owner)}</span></summary>${details(f)}</details>`
  );
}

function ruleGroup(ruleId: string, findings: Finding[], options: HtmlOptions): string {
  const rule = options.describeRule?.(ruleId);
  const tally = VERDICTS.map((v) => [v, findings.filter((f) => f.status === v).length] as const)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v}`)
    .join(' · ');
  const refs = (rule?.references ?? []).map((r) => `<a href="${esc(r)}" rel="noreferrer">${esc(r)}</a>`).join(' ');
  return (
    `<section class="rule" data-rule="${esc(ruleId)}"><h3>${esc(rule?.title ?? ruleId)} <code>${esc(ruleId)}</code></h3>` +
    `<p class="counts">${tally}${refs ? ` · ${refs}` : ''}</p>${findings.map(findingRow).join('')}</section>`
  );
}

function findingsByRule(report: Report, options: HtmlOptions): string {
  // The report's order is worst first; a rule's group stands where its first finding does.
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) groups.set(f.ruleId, [...(groups.get(f.ruleId) ?? []), f]);
  const sections = [...groups].map(([id, fs]) => ruleGroup(id, fs, options));
  return `<section id="findings"><h2>Findings by rule</h2>${filters(report)}${sections.join('') || '<p>No findings.</p>'}</section>`;
}

export function renderReportHtml(report: Report, options: HtmlOptions = {}): string {
  const csp = `default-src 'none'; style-src ${sha256(REPORT_CSS)}; script-src ${sha256(REPORT_SCRIPT)}; form-action 'none'; base-uri 'none'`;
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>Okta ownership scan: ${esc(report.org)}</title><style>${REPORT_CSS}</style></head><body>` +
    `${header(report)}<main>${counts(report)}${people(report)}${findingsByRule(report, options)}</main>` +
    `<script type="application/json" id="report-data">${jsonForScript(report)}</script>` +
    `<script>${REPORT_SCRIPT}</script></body></html>\n`
  );
}
