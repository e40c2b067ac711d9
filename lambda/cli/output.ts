import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Redactor } from '../redact';
import { type CliIo, type CliStream, type CommandLine, type Format, flagValue, parseFormat, usageError } from './args';

// Where and how a command writes its answer: stdout or --output FILE, in which format, how wide
// and whether in colour. Only the report goes to stdout, and nothing written carries a secret.

export interface Output {
  format: Format;
  width: number;
  color: boolean;
  /** The --output file as given, if any. */
  file: string | undefined;
  emit(text: string): Promise<void>;
}

export function writeText(stream: Writable, text: string): Promise<void> {
  return new Promise((resolveWrite) => {
    stream.write(text, () => resolveWrite());
  });
}

function defaultFormat(output: string | undefined, stdout: CliStream): Format {
  if (output !== undefined) return output.toLowerCase().endsWith('.csv') ? 'csv' : 'json';
  return stdout.isTTY ? 'table' : 'json';
}

/** Refuses (exit 2) a path whose folder is missing or that names a folder, before any work. */
export function checkOutputPath(path: string | undefined, flag: string, cwd: string): void {
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

export function outputFor(line: CommandLine, io: CliIo, cwd: string, redactor: Redactor): Output {
  const file = flagValue(line.values, 'output');
  checkOutputPath(file, '--output', cwd);
  return {
    format: parseFormat(flagValue(line.values, 'format'), line.command) ?? defaultFormat(file, io.stdout),
    width: io.stdout.isTTY ? io.stdout.columns || 80 : 80,
    color: file === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR,
    file,
    emit: async (text) => {
      const clean = redactor.scrub(text);
      if (file !== undefined) writeFileSync(resolve(cwd, file), clean, { mode: 0o600 });
      else await writeText(io.stdout, clean);
    },
  };
}
