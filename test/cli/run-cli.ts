import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { main } from '../../lambda/cli';

// Runs the real CLI entry with captured streams, as a terminal or as a pipe.

export class CapturedStream extends Writable {
  readonly chunks: string[] = [];
  isTTY?: boolean;
  columns?: number;

  constructor(tty = false, columns = 80) {
    super();
    if (tty) {
      this.isTTY = true;
      this.columns = columns;
    }
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    callback();
  }

  get text(): string {
    return this.chunks.join('');
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Every wait the scan asked for, in ms (retry backoffs, rate-limit windows): none is slept. */
  waits: number[];
}

export async function runCli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; tty?: boolean; stderrTty?: boolean; columns?: number; cwd?: string } = {},
): Promise<CliRun> {
  const stdout = new CapturedStream(options.tty, options.columns);
  const stderr = new CapturedStream(options.stderrTty ?? options.tty, options.columns);
  const waits: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    waits.push(ms);
  };
  const code = await main(argv, { stdout, stderr, env: options.env ?? {}, cwd: options.cwd, sleep });
  return { code, stdout: stdout.text, stderr: stderr.text, waits };
}

/** Columns a line takes on a terminal, colour codes aside. */
export function visibleWidth(line: string): number {
  return [...stripVTControlCharacters(line)].length;
}
