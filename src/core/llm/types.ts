/**
 * The shapes every LLM provider shares: a request (system prompt and a conversation), a reply
 * (the text, the model that wrote it, what it cost), and the one interface a provider implements.
 * The providers themselves (network, processes) live in src/llm; this file is types only.
 */

/** The providers a user can pick with `--llm`. */
export const PROVIDERS = ['anthropic', 'openai', 'claude-code'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** One request for a body: the guidance file's body as system prompt, then the conversation. */
export interface BodyRequest {
  system: string;
  /** Starts with the user's message; a retry appends the rejected reply and the reasons. */
  messages: readonly ChatMessage[];
  /** Upper bound on the reply's length, in tokens (providers that take one). */
  maxTokens?: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface BodyReply {
  /** The model's text, as it came (code fences and all): see parseReply. */
  text: string;
  /** The model id that actually answered, as the provider reported it. */
  model: string;
  usage?: TokenUsage;
  /** Why the model stopped, as the provider says it (`end_turn`, `stop`, `max_tokens`...). */
  stopReason?: string;
  /** True when the reply came from the cache, not from the provider. */
  cached?: boolean;
}

/** A provider, or a wrapper around one (retries, cache). */
export interface BodyWriter {
  readonly provider: ProviderName;
  /** The model id asked for; undefined lets the provider pick (claude-code's `inherit`). */
  readonly model: string | undefined;
  /**
   * One reply. Throws LlmRequestError when this request failed (the caller may record it and go on
   * with other requests), UserError when no request can succeed (bad key, server unreachable),
   * and the signal's reason when the signal was aborted.
   */
  write(request: BodyRequest, signal: AbortSignal): Promise<BodyReply>;
}

export type LlmFailureKind =
  'timeout' | 'rate-limited' | 'server' | 'connection' | 'bad-request' | 'malformed';

/**
 * A request that failed on its own: others may still succeed. `retryable` says whether the same
 * request may succeed later (429, 5xx, a timeout, a dropped connection); `retryAfter` is the
 * server's `retry-after` header, `retryAfterMs` its `retry-after-ms` header, as they came.
 * Messages never hold a secret (the providers scrub them).
 */
export class LlmRequestError extends Error {
  readonly kind: LlmFailureKind;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfter: string | undefined;
  readonly retryAfterMs: string | undefined;

  constructor(
    kind: LlmFailureKind,
    message: string,
    options: {
      retryable?: boolean;
      status?: number;
      retryAfter?: string | null;
      retryAfterMs?: string | null;
    } = {},
  ) {
    super(message);
    this.name = 'LlmRequestError';
    this.kind = kind;
    this.retryable = options.retryable ?? false;
    this.status = options.status;
    this.retryAfter = options.retryAfter ?? undefined;
    this.retryAfterMs = options.retryAfterMs ?? undefined;
  }
}

/** Time, injectable: tests run the retry and timeout logic without waiting. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason as soon as it is aborted. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}
