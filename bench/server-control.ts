import { type ChildProcess, fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { ParentMessage, ServerConfig, ServerMessage } from './server-process';

// Starts the fake Okta org of a benchmark in its own process (server-process.ts) and talks to it
// over IPC: its ready message (url, floor, org counts), its per-bucket stats, its close.

const ROOT = resolve(__dirname, '..');

export interface Server {
  child: ChildProcess;
  ready: Extract<ServerMessage, { type: 'ready' }>;
  stats(): Promise<Extract<ServerMessage, { type: 'stats' }>>;
  close(): Promise<void>;
}

export function startServer(config: ServerConfig, token: string): Promise<Server> {
  const child = fork(join(__dirname, 'server-process.ts'), [], {
    execArgv: [
      '--require',
      'tsx/cjs',
      '--max-old-space-size=2048',
      '--max-semi-space-size=32',
      ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
    ],
    env: { ...process.env, BENCH_SERVER_CONFIG: JSON.stringify(config), BENCH_SERVER_TOKEN: token },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    cwd: ROOT,
  });
  const next = <T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>> =>
    new Promise((resolveMessage, reject) => {
      const onMessage = (message: ServerMessage): void => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolveMessage(message as Extract<ServerMessage, { type: T }>);
      };
      const onExit = (code: number | null): void => reject(new Error(`the fake Okta process exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const send = (message: ParentMessage): void => {
    child.send(message);
  };
  return next('ready').then((ready) => ({
    child,
    ready,
    stats: () => {
      const reply = next('stats');
      send({ type: 'stats' });
      return reply;
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        child.once('exit', () => resolveClose());
        send({ type: 'close' });
      }),
  }));
}
