import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, loadConfigFile, parseConfig, type ScannerConfig } from './config';
import { SEVERITIES, type Severity } from './domain/finding';
import { SOURCE_SCOPES } from './domain/inventory';
import { ConfigError, CredentialsError } from './errors';
import { expiredSuppressions, sourcesFor } from './evaluate';
import { saveInventory } from './inventory-file';
import { type OktaAuth, type OktaConnection, parseOrgUrl } from './okta/connection';
import { createProgress, type Progress } from './progress';
import type { OrgSource } from './read-org';
import { getRule, RULES } from './rules';
import type { ReplayResult, WhatIfReport } from './scan';
import { renderReportCsv, renderWhatIfCsv } from './sinks/report-csv';
import { renderReportJson, renderWhatIfJson } from './sinks/report-json';
import { renderReportTable, renderRulesTable, renderWhatIfTable } from './sinks/report-table';
import { whatIf } from './whatif';

// `okta-scan`: parse at the edge, refuse anything doubtful before the first request (exit 2),
// then take the same scan() path as the Lambda. Only the report goes to stdout.

export interface CliStream extends Writable {
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

type Format = 'table' | 'json' | 'csv';
type Command = 'scan' | 'whatif' | 'rules';

const OPTIONS = {
  'org-url': { type: 'string' },
  token: { type: 'string' },
  'client-id': { type: 'string' },
  'private-key-file': { type: 'string' },
  'key-id': { type: 'string' },
  demo: { type: 'boolean' },
  config: { type: 'string' },
  rules: { type: 'string' },
  now: { type: 'string' },
  'lookback-days': { type: 'string' },
  'save-inventory': { type: 'string' },
  'from-inventory': { type: 'string' },
  user: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  'fail-on': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

type OptionName = keyof typeof OPTIONS;

const CONNECTION_OPTIONS: OptionName[] = ['org-url', 'token', 'client-id', 'private-key-file', 'key-id', 'demo'];
const SCAN_OPTIONS: OptionName[] = [
  ...CONNECTION_OPTIONS,
  'config',
  'rules',
  'now',
  'lookback-days',
  'save-inventory',
  'from-inventory',
];
const OUTPUT_OPTIONS: OptionName[] = ['format', 'output', 'quiet', 'help', 'version'];

const ALLOWED: Record<Command, OptionName[]> = {
  scan: [...SCAN_OPTIONS, ...OUTPUT_OPTIONS, 'fail-on'],
  whatif: [...SCAN_OPTIONS, ...OUTPUT_OPTIONS, 'user'],
  rules: OUTPUT_OPTIONS,
};

const USAGE = `okta-scan: find Okta integrations that depend on a person instead of a service account

Usage:
  okta-scan [scan]  [connection] [scan options] [output options]   scan one org and report
  okta-scan whatif  --user <id|login> [connection] [output options] what breaks if this user is deactivated
  okta-scan rules   [--format table|json]                            the rule catalogue

Connection (a flag wins over its environment variable):
  --org-url URL            OKTA_ORG_URL      https:// (http:// only for 127.0.0.1, localhost, [::1])
  --token TOKEN            OKTA_API_TOKEN    SSWS API token
  --client-id ID           OKTA_CLIENT_ID    OAuth 2.0 service app (private_key_jwt), preferred
  --private-key-file FILE  OKTA_PRIVATE_KEY  the service app's private key (PEM or JWK; env: the key text)
  --key-id KID             OKTA_KEY_ID       the key's kid, where the JWK carries none
  --demo                                     scan the built-in demo org (no credentials, loopback only)

Scan options:
  --config FILE            service accounts, lookback, suppressions (JSON)
  --rules ID[,ID...]       only these rules (okta-scan rules lists them)
  --now ISO-8601           evaluation time (default: now; the demo org's date with --demo;
                           the collection time with --from-inventory)
  --lookback-days N        System Log window, 1..90 (overrides the config)
  --save-inventory FILE    also write what was read to FILE
  --from-inventory FILE    evaluate a saved inventory offline (no connection)

Output options:
  --format table|json|csv  default: table on a terminal, else json (json for --output, csv for *.csv)
  --output FILE            write the report to FILE instead of stdout
  --fail-on SEVERITY       critical|high|medium|low|info: exit 1 on a FAIL at or above it (default: low)
  --quiet, -q              no progress on stderr
  --help, -h   --version, -V

Exit codes: 0 complete, no FAIL at/above --fail-on; 1 complete with such FAILs;
            2 nothing scanned (bad flag, config, credentials or org URL); 3 scan incomplete.
`;

/** Keeps every secret value this run knows of out of anything it writes. */
class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (!secret) return;
    const trimmed = secret.trim();
    if (trimmed.length >= 4) this.secrets.add(trimmed);
    // A PEM body or JWK may reach a message in pieces: hide each long line and private member.
    for (const line of trimmed.split(/\r?\n/)) {
      const t = line.trim();
      if (t.length >= 16 && !t.startsWith('-----')) this.secrets.add(t);
    }
    if (trimmed.startsWith('{')) {
      try {
        const jwk = JSON.parse(trimmed) as Record<string, unknown>;
        for (const key of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
          const value = jwk[key];
          if (typeof value === 'string' && value.length >= 8) this.secrets.add(value);
        }
      } catch {
        // Not JSON: the line pieces above cover it.
      }
    }
  }

  scrub = (text: string): string => {
    let out = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join('[redacted]');
    }
    return out;
  };
}

interface Parsed {
  command: Command;
  values: Partial<Record<OptionName, string | boolean>>;
}

function usageError(message: string, fix?: string): ConfigError {
  return new ConfigError(message, fix ? [fix] : []);
}

function parseCommandLine(argv: string[]): Parsed {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // Node's own wording for an unknown flag is long and about positionals; say it plainly.
    const flag = message.match(/'([^']+)'/)?.[1];
    const text = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag ? `Unknown flag ${flag}` : message;
    throw usageError(text, 'run okta-scan --help for the flags');
  }
  const positionals = parsed.positionals;
  const first = positionals[0] ?? 'scan';
  const command = first === 'help' ? 'scan' : first;
  if (command !== 'scan' && command !== 'whatif' && command !== 'rules') {
    throw usageError(`Unknown command "${first}"`, 'the commands are scan (the default), whatif and rules');
  }
  if (positionals.length > 1) {
    throw usageError(`Unexpected argument "${positionals[1]}"`, 'run okta-scan --help for the flags');
  }
  const values = parsed.values as Parsed['values'];
  if (first === 'help') values.help = true;
  for (const name of Object.keys(values) as OptionName[]) {
    if (!ALLOWED[command].includes(name)) {
      throw usageError(`--${name} does not apply to "okta-scan ${command}"`, `run okta-scan --help for its flags`);
    }
  }
  return { command, values };
}

function str(values: Parsed['values'], name: OptionName): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

function parseFormat(value: string | undefined, command: Command): Format | undefined {
  if (value === undefined) return undefined;
  const allowed: Format[] = command === 'rules' ? ['table', 'json'] : ['table', 'json', 'csv'];
  if (!(allowed as string[]).includes(value)) {
    throw usageError(`--format "${value}" is not supported`, `use one of: ${allowed.join(', ')}`);
  }
  return value as Format;
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

function loadConfig(values: Parsed['values'], cwd: string): ScannerConfig {
  const file = str(values, 'config');
  let config = file === undefined ? DEFAULT_CONFIG : loadConfigFile(resolve(cwd, file));
  const lookback = str(values, 'lookback-days');
  if (lookback !== undefined) {
    const days = Number(lookback);
    if (!/^\d+$/.test(lookback.trim()) || !Number.isInteger(days) || days < 1 || days > 90) {
      throw usageError(`--lookback-days "${lookback}" is out of range`, 'give a whole number of days from 1 to 90');
    }
    config = parseConfig({ ...config, lookbackDays: days }, '--lookback-days');
  }
  return config;
}

function checkPrivateKey(text: string, origin: string): void {
  try {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) createPrivateKey({ key: JSON.parse(trimmed), format: 'jwk' });
    else createPrivateKey(trimmed);
  } catch {
    // The key text is never quoted back.
    throw new CredentialsError(
      `${origin} does not hold a usable private key: give the service app's private key as PEM (PKCS#1 or PKCS#8) or JWK`,
    );
  }
}

/** Flags win over environment variables; mixing the two auth modes at one level is refused. */
function resolveConnection(values: Parsed['values'], env: NodeJS.ProcessEnv, cwd: string, redactor: Redactor) {
  const rawUrl = str(values, 'org-url') ?? envValue(env, 'OKTA_ORG_URL');
  if (rawUrl === undefined) {
    throw new CredentialsError(
      'No org URL: give --org-url https://<your-org>.okta.com (or set OKTA_ORG_URL), or try --demo',
    );
  }
  const orgUrl = parseOrgUrl(rawUrl, str(values, 'org-url') !== undefined ? '--org-url' : 'OKTA_ORG_URL');

  const tokenFlag = str(values, 'token');
  const oauthFlag = str(values, 'client-id') ?? str(values, 'private-key-file');
  if (tokenFlag !== undefined && oauthFlag !== undefined) {
    throw new CredentialsError(
      'Give either --token or --client-id with --private-key-file, not both (prefer the OAuth service app)',
    );
  }
  let mode: 'token' | 'privateKey';
  if (tokenFlag !== undefined) mode = 'token';
  else if (oauthFlag !== undefined) mode = 'privateKey';
  else {
    const tokenEnv = envValue(env, 'OKTA_API_TOKEN') !== undefined;
    const clientEnv = envValue(env, 'OKTA_CLIENT_ID') !== undefined;
    if (tokenEnv && clientEnv) {
      throw new CredentialsError(
        'Both OKTA_API_TOKEN and OKTA_CLIENT_ID are set: unset one, or choose with --token / --client-id',
      );
    }
    if (!tokenEnv && !clientEnv) {
      throw new CredentialsError(
        'No credentials: give --client-id and --private-key-file (an OAuth service app, preferred) or --token (or set OKTA_CLIENT_ID and OKTA_PRIVATE_KEY, or OKTA_API_TOKEN)',
      );
    }
    mode = tokenEnv ? 'token' : 'privateKey';
  }

  let auth: OktaAuth;
  if (mode === 'token') {
    const token = (tokenFlag ?? envValue(env, 'OKTA_API_TOKEN') ?? '').trim();
    redactor.add(token);
    if (token === '') throw new CredentialsError('--token is empty: give the SSWS API token');
    auth = { kind: 'token', token };
  } else {
    const clientId = str(values, 'client-id') ?? envValue(env, 'OKTA_CLIENT_ID');
    if (clientId === undefined) {
      throw new CredentialsError('--private-key-file needs --client-id (or OKTA_CLIENT_ID): the service app client id');
    }
    const keyFile = str(values, 'private-key-file');
    let privateKey: string;
    let origin: string;
    if (keyFile !== undefined) {
      origin = `--private-key-file ${keyFile}`;
      try {
        privateKey = readFileSync(resolve(cwd, keyFile), 'utf8');
      } catch (cause) {
        throw new CredentialsError(
          `Cannot read --private-key-file ${keyFile}: ${(cause as NodeJS.ErrnoException).code ?? 'unreadable'}; give the path of the service app's private key`,
        );
      }
    } else {
      const fromEnv = envValue(env, 'OKTA_PRIVATE_KEY');
      if (fromEnv === undefined) {
        throw new CredentialsError(
          '--client-id needs the service app private key: give --private-key-file FILE (or set OKTA_PRIVATE_KEY to the key text)',
        );
      }
      privateKey = fromEnv;
      origin = 'OKTA_PRIVATE_KEY';
    }
    redactor.add(privateKey);
    checkPrivateKey(privateKey, origin);
    const keyId = str(values, 'key-id') ?? envValue(env, 'OKTA_KEY_ID');
    auth = { kind: 'privateKey', clientId, privateKey: privateKey.trim(), ...(keyId ? { keyId } : {}) };
  }
  return { orgUrl, auth } satisfies OktaConnection;
}

function writeText(stream: Writable, text: string): Promise<void> {
  return new Promise((resolveWrite) => {
    stream.write(text, () => resolveWrite());
  });
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function defaultFormat(output: string | undefined, stdout: CliStream): Format {
  if (output !== undefined) return output.toLowerCase().endsWith('.csv') ? 'csv' : 'json';
  return stdout.isTTY ? 'table' : 'json';
}

function checkOutputPath(path: string | undefined, flag: string, cwd: string): void {
  if (path === undefined) return;
  const full = resolve(cwd, path);
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw usageError(`${flag} ${path}: the folder ${dir} does not exist`, 'create it or give another path');
  }
  if (existsSync(full) && statSync(full).isDirectory()) {
    throw usageError(`${flag} ${path} is a folder`, 'give the path of a file to write');
  }
}

function redactorFor(argv: string[], env: NodeJS.ProcessEnv): Redactor {
  const redactor = new Redactor();
  redactor.add(env.OKTA_API_TOKEN);
  redactor.add(env.OKTA_PRIVATE_KEY);
  // Before parsing, so even a message about a malformed command line cannot echo a token.
  argv.forEach((arg, i) => {
    if (arg === '--token') redactor.add(argv[i + 1]);
    else if (arg.startsWith('--token=')) redactor.add(arg.slice('--token='.length));
  });
  return redactor;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const redactor = redactorFor(argv, io.env);
  const stderr = (text: string): Promise<void> => writeText(io.stderr, redactor.scrub(text));
  let progress: Progress | undefined;
  try {
    const { command, values } = parseCommandLine(argv);
    if (values.help) {
      await writeText(io.stdout, USAGE);
      return 0;
    }
    if (values.version) {
      await writeText(io.stdout, `${packageVersion()}\n`);
      return 0;
    }
    const output = str(values, 'output');
    checkOutputPath(output, '--output', cwd);
    const format = parseFormat(str(values, 'format'), command) ?? defaultFormat(output, io.stdout);
    const useColor = output === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR;
    const width = io.stdout.isTTY ? io.stdout.columns || 80 : 80;
    const emit = async (text: string): Promise<void> => {
      const clean = redactor.scrub(text);
      if (output !== undefined) writeFileSync(resolve(cwd, output), clean, { mode: 0o600 });
      else await writeText(io.stdout, clean);
    };

    if (command === 'rules') {
      if (format === 'json') {
        await emit(
          `${JSON.stringify(
            RULES.map(({ evaluate: _evaluate, ...meta }) => ({
              ...meta,
              requiredScopes: [...new Set(sourcesFor([meta.id]).map((s) => SOURCE_SCOPES[s]))],
            })),
            null,
            2,
          )}\n`,
        );
      } else {
        await emit(renderRulesTable(RULES, { width }));
      }
      return 0;
    }

    // Everything below is checked before the first request.
    const failOn = parseFailOn(str(values, 'fail-on'));
    const explicitNow = parseNow(str(values, 'now'));
    const ruleIds = parseRules(str(values, 'rules'));
    const config = loadConfig(values, cwd);
    const user = str(values, 'user')?.trim();
    if (command === 'whatif' && !user) {
      throw usageError('whatif needs --user', 'give the Okta user id (00u...) or login, e.g. --user alice@acme.com');
    }
    const demo = values.demo === true;
    const fromInventory = str(values, 'from-inventory');
    const saveTo = str(values, 'save-inventory');
    checkOutputPath(saveTo, '--save-inventory', cwd);
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
    const connection =
      demo || fromInventory !== undefined ? undefined : resolveConnection(values, io.env, cwd, redactor);

    progress = createProgress(io.stderr, { quiet: values.quiet === true, scrub: redactor.scrub });
    const source: OrgSource =
      fromInventory !== undefined
        ? { kind: 'file', path: resolve(cwd, fromInventory) }
        : demo
          ? { kind: 'demo' }
          : { kind: 'live', connection: connection! };
    const shown = progress;
    // Loaded here, not at the top: the Okta SDK behind it is for commands that read an org.
    const { readOrg } = await import('./read-org.js');
    const { result, now, stats } = await readOrg(source, {
      config,
      now: explicitNow,
      ruleIds,
      extraUsers: user ? [user] : undefined,
      onProgress: progress.update,
      onNow: (at) => warnExpired(shown, config, at),
      addSecret: (secret) => redactor.add(secret),
    });

    if (saveTo !== undefined) saveInventory(resolve(cwd, saveTo), result.inventory);
    progress.done();

    const { exitCodeFor, whatIfReport } = await import('./scan.js');
    const { report } = result;
    if (command === 'whatif') {
      const answer = whatIfReport(
        report,
        result.inventory,
        user!,
        now,
        whatIf(result.inventory, report.findings, user!, { serviceAccounts: config.serviceAccounts }),
      );
      await emit(renderWhatIf(answer, format, { width, color: useColor }));
      if (values.quiet !== true) await stderr(whatIfSummary(answer));
      return report.status === 'incomplete' ? 3 : 0;
    }

    let text: string;
    if (format === 'json') text = renderReportJson(report);
    else if (format === 'csv') text = renderReportCsv(report);
    else text = renderReportTable(report, { width, color: useColor, ruleTitle: (id) => getRule(id)?.title });
    await emit(text);
    const code = exitCodeFor(report, failOn);
    if (values.quiet !== true) await stderr(scanSummary(report, stats, output, code, failOn));
    return code;
  } catch (error) {
    progress?.done();
    const known = error instanceof ConfigError || error instanceof CredentialsError;
    const message = error instanceof Error ? error.message : String(error);
    let text = `okta-scan: ${message}\n`;
    if (io.env.OKTA_SCAN_DEBUG === '1' && error instanceof Error && error.stack) text += `${error.stack}\n`;
    if (!known) text += 'okta-scan: the scan did not finish; its results are incomplete (exit 3)\n';
    await stderr(text);
    return known ? 2 : 3;
  }
}

function warnExpired(progress: Progress, config: ScannerConfig, now: Date): void {
  for (const s of expiredSuppressions(config, now)) {
    progress.note(
      `okta-scan: warning: the suppression of ${s.ruleId} for ${s.resourceId} expired on ${s.expires} and no longer applies (reason was: ${s.reason}); renew or remove it in the config`,
    );
  }
}

function renderWhatIf(answer: WhatIfReport, format: Format, options: { width: number; color: boolean }): string {
  if (format === 'json') return renderWhatIfJson(answer);
  if (format === 'csv') return renderWhatIfCsv(answer);
  return renderWhatIfTable(answer, options);
}

function scanSummary(
  report: ReplayResult['report'],
  stats: { requests: number; throttled: number; retries: number } | undefined,
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
