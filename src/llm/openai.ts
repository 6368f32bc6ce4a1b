import { LlmRequestError, type BodyReply, type BodyWriter } from '../core/llm/types.js';
import {
  fromSdkError,
  scrubbingLogger,
  shownEndpoint,
  type ErrorContext,
  type LogSink,
} from './errors.js';

/**
 * OpenAI's Chat Completions API through the `openai` SDK, against OpenAI itself or any server that
 * speaks it (Ollama, vLLM, LM Studio) through OPENAI_BASE_URL. Streaming by default.
 */
export interface OpenAiOptions {
  /** Local servers take any key: createLlm passes a placeholder when OPENAI_BASE_URL is set. */
  apiKey: string;
  /** Default: the SDK's (api.openai.com/v1). */
  baseURL?: string;
  model: string;
  stream?: boolean;
  /** Default token limit when the request gives none. */
  maxTokens?: number;
  secrets: readonly string[];
  log: LogSink;
}

const DEFAULT_ENDPOINT = 'https://api.openai.com/v1';

const malformed = (what: string): LlmRequestError =>
  new LlmRequestError('malformed', `openai sent ${what}`);

export function openaiWriter(options: OpenAiOptions): BodyWriter {
  const endpoint = options.baseURL ?? DEFAULT_ENDPOINT;
  const base = {
    provider: 'openai' as const,
    endpoint: shownEndpoint(endpoint),
    keyVar: 'OPENAI_API_KEY',
    baseVar: 'OPENAI_BASE_URL',
    model: options.model,
    secrets: options.secrets,
  };
  // OpenAI's own API takes `max_completion_tokens` (its reasoning models refuse `max_tokens`);
  // compatible servers know `max_tokens` better.
  const official = new URL(endpoint).hostname === 'api.openai.com';
  type Sdk = typeof import('openai');
  let loaded: Promise<{ client: InstanceType<Sdk['default']>; ctx: ErrorContext }> | undefined;
  const connect = async () => {
    const sdk = await import('openai');
    const client = new sdk.default({
      apiKey: options.apiKey,
      baseURL: endpoint,
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: 60 * 60 * 1000,
      logger: scrubbingLogger(options.secrets, options.log),
    });
    return { client, ctx: { ...base, sdk } };
  };

  return {
    provider: 'openai',
    model: options.model,
    async write(request, signal): Promise<BodyReply> {
      loaded ??= connect();
      const { client: openai, ctx } = await loaded;
      const limit = request.maxTokens ?? options.maxTokens;
      const params = {
        model: options.model,
        messages: [
          { role: 'system' as const, content: request.system },
          ...request.messages.map((m) => ({ role: m.role, content: m.content })),
        ],
        ...(limit === undefined
          ? {}
          : official
            ? { max_completion_tokens: limit }
            : { max_tokens: limit }),
      };
      try {
        if (options.stream === false) {
          const completion = await openai.chat.completions.create(
            { ...params, stream: false },
            { signal },
          );
          if (!Array.isArray(completion.choices)) throw malformed('a completion without choices');
          const choice = completion.choices[0];
          return {
            text: choice?.message.content ?? '',
            model: completion.model,
            ...(completion.usage
              ? {
                  usage: {
                    inputTokens: completion.usage.prompt_tokens,
                    outputTokens: completion.usage.completion_tokens,
                  },
                }
              : {}),
            ...(choice?.finish_reason ? { stopReason: choice.finish_reason } : {}),
          };
        }
        const stream = await openai.chat.completions.create(
          { ...params, stream: true, stream_options: { include_usage: true } },
          { signal },
        );
        let text = '';
        let model = options.model;
        let stopReason: string | undefined;
        let usage: BodyReply['usage'];
        let chunks = 0;
        for await (const chunk of stream) {
          chunks += 1;
          if (chunk.model) model = chunk.model;
          const choice = chunk.choices[0];
          text += choice?.delta?.content ?? '';
          if (choice?.finish_reason) stopReason = choice.finish_reason;
          if (chunk.usage) {
            usage = {
              inputTokens: chunk.usage.prompt_tokens,
              outputTokens: chunk.usage.completion_tokens,
            };
          }
        }
        if (chunks === 0) throw malformed('a stream without a single chunk');
        return {
          text,
          model,
          ...(usage ? { usage } : {}),
          ...(stopReason ? { stopReason } : {}),
        };
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (error instanceof LlmRequestError) throw error;
        throw fromSdkError(error, ctx);
      }
    },
  };
}
