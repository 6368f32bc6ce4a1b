import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { execa, type Options } from 'execa';
import { PACKAGE_ROOT } from '../../src/io/paths.js';

export const CLI = path.join(PACKAGE_ROOT, 'bin', 'create-fastapi-agent.js');
/** pip's download cache, kept inside the repo's ignored folders so CI reruns are fast. */
export const PIP_CACHE_DIR = path.join(PACKAGE_ROOT, '.cache', 'pip');

export interface Ran {
  exitCode: number;
  stdout: string;
  stderr: string;
  all: string;
}

/** Runs a program and returns what it did; never throws on a non-zero exit. */
export async function run(command: string, args: string[], options: Options = {}): Promise<Ran> {
  const result = await execa(command, args, {
    reject: false,
    all: true,
    stdin: 'ignore',
    ...options,
    env: { PIP_CACHE_DIR, PIP_DISABLE_PIP_VERSION_CHECK: '1', ...options.env },
  });
  return {
    exitCode: result.exitCode ?? 127,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    all: String(result.all ?? ''),
  };
}

/** Runs the built CLI as a user would, with no TTY. */
export function runCliProcess(args: string[], options: Options = {}): Promise<Ran> {
  return run(process.execPath, [CLI, ...args], options);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}
