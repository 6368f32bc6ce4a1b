import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { flattenConversation } from '../core/llm/prompt.js';
import { scrubSecrets } from '../core/llm/secrets.js';
import { LlmRequestError, type BodyReply, type BodyWriter } from '../core/llm/types.js';

/**
 * Claude Code's CLI in print mode: `claude -p --output-format json`, the conversation on standard
 * input, the guidance as its system prompt, no tools and no MCP server, one turn, nothing saved. It answers with the
 * account and model the user set up in Claude Code; no key passes through this program.
 */
export interface ClaudeCodeOptions {
  /** `--model`: an alias the CLI knows or a full id; undefined passes none (its own default). */
  model: string | undefined;
  /** Default `claude`, found on PATH. */
  command?: string;
  /** Where it runs: default an empty temporary folder, so no project file is read. */
  cwd?: string;
  /** Default process.env. */
  env?: Record<string, string | undefined>;
  secrets: readonly string[];
}

/** A system prompt longer than this goes through a file (command lines have a length limit). */
const INLINE_SYSTEM_LIMIT = 64 * 1024;

interface ResultJson {
  type?: unknown;
  is_error?: unknown;
  subtype?: unknown;
  result?: unknown;
  stop_reason?: unknown;
  usage?: { input_tokens?: unknown; output_tokens?: unknown };
  modelUsage?: Record<string, { outputTokens?: unknown }>;
}

function parseResult(stdout: string): ResultJson | undefined {
  const candidates = [stdout.trim(), ...stdout.trim().split('\n').reverse()];
  for (const text of candidates) {
    if (!text.startsWith('{')) continue;
    try {
      const value = JSON.parse(text) as unknown;
      if (value && typeof value === 'object' && (value as ResultJson).type === 'result') {
        return value as ResultJson;
      }
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** The model that wrote most of the reply, from `modelUsage`. */
function modelOf(json: ResultJson): string | undefined {
  const entries = Object.entries(json.modelUsage ?? {});
  entries.sort(([, a], [, b]) => Number(b.outputTokens ?? 0) - Number(a.outputTokens ?? 0));
  return entries[0]?.[0];
}

const NOT_ON_PATH =
  '`claude` (the Claude Code CLI) is not on PATH: install Claude Code, or use --llm anthropic or --llm openai';

function failure(text: string, secrets: readonly string[]): Error {
  const said = scrubSecrets(text, secrets).replace(/\s+/g, ' ').trim().slice(0, 300);
  if (/api key|log ?in|\/login|unauthori[sz]ed|authenticat|401|oauth|credential/i.test(said)) {
    return new UserError(`claude-code cannot reach the model: ${said} (run \`claude\` to log in)`);
  }
  if (/rate.?limit|usage limit|too many requests|429|overloaded|529/i.test(said)) {
    return new LlmRequestError('rate-limited', `claude-code: ${said}`, { retryable: true });
  }
  return new LlmRequestError('server', `claude-code failed: ${said || 'no reason given'}`, {
    retryable: /\b5\d\d\b|api error|internal server error|timed? ?out/i.test(said),
  });
}

export function claudeCodeWriter(options: ClaudeCodeOptions): BodyWriter {
  const command = options.command ?? 'claude';
  const env = options.env ?? process.env;
  return {
    provider: 'claude-code',
    model: options.model,
    async write(request, signal): Promise<BodyReply> {
      const { execa } = await import('execa');
      const cwd = options.cwd ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-claude-')));
      const args = [
        '-p',
        '--output-format',
        'json',
        '--tools',
        '',
        // No MCP server either (they bring tools of their own): none is given.
        '--strict-mcp-config',
        '--max-turns',
        '1',
        '--no-session-persistence',
      ];
      if (options.model) args.push('--model', options.model);
      let systemFile: string | undefined;
      if (request.system.length > INLINE_SYSTEM_LIMIT) {
        systemFile = path.join(cwd, 'system-prompt.md');
        await fs.writeFile(systemFile, request.system);
        args.push('--system-prompt-file', systemFile);
      } else {
        args.push('--system-prompt', request.system);
      }
      try {
        const result = await execa(command, args, {
          input: flattenConversation(request.messages),
          cwd,
          env,
          extendEnv: false,
          reject: false,
          cancelSignal: signal,
          forceKillAfterDelay: 2000,
          stripFinalNewline: false,
          maxBuffer: 64 * 1024 * 1024,
        });
        if (signal.aborted) throw signal.reason;
        if ('code' in result && result.code === 'ENOENT') throw new UserError(NOT_ON_PATH);
        const stdout = String(result.stdout ?? '');
        const json = parseResult(stdout);
        if (!json) {
          const said = result.exitCode === 0 ? stdout : `${String(result.stderr ?? '')} ${stdout}`;
          if (result.exitCode !== 0) throw failure(said, options.secrets);
          throw new LlmRequestError(
            'malformed',
            `claude-code printed no JSON result: ${scrubSecrets(stdout, options.secrets).trim().slice(0, 200) || '(nothing)'}`,
          );
        }
        const text = typeof json.result === 'string' ? json.result : '';
        if (json.is_error === true || result.exitCode !== 0) {
          throw failure(text || String(json.subtype ?? ''), options.secrets);
        }
        const usage = json.usage;
        return {
          text,
          model: modelOf(json) ?? options.model ?? 'claude-code default',
          ...(usage &&
          typeof usage.input_tokens === 'number' &&
          typeof usage.output_tokens === 'number'
            ? { usage: { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens } }
            : {}),
          ...(typeof json.stop_reason === 'string' ? { stopReason: json.stop_reason } : {}),
        };
      } finally {
        if (options.cwd === undefined) await fs.rm(cwd, { recursive: true, force: true });
        else if (systemFile) await fs.rm(systemFile, { force: true });
      }
    },
  };
}

/** Whether `claude` runs at all: a UserError before anything is asked or written when it does not. */
export async function checkClaudeCode(
  options: Pick<ClaudeCodeOptions, 'command' | 'env'>,
): Promise<void> {
  const { execa } = await import('execa');
  const result = await execa(options.command ?? 'claude', ['--version'], {
    env: options.env ?? process.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 30_000,
  });
  if ('code' in result && result.code === 'ENOENT') throw new UserError(NOT_ON_PATH);
  if (result.exitCode !== 0) {
    throw new UserError(
      `\`claude --version\` failed (exit ${result.exitCode ?? 'none'}): is Claude Code installed properly?`,
    );
  }
}
