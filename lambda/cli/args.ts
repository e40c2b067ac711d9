import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors';

// The command line: its flags, which command takes which, and the usage text. Parsing here
// refuses anything doubtful (exit 2) before any work.

export interface CliStream extends Writable {
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** The clock and the waits between retries of a scan; default: real time. Tests pass their own. */
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export type Format = 'table' | 'json' | 'csv' | 'html' | 'ocsf';
export type Command = 'scan' | 'whatif' | 'people' | 'rules';

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
  'state-dir': { type: 'string' },
  user: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  'fail-on': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

export type OptionName = keyof typeof OPTIONS;

export const CONNECTION_OPTIONS: OptionName[] = ['org-url', 'token', 'client-id', 'private-key-file', 'key-id', 'demo'];
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

const FLAGS_BY_COMMAND: Record<Command, OptionName[]> = {
  scan: [...SCAN_OPTIONS, ...OUTPUT_OPTIONS, 'fail-on', 'state-dir'],
  whatif: [...SCAN_OPTIONS, ...OUTPUT_OPTIONS, 'user'],
  people: [...SCAN_OPTIONS, ...OUTPUT_OPTIONS],
  rules: OUTPUT_OPTIONS,
};

export const USAGE = `okta-scan: find Okta integrations that depend on a person instead of a service account

Usage:
  okta-scan [scan]  [connection] [scan options] [output options]   scan one org and report
  okta-scan whatif  --user <id|login> [connection] [output options] what breaks if this user is deactivated
  okta-scan people  [connection] [scan options] [output options]   who integrations run on, ranked by what breaks
  okta-scan rules   [--format table|json]                            the rule catalogue

Connection (a flag wins over its environment variable):
  --org-url URL            OKTA_ORG_URL      https:// (http:// only for 127.0.0.1, localhost, [::1])
  --token TOKEN            OKTA_API_TOKEN    SSWS API token
  --client-id ID           OKTA_CLIENT_ID    OAuth 2.0 service app (private_key_jwt), preferred
  --private-key-file FILE  OKTA_PRIVATE_KEY  the service app's private key (PEM or JWK; env: the key text)
  --key-id KID             OKTA_KEY_ID       the key's kid, where the JWK carries none
  --demo                                     scan the built-in demo org (no credentials, loopback only)

Scan options:
  --config FILE            service accounts, lookback, suppressions, leavers (JSON);
                           with --demo, default: the demo org's own config
  --rules ID[,ID...]       only these rules (okta-scan rules lists them)
  --now ISO-8601           evaluation time (default: now; the demo org's date with --demo;
                           the collection time with --from-inventory)
  --lookback-days N        System Log window, 1..90 (overrides the config)
  --save-inventory FILE    also write what was read to FILE
  --from-inventory FILE    evaluate a saved inventory offline (no connection)
  --state-dir DIR          scan: keep the ledger, the log cursor and the findings' history in DIR,
                           so each scan reads only the new part of the System Log, remembers who
                           authorized what beyond its 90 days, and marks findings NEW/REGRESSED

Output options:
  --format FORMAT          table|json|csv|html|ocsf (whatif: table|json|csv; rules: table|json);
                           default: table on a terminal, else json (json for --output, csv for *.csv)
                           html: one self-contained page; ocsf: OCSF 1.x Compliance Finding events
  --output FILE            write the report to FILE instead of stdout
  --fail-on SEVERITY       critical|high|medium|low|info: exit 1 on a FAIL at or above it (default: low)
  --quiet, -q              no progress on stderr
  --help, -h   --version, -V

Exit codes: 0 complete, no FAIL at/above --fail-on; 1 complete with such FAILs;
            2 nothing scanned (bad flag, config, credentials or org URL); 3 scan incomplete.
`;

/** A parsed command line: which command, with which flags (only those the command takes). */
export interface CommandLine {
  command: Command;
  values: Partial<Record<OptionName, string | boolean>>;
}

export function usageError(message: string, fix?: string): ConfigError {
  return new ConfigError(message, fix ? [fix] : []);
}

export function parseCommandLine(argv: string[]): CommandLine {
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
  if (command !== 'scan' && command !== 'whatif' && command !== 'people' && command !== 'rules') {
    throw usageError(`Unknown command "${first}"`, 'the commands are scan (the default), whatif, people and rules');
  }
  if (positionals.length > 1) {
    throw usageError(`Unexpected argument "${positionals[1]}"`, 'run okta-scan --help for the flags');
  }
  const values = parsed.values as CommandLine['values'];
  if (first === 'help') values.help = true;
  for (const name of Object.keys(values) as OptionName[]) {
    if (!FLAGS_BY_COMMAND[command].includes(name)) {
      throw usageError(`--${name} does not apply to "okta-scan ${command}"`, `run okta-scan --help for its flags`);
    }
  }
  return { command, values };
}

export function flagValue(values: CommandLine['values'], name: OptionName): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

const FORMATS_BY_COMMAND: Record<Command, Format[]> = {
  scan: ['table', 'json', 'csv', 'html', 'ocsf'],
  whatif: ['table', 'json', 'csv'],
  people: ['table', 'json', 'csv'],
  rules: ['table', 'json'],
};

export function parseFormat(value: string | undefined, command: Command): Format | undefined {
  if (value === undefined) return undefined;
  const allowed = FORMATS_BY_COMMAND[command];
  if ((allowed as string[]).includes(value)) return value as Format;
  if ((FORMATS_BY_COMMAND.scan as string[]).includes(value)) {
    throw usageError(
      `--format ${value} is for scan reports, not "okta-scan ${command}"`,
      `${command} writes ${allowed.join(', ')}`,
    );
  }
  throw usageError(`--format "${value}" is not supported`, `use one of: ${allowed.join(', ')}`);
}
