import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import demoConfig from '../../fake-okta/orgs/demo-config.json';
import { DEFAULT_CONFIG, loadConfigFile, parseConfig, type ScannerConfig } from '../config';
import { SEVERITIES, type Severity } from '../domain/finding';
import type { WhatIfReport } from '../domain/whatif';
import { sourcesFor } from '../engine';
import { saveInventory } from '../inventory-file';
import { peopleReport } from '../people';
import { createProgress, type Progress } from '../progress';
import type { OrgSource } from '../read-org';
import type { Redactor } from '../redact';
import { withChanges } from '../report-changes';
import { getRule } from '../rules';
import type { ReplayResult, ScanStats } from '../scan';
import { LocalStateStore } from '../sinks/local-store';
import { renderReportCsv, renderWhatIfCsv } from '../sinks/report-csv';
import { renderReportHtml } from '../sinks/report-html';
import { renderReportJson, renderWhatIfJson } from '../sinks/report-json';
import { renderReportOcsf } from '../sinks/report-ocsf';
import { renderPeopleSection } from '../sinks/report-people-table';
import { renderReportTable, renderWhatIfTable } from '../sinks/report-table';
import { expired } from '../suppressions';
import { whatIf, whatIfReport } from '../whatif';
import { type CliIo, CONNECTION_OPTIONS, type CommandLine, flagValue, usageError } from './args';
import { resolveConnection } from './credentials';
import { checkOutputPath, type Output, writeText } from './output';

// `okta-scan [scan]` and `okta-scan whatif`: every flag checked before the first request (exit 2),
// then the same scan() path as the Lambda. The CLI loads this module (and zod, through the
// config) only for these commands; the Okta SDK comes later still, with read-org.

export interface ScanPlan {
  source: OrgSource;
  config: ScannerConfig;
  failOn: Severity;
  now?: Date;
  ruleIds?: string[];
  user?: string;
  saveTo?: string;
  stateDir?: string;
}

function parseFailOn(value: string | undefined): Severity {
  if (value === undefined) return 'low';
  if (!(SEVERITIES as readonly string[]).includes(value)) {
    throw usageError(`--fail-on "${value}" is not a severity`, `use one of: ${SEVERITIES.join(', ')}`);
  }
  return value as Severity;
}

function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) || Number.isNaN(date.getTime())) {
    throw usageError(`--now "${value}" is not an ISO-8601 time`, 'give it as 2026-11-28 or 2026-11-28T02:00:00Z');
  }
  return date;
}

function parseRules(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  // Throws naming every unknown id, before any request.
  sourcesFor(ids);
  return ids;
}

function loadConfig(values: CommandLine['values'], cwd: string): ScannerConfig {
  const file = flagValue(values, 'config');
  // The demo org comes with its own config (leavers, inactivity), so --demo shows every rule.
  const fallback = values.demo === true ? parseConfig(demoConfig, 'the demo config') : DEFAULT_CONFIG;
  let config = file === undefined ? fallback : loadConfigFile(resolve(cwd, file));
  const lookback = flagValue(values, 'lookback-days');
  if (lookback !== undefined) {
    const days = Number(lookback);
    if (!/^\d+$/.test(lookback.trim()) || !Number.isInteger(days) || days < 1 || days > 90) {
      throw usageError(`--lookback-days "${lookback}" is out of range`, 'give a whole number of days from 1 to 90');
    }
    config = parseConfig({ ...config, lookbackDays: days }, '--lookback-days');
  }
  return config;
}

/** Where the inventory comes from: --from-inventory, --demo, or a live org (its credentials checked). */
function orgSource(line: CommandLine, io: CliIo, cwd: string, redactor: Redactor): OrgSource {
  const { values } = line;
  const demo = values.demo === true;
  const fromInventory = flagValue(values, 'from-inventory');
  if (demo || fromInventory !== undefined) {
    const given = CONNECTION_OPTIONS.filter((o) => o !== 'demo' && values[o] !== undefined);
    if (demo && fromInventory !== undefined) {
      throw usageError('--demo and --from-inventory both say where to read from', 'give one of them');
    }
    if (given.length > 0) {
      throw usageError(
        `--${given[0]} does not apply with ${demo ? '--demo' : '--from-inventory'}`,
        'drop the connection flags, or drop --demo/--from-inventory to scan a real org',
      );
    }
  }
  if (fromInventory !== undefined) return { kind: 'file', path: resolve(cwd, fromInventory) };
  if (demo) return { kind: 'demo' };
  return { kind: 'live', connection: resolveConnection(values, io.env, cwd, redactor) };
}

/** Every check that can refuse the command (exit 2), in the order the user reads the flags. */
export function planScan(line: CommandLine, io: CliIo, cwd: string, redactor: Redactor): ScanPlan {
  const { values } = line;
  const failOn = parseFailOn(flagValue(values, 'fail-on'));
  const now = parseNow(flagValue(values, 'now'));
  const ruleIds = parseRules(flagValue(values, 'rules'));
  const config = loadConfig(values, cwd);
  const user = flagValue(values, 'user')?.trim();
  if (line.command === 'whatif' && !user) {
    throw usageError('whatif needs --user', 'give the Okta user id (00u...) or login, e.g. --user alice@acme.com');
  }
  const saveTo = flagValue(values, 'save-inventory');
  checkOutputPath(saveTo, '--save-inventory', cwd);
  const stateDir = checkStateDir(flagValue(values, 'state-dir'), values, cwd);
  const source = orgSource(line, io, cwd, redactor);
  return { source, config, failOn, now, ruleIds, user: user || undefined, saveTo, stateDir };
}

/** `--state-dir DIR`: a folder (made on the first write), and only for scans that read an org. */
function checkStateDir(dir: string | undefined, values: CommandLine['values'], cwd: string): string | undefined {
  if (dir === undefined) return undefined;
  if (dir.trim() === '') throw usageError('--state-dir needs a folder', 'e.g. --state-dir ~/.okta-scan');
  if (flagValue(values, 'from-inventory') !== undefined) {
    throw usageError(
      '--state-dir does not apply with --from-inventory',
      'a saved inventory reads no log and records no history; drop one of them',
    );
  }
  const path = resolve(cwd, dir);
  if (existsSync(path) && !statSync(path).isDirectory()) {
    throw usageError(`--state-dir ${dir} is a file, not a folder`, 'give a folder (it is made if missing)');
  }
  return path;
}

/** Reads the org a command names, with a progress line on stderr (none with --quiet) until it is read. */
export async function readOrgWithProgress(
  plan: ScanPlan,
  quiet: boolean,
  redactor: Redactor,
  io: CliIo,
  cwd: string,
  state?: LocalStateStore,
) {
  const progress = createProgress(io.stderr, { quiet, scrub: redactor.scrub });
  try {
    return await readOrg(plan, progress, redactor, io, cwd, state);
  } finally {
    progress.done();
  }
}

async function readOrg(
  plan: ScanPlan,
  progress: Progress,
  redactor: Redactor,
  io: CliIo,
  cwd: string,
  state: LocalStateStore | undefined,
) {
  // Loaded here, not at the top: the Okta SDK behind it is for commands that read an org.
  const { readOrg: readSource } = await import('../read-org.js');
  const read = await readSource(plan.source, {
    config: plan.config,
    now: plan.now,
    ruleIds: plan.ruleIds,
    extraUsers: plan.user ? [plan.user] : undefined,
    onProgress: progress.update,
    onNow: (at) => warnExpired(progress, plan.config, at),
    addSecret: (secret) => redactor.add(secret),
    clock: io.now,
    sleep: io.sleep,
    ledger: state,
  });
  if (plan.saveTo !== undefined) saveInventory(resolve(cwd, plan.saveTo), read.result.inventory);
  return read;
}

export async function runScanCommand(
  line: CommandLine,
  io: CliIo,
  cwd: string,
  redactor: Redactor,
  out: Output,
): Promise<number> {
  const plan = planScan(line, io, cwd, redactor);
  const quiet = line.values.quiet === true;
  const state = plan.stateDir ? new LocalStateStore({ dir: plan.stateDir }) : undefined;
  const read = await readOrgWithProgress(plan, quiet, redactor, io, cwd, state);
  const { result, now, stats } = read;
  const stderr = (text: string): Promise<void> => writeText(io.stderr, redactor.scrub(text));
  const { exitCodeFor } = await import('../scan.js');
  const { report } = result;
  if (line.command === 'whatif') {
    const user = plan.user!;
    const impacts = whatIf(result.inventory, report.findings, user, { serviceAccounts: plan.config.serviceAccounts });
    const answer = whatIfReport(report, result.inventory, user, now, impacts);
    await out.emit(renderWhatIf(answer, out));
    if (!quiet) await stderr(whatIfSummary(answer));
    return report.status === 'incomplete' ? 3 : 0;
  }
  // With --state-dir the scan is recorded there, and the report says what changed since the last.
  // The demo server's port changes every run: its state is kept under one name, as read-org does.
  const stateOrg = plan.source.kind === 'demo' ? 'demo' : undefined;
  const shown = state ? withChanges(report, await state.recordScan(result.outcome, stateOrg)) : report;
  const people = out.format === 'table' ? peopleSection(read, plan, out) : '';
  await out.emit(renderReport(shown, out) + people);
  const code = exitCodeFor(report, plan.failOn);
  if (!quiet) await stderr(scanSummary(report, stats, out.file, code, plan.failOn));
  return code;
}

/** The table report's closing "people" section: the few accounts whose loss breaks the most. */
function peopleSection(read: Awaited<ReturnType<typeof readOrgWithProgress>>, plan: ScanPlan, out: Output): string {
  const people = peopleReport(read.result.report, read.result.inventory, { config: plan.config, now: read.now });
  const { concentrationThreshold } = plan.config;
  return renderPeopleSection(people, { width: out.width, color: out.color, concentrationThreshold });
}

function warnExpired(progress: Progress, config: ScannerConfig, now: Date): void {
  for (const s of expired(config.suppressions, now)) {
    progress.note(
      `okta-scan: warning: the suppression of ${s.ruleId} for ${s.resourceId} expired on ${s.expires} and no longer applies (reason was: ${s.reason}); renew or remove it in the config`,
    );
  }
}

function renderReport(report: ReplayResult['report'], out: Output): string {
  if (out.format === 'json') return renderReportJson(report);
  if (out.format === 'csv') return renderReportCsv(report);
  if (out.format === 'html') return renderReportHtml(report, { describeRule: getRule });
  if (out.format === 'ocsf') return renderReportOcsf(report, { describeRule: getRule });
  return renderReportTable(report, { width: out.width, color: out.color, ruleTitle: (id) => getRule(id)?.title });
}

function renderWhatIf(answer: WhatIfReport, out: Output): string {
  if (out.format === 'json') return renderWhatIfJson(answer);
  if (out.format === 'csv') return renderWhatIfCsv(answer);
  return renderWhatIfTable(answer, { width: out.width, color: out.color });
}

function scanSummary(
  report: ReplayResult['report'],
  stats: ScanStats | undefined,
  output: string | undefined,
  code: number,
  failOn: Severity,
): string {
  const { byStatus } = report.summary;
  const parts = [
    `${report.org}: ${byStatus.FAIL} FAIL, ${byStatus.UNKNOWN} UNKNOWN, ${byStatus.SUPPRESSED} SUPPRESSED, ${byStatus.PASS} PASS`,
    report.status === 'complete'
      ? 'scan complete'
      : `scan INCOMPLETE (${report.errors.map((e) => e.source).join(', ')})`,
  ];
  if (stats) parts.push(`${stats.requests} requests (${stats.throttled} throttled, ${stats.retries} retries)`);
  if (output) parts.push(`report written to ${output}`);
  const why = code === 1 ? `; exit 1: FAIL at or above ${failOn}` : code === 3 ? '; exit 3: incomplete' : '';
  return `okta-scan: ${parts.join('; ')}${why}\n`;
}

function whatIfSummary(answer: WhatIfReport): string {
  if (!answer.found) return `okta-scan: no user "${answer.query}" in ${answer.org}\n`;
  return `okta-scan: ${answer.impacts.length} integration(s) depend on ${answer.user?.login ?? answer.query}\n`;
}
