import { ServerResponse } from 'node:http';

// Time runs `scale` times faster in this process: Date (and Date.now) read a virtual clock and
// timers fire after 1/scale of the delay asked for. The fake server and the scanner then run
// with Okta's real numbers (60 s windows, 60 ms latency, X-Rate-Limit-Reset in whole epoch
// seconds, the SDK's +1 s on a reset wait), only faster. Scaling the window alone would not do:
// a 1 s window is far shorter than the one-second resolution of Okta's reset header, and the
// scanner's waits would be measured against a clock the headers cannot express.
// Both processes install it with the same origin (and start), so their virtual clocks agree.
// performance.now() and process.hrtime() are left real: the bench measures with them.

export interface VirtualClock {
  scale: number;
  origin: number;
  now: () => number;
}

/**
 * `origin`: the real epoch ms the clock starts from; `startAt`: what it reads then (default: the
 * real time; the orchestrated bench starts it at the org's date, as the plain bench's `--now`).
 */

const RealDate = Date;
const realNow = Date.now.bind(Date);

export function installVirtualClock(scale: number, origin: number, startAt = origin): VirtualClock {
  const now = (): number => startAt + (realNow() - origin) * scale;

  function VirtualDate(this: unknown, ...args: unknown[]): Date | string {
    if (!new.target) return new RealDate(now()).toString();
    return args.length === 0 ? new RealDate(now()) : new (RealDate as DateConstructor)(...(args as [number]));
  }
  VirtualDate.prototype = RealDate.prototype;
  VirtualDate.now = now;
  VirtualDate.parse = RealDate.parse;
  VirtualDate.UTC = RealDate.UTC;
  globalThis.Date = VirtualDate as unknown as DateConstructor;

  const realSetTimeout = globalThis.setTimeout;
  const realSetInterval = globalThis.setInterval;
  const scaled = (ms: unknown): number => Math.max(0, (Number(ms) || 0) / scale);
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) =>
    realSetTimeout(fn, scaled(ms), ...rest)) as typeof setTimeout;
  globalThis.setInterval = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) =>
    realSetInterval(fn, scaled(ms), ...rest)) as typeof setInterval;

  // Node writes the Date response header from its own (real) clock; the SDK computes rate-limit
  // waits as X-Rate-Limit-Reset minus that header, so a server must send virtual time in both.
  const writeHead = ServerResponse.prototype.writeHead;
  ServerResponse.prototype.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent && !this.hasHeader('date')) this.setHeader('date', new RealDate(now()).toUTCString());
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof writeHead;

  return { scale, origin, now };
}
