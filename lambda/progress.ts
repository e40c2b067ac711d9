import type { Writable } from 'node:stream';

// Progress on stderr: one live line on a terminal, plain lines in a log, nothing with --quiet.

export interface ProgressStream extends Writable {
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** Replaces the live line (terminal) or prints a line (log). */
  update(message: string): void;
  /** Prints a line that stays, even with --quiet (warnings). */
  note(message: string): void;
  /** Ends the live line so what follows starts on a clean line. */
  done(): void;
}

export function createProgress(
  stream: ProgressStream,
  options: { quiet?: boolean; scrub?: (text: string) => string } = {},
): Progress {
  const scrub = options.scrub ?? ((text: string) => text);
  const live = stream.isTTY === true;
  let lineShown = false;

  const clearLine = (): void => {
    if (lineShown) {
      stream.write('\r\x1b[K');
      lineShown = false;
    }
  };

  return {
    update(message: string): void {
      if (options.quiet) return;
      const text = scrub(message.replace(/\s+/g, ' ').trim());
      if (live) {
        const width = Math.max(20, (stream.columns || 80) - 1);
        const shown = text.length > width ? `${text.slice(0, width - 1)}…` : text;
        stream.write(`\r\x1b[K${shown}`);
        lineShown = true;
      } else {
        stream.write(`${text}\n`);
      }
    },
    note(message: string): void {
      clearLine();
      stream.write(`${scrub(message)}\n`);
    },
    done(): void {
      clearLine();
    },
  };
}
