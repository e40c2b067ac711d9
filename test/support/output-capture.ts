import { vi } from 'vitest';

// Captures what the function writes (Powertools Logger and Metrics print JSON lines to stdout),
// so tests can assert on log lines, EMF metrics, and that no secret is ever written.

export interface OutputCapture {
  /** Every line written since the file started. */
  all: string[];
  /** Lines written since the last `mark()`. */
  sinceMark(): string[];
  mark(): void;
  restore(): void;
}

export function captureOutput(): OutputCapture {
  const all: string[] = [];
  let markAt = 0;
  const record = (chunk: unknown): void => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString() : String(chunk);
    all.push(...text.split('\n').filter((line) => line.length > 0));
  };
  const spies = [
    ...[process.stdout, process.stderr].map((stream) =>
      vi.spyOn(stream, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
        record(chunk);
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }),
    ),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => record(args.map(String).join(' '))),
    ),
  ];
  return {
    all,
    sinceMark: () => all.slice(markAt),
    mark: () => {
      markAt = all.length;
    },
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
