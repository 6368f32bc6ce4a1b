/**
 * The LLM provider layer (an edge: network and processes). createLlm turns `--llm`, `--model`, the
 * guidance file's `model:` and the environment into one BodyWriter: the provider's client, with a
 * timeout and retries on each request, and a cache of replies when given a folder. The pure half
 * (prompt, reply parsing, the fill loop, concurrency) is src/core/llm, re-exported here.
 */
import { UserError } from '../core/errors.js';
import { MODEL_ENV, parseProvider, resolveModel, type ModelChoice } from '../core/llm/models.js';
import { resilientWriter, type RetryEvent, type RetryPolicy } from '../core/llm/retry.js';
import { scrubSecrets, secretsIn } from '../core/llm/secrets.js';
import type { BodyWriter, Clock } from '../core/llm/types.js';
import { anthropicWriter } from './anthropic.js';
import { cachingWriter, type CacheMode } from './cache.js';
import { checkClaudeCode, claudeCodeWriter } from './claude-code.js';
import { realClock } from './clock.js';
import type { LogSink } from './errors.js';
import { openaiWriter } from './openai.js';

export * from '../core/llm/index.js';
export { anthropicWriter, type AnthropicOptions } from './anthropic.js';
export { openaiWriter, type OpenAiOptions } from './openai.js';
export { claudeCodeWriter, checkClaudeCode, type ClaudeCodeOptions } from './claude-code.js';
export { cachingWriter, type CacheMode, type CacheOptions } from './cache.js';
export { realClock } from './clock.js';
export type { LogSink } from './errors.js';

export interface LlmConfig {
  /** `--llm`: anthropic, openai or claude-code. */
  provider: string;
  /** `--model`, when given. */
  modelFlag?: string;
  /** The guidance file's front matter `model:`, when it has one. */
  guidanceModel?: string;
  /**
   * Where keys, base URLs and CFA_MODEL are read (default process.env). For claude-code it is
   * also the whole environment of the `claude` process (PATH included).
   */
  env?: Record<string, string | undefined>;
  /** Keep replies in this folder (`.fastapi-agent/llm-cache/`); `refresh` asks again. */
  cache?: { dir: string; mode?: CacheMode };
  /** Timeout per request and retries (see RetryPolicy). */
  retry?: Partial<RetryPolicy>;
  onRetry?: (event: RetryEvent) => void;
  /** Stream replies (default true). */
  stream?: boolean;
  /** The reply's token limit (default 8192 for anthropic; the server's for openai). */
  maxTokens?: number;
  /** For tests: time without waiting. */
  clock?: Clock;
  /** Where the SDKs' log lines go, scrubbed (default standard error). */
  log?: LogSink;
  /** claude-code: the command (default `claude`) and the folder it runs in (default a temporary one). */
  claude?: { command?: string; cwd?: string };
}

export interface Llm {
  writer: BodyWriter;
  choice: ModelChoice;
  /** The secrets of the environment: never printed, never written. */
  secrets: readonly string[];
  /** Text fit to print or write: secrets and key-shaped strings replaced. */
  scrub(text: string): string;
  /** What can be checked before any request (claude on PATH): a UserError if not. */
  preflight(): Promise<void>;
}

function baseUrl(
  env: Record<string, string | undefined>,
  name: string,
  keyVar: string,
): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${name} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(`${name} is not an http(s) URL`);
  }
  if (url.username || url.password) {
    throw new UserError(
      `${name} holds a user name or password: leave them out, the key goes in ${keyVar}`,
    );
  }
  return value;
}

/**
 * The writer for a provider, from configuration and environment. Throws a UserError (exit 2,
 * before anything is asked) for an unknown provider, an unknown model alias, a missing key or a
 * base URL that is not one.
 */
export function createLlm(config: LlmConfig): Llm {
  const env = config.env ?? process.env;
  const provider = parseProvider(config.provider);
  const choice = resolveModel(provider, {
    flag: config.modelFlag,
    env: env[MODEL_ENV],
    guidance: config.guidanceModel,
  });
  const secrets = secretsIn(env);
  const log = config.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const common = {
    secrets,
    log,
    ...(config.stream === undefined ? {} : { stream: config.stream }),
    ...(config.maxTokens === undefined ? {} : { maxTokens: config.maxTokens }),
  };
  let provided: BodyWriter;
  if (provider === 'anthropic') {
    const apiKey = env.ANTHROPIC_API_KEY?.trim();
    if (!apiKey) {
      throw new UserError(
        'ANTHROPIC_API_KEY is not set: export your Anthropic API key, or use --llm claude-code',
      );
    }
    const baseURL = baseUrl(env, 'ANTHROPIC_BASE_URL', 'ANTHROPIC_API_KEY');
    provided = anthropicWriter({
      ...common,
      apiKey,
      model: choice.id ?? 'claude-sonnet-5-5',
      ...(baseURL ? { baseURL } : {}),
    });
  } else if (provider === 'openai') {
    const baseURL = baseUrl(env, 'OPENAI_BASE_URL', 'OPENAI_API_KEY');
    const apiKey = env.OPENAI_API_KEY?.trim();
    if (!apiKey && !baseURL) {
      throw new UserError(
        'OPENAI_API_KEY is not set: export your OpenAI API key, or point OPENAI_BASE_URL at an OpenAI-compatible server',
      );
    }
    provided = openaiWriter({
      ...common,
      // Local servers (Ollama, vLLM, LM Studio) take any key; the SDK wants one.
      apiKey: apiKey || 'no-key',
      model: choice.id ?? 'gpt-5.6-terra',
      ...(baseURL ? { baseURL } : {}),
    });
  } else {
    provided = claudeCodeWriter({
      model: choice.id,
      env,
      secrets,
      ...(config.claude?.command ? { command: config.claude.command } : {}),
      ...(config.claude?.cwd ? { cwd: config.claude.cwd } : {}),
    });
  }
  let writer = resilientWriter(provided, {
    clock: config.clock ?? realClock,
    ...(config.retry ? { policy: config.retry } : {}),
    ...(config.onRetry ? { onRetry: config.onRetry } : {}),
  });
  if (config.cache) {
    writer = cachingWriter(writer, {
      dir: config.cache.dir,
      secrets,
      ...(config.cache.mode ? { mode: config.cache.mode } : {}),
    });
  }
  return {
    writer,
    choice,
    secrets,
    scrub: (text) => scrubSecrets(text, secrets),
    async preflight() {
      if (provider === 'claude-code') {
        await checkClaudeCode({
          env,
          ...(config.claude?.command ? { command: config.claude.command } : {}),
        });
      }
    },
  };
}
