/**
 * A fake `claude` executable (Claude Code's CLI) for tests: put `env.PATH` first on PATH and the
 * claude-code provider runs it instead of the real one. In print mode it records its arguments and
 * standard input, then prints the scripted reply as `--output-format json` does (one result
 * object), or whatever raw text the script says. `claude --version` answers like the real one.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface FakeClaudeReply {
  /** The model's text (the result field). */
  result?: string;
  /** The model id reported in modelUsage (default claude-sonnet-5-5). */
  model?: string;
  isError?: boolean;
  subtype?: string;
  exitCode?: number;
  /** Waited before answering, in ms. */
  delayMs?: number;
  /** Printed instead of the JSON result. */
  stdout?: string;
  stderr?: string;
  usage?: { input: number; output: number };
}

export interface FakeClaudeCall {
  args: string[];
  stdin: string;
}

export interface FakeClaude {
  dir: string;
  /** The fake's folder first, then the rest of PATH. */
  env: { PATH: string };
  calls(): Promise<FakeClaudeCall[]>;
  setReplies(replies: readonly FakeClaudeReply[]): Promise<void>;
  cleanup(): Promise<void>;
}

const SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
if (args[0] === '--version') {
  process.stdout.write('2.1.300 (Claude Code)\\n');
  process.exit(0);
}
let stdin = '';
try { stdin = fs.readFileSync(0, 'utf8'); } catch {}
const calls = path.join(__dirname, 'calls');
let n = 0;
for (;;) {
  try { fs.mkdirSync(path.join(calls, String(n))); break; } catch { n += 1; }
}
fs.writeFileSync(path.join(calls, String(n), 'call.json'), JSON.stringify({ args, stdin }));
const replies = JSON.parse(fs.readFileSync(path.join(__dirname, 'replies.json'), 'utf8'));
const r = replies[Math.min(n, replies.length - 1)] || {};
setTimeout(() => {
  if (r.stderr) process.stderr.write(r.stderr);
  if (r.stdout !== undefined) {
    process.stdout.write(r.stdout);
  } else {
    const model = r.model || 'claude-sonnet-5-5';
    const usage = r.usage || { input: 120, output: 60 };
    process.stdout.write(JSON.stringify({
      type: 'result',
      subtype: r.subtype || (r.isError ? 'error_during_execution' : 'success'),
      is_error: !!r.isError,
      duration_ms: 12,
      duration_api_ms: 10,
      num_turns: 1,
      result: r.result || '',
      stop_reason: 'end_turn',
      session_id: '00000000-0000-4000-8000-000000000000',
      total_cost_usd: 0.0012,
      usage: { input_tokens: usage.input, output_tokens: usage.output },
      modelUsage: { [model]: { inputTokens: usage.input, outputTokens: usage.output, costUSD: 0.0012 } },
    }) + '\\n');
  }
  process.exit(r.exitCode === undefined ? (r.isError ? 1 : 0) : r.exitCode);
}, r.delayMs || 0);
`;

/** Writes the fake into a new temporary folder. */
export async function installFakeClaude(replies: readonly FakeClaudeReply[]): Promise<FakeClaude> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fake-claude-'));
  const bin = path.join(dir, 'claude');
  await fs.writeFile(bin, `#!${process.execPath}\n${SCRIPT}`, { mode: 0o755 });
  await fs.mkdir(path.join(dir, 'calls'));
  const write = (r: readonly FakeClaudeReply[]): Promise<void> =>
    fs.writeFile(path.join(dir, 'replies.json'), JSON.stringify(r));
  await write(replies);
  return {
    dir,
    env: { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` },
    async calls() {
      const names = await fs.readdir(path.join(dir, 'calls'));
      const sorted = names.map(Number).sort((a, b) => a - b);
      const out: FakeClaudeCall[] = [];
      for (const n of sorted) {
        const file = path.join(dir, 'calls', String(n), 'call.json');
        // A call still starting has its folder but not yet its file.
        const text = await fs.readFile(file, 'utf8').catch(() => undefined);
        if (text) out.push(JSON.parse(text) as FakeClaudeCall);
      }
      return out;
    },
    async setReplies(next) {
      await write(next);
      await fs.rm(path.join(dir, 'calls'), { recursive: true, force: true });
      await fs.mkdir(path.join(dir, 'calls'));
    },
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
