import type { BodyReply, BodyWriter } from '../core/llm/types.js';
import {
  fromSdkError,
  scrubbingLogger,
  shownEndpoint,
  type ErrorContext,
  type LogSink,
} from './errors.js';

/** The Claude API through `@anthropic-ai/sdk` (Messages API), streaming by default. */
export interface AnthropicOptions {
  apiKey: string;
  /** Default: the SDK's (api.anthropic.com); ANTHROPIC_BASE_URL in createLlm. */
  baseURL?: string;
  model: string;
  /** Stream the reply (server-sent events): no idle connection on long replies. Default true. */
  stream?: boolean;
  /** Default max_tokens when the request gives none. */
  maxTokens?: number;
  /** Everything to scrub from messages and logs (the key at least). */
  secrets: readonly string[];
  log: LogSink;
}

export const DEFAULT_MAX_TOKENS = 8192;
const DEFAULT_ENDPOINT = 'https://api.anthropic.com';

export function anthropicWriter(options: AnthropicOptions): BodyWriter {
  const base = {
    provider: 'anthropic' as const,
    endpoint: shownEndpoint(options.baseURL ?? DEFAULT_ENDPOINT),
    keyVar: 'ANTHROPIC_API_KEY',
    baseVar: 'ANTHROPIC_BASE_URL',
    model: options.model,
    secrets: options.secrets,
  };
  // The SDK is loaded on the first request only: commands that ask no model never pay for it.
  type Sdk = typeof import('@anthropic-ai/sdk');
  let loaded: Promise<{ client: InstanceType<Sdk['default']>; ctx: ErrorContext }> | undefined;
  const connect = async () => {
    const sdk = await import('@anthropic-ai/sdk');
    const client = new sdk.default({
      apiKey: options.apiKey,
      // Set even when undefined, so that the SDK reads nothing else from the environment.
      baseURL: options.baseURL ?? DEFAULT_ENDPOINT,
      // Retries and timeouts are resilientWriter's, on its clock.
      maxRetries: 0,
      timeout: 60 * 60 * 1000,
      logger: scrubbingLogger(options.secrets, options.log),
    });
    return { client, ctx: { ...base, sdk } };
  };

  return {
    provider: 'anthropic',
    model: options.model,
    async write(request, signal): Promise<BodyReply> {
      loaded ??= connect();
      const { client: anthropic, ctx } = await loaded;
      const params = {
        model: options.model,
        max_tokens: request.maxTokens ?? options.maxTokens ?? DEFAULT_MAX_TOKENS,
        system: request.system,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      };
      let message;
      try {
        message =
          options.stream === false
            ? await anthropic.messages.create({ ...params, stream: false }, { signal })
            : await anthropic.messages.stream(params, { signal }).finalMessage();
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw fromSdkError(error, ctx);
      }
      const text = message.content
        .map((block) => (block.type === 'text' ? block.text : ''))
        .join('');
      return {
        text,
        model: message.model,
        usage: {
          inputTokens: message.usage.input_tokens,
          outputTokens: message.usage.output_tokens,
        },
        ...(message.stop_reason ? { stopReason: message.stop_reason } : {}),
      };
    },
  };
}
