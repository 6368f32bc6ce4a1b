/** How post-steps run programs; tests inject a fake, the CLI uses execa. */
export interface CommandResult {
  exitCode: number;
  output: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Aborting it stops the program (Ctrl-C during a post-step). */
  signal?: AbortSignal;
}

export interface CommandRunner {
  run(command: string, args: readonly string[], options: RunOptions): Promise<CommandResult>;
  /** Whether a program is on PATH. */
  has(command: string): Promise<boolean>;
}

export function execaRunner(): CommandRunner {
  return {
    async run(command, args, options) {
      const { execa } = await import('execa');
      const { signal } = options;
      const subprocess = execa(command, args, {
        cwd: options.cwd,
        env: options.env,
        all: true,
        reject: false,
        stdin: 'ignore',
        // Its own process group, so that cancelling stops what it started too (pip under venv).
        detached: signal !== undefined,
      });
      const stop = (): void => {
        try {
          if (subprocess.pid) process.kill(-subprocess.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      signal?.addEventListener('abort', stop, { once: true });
      if (signal?.aborted) stop();
      const result = await subprocess;
      signal?.removeEventListener('abort', stop);
      if (result.exitCode === undefined) {
        // The program could not start (not found, not executable): the shell's convention.
        return { exitCode: 127, output: result.message ?? '' };
      }
      return { exitCode: result.exitCode, output: String(result.all ?? '') };
    },
    async has(command) {
      const { execa } = await import('execa');
      const result = await execa(command, ['--version'], { reject: false, stdin: 'ignore' });
      return result.exitCode === 0;
    },
  };
}
