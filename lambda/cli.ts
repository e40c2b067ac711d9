import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliIo, parseCommandLine, USAGE } from './cli/args';
import { type Output, outputFor, writeText } from './cli/output';
import { SOURCE_SCOPES } from './domain/inventory';
import { sourcesFor } from './engine';
import { ConfigError, CredentialsError } from './errors';
import { redactorFor } from './redact';
import { RULES } from './rules';
import { renderRulesTable } from './sinks/report-table';

export type { CliIo, CliStream } from './cli/args';

// `okta-scan`: parse at the edge, refuse anything doubtful before the first request (exit 2),
// then take the same scan() path as the Lambda. Only the report goes to stdout.
// `--help`, `--version` and `rules` answer from what is loaded here; a scan loads the rest
// (config and zod, then the Okta SDK) through import(), so these start fast (bench/cli-startup.ts
// measures it).

function packageVersion(): string {
  try {
    // Beside lambda/ in a checkout, beside dist/ in the built command: one folder up either way.
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function printRules(out: Output): Promise<void> {
  if (out.format !== 'json') return out.emit(renderRulesTable(RULES, { width: out.width }));
  const rules = RULES.map(({ evaluate: _evaluate, ...meta }) => ({
    ...meta,
    requiredScopes: [...new Set(sourcesFor([meta.id]).map((s) => SOURCE_SCOPES[s]))],
  }));
  return out.emit(`${JSON.stringify(rules, null, 2)}\n`);
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const redactor = redactorFor(argv, io.env);
  try {
    const line = parseCommandLine(argv);
    if (line.values.help) {
      await writeText(io.stdout, USAGE);
      return 0;
    }
    if (line.values.version) {
      await writeText(io.stdout, `${packageVersion()}\n`);
      return 0;
    }
    const out = outputFor(line, io, cwd, redactor);
    if (line.command === 'rules') {
      await printRules(out);
      return 0;
    }
    if (line.command === 'people') {
      const { runPeopleCommand } = await import('./cli/people-command.js');
      return await runPeopleCommand(line, io, cwd, redactor, out);
    }
    const { runScanCommand } = await import('./cli/scan-command.js');
    return await runScanCommand(line, io, cwd, redactor, out);
  } catch (error) {
    const known = error instanceof ConfigError || error instanceof CredentialsError;
    const message = error instanceof Error ? error.message : String(error);
    let text = `okta-scan: ${message}\n`;
    if (io.env.OKTA_SCAN_DEBUG === '1' && error instanceof Error && error.stack) text += `${error.stack}\n`;
    if (!known) text += 'okta-scan: the scan did not finish; its results are incomplete (exit 3)\n';
    await writeText(io.stderr, redactor.scrub(text));
    return known ? 2 : 3;
  }
}
