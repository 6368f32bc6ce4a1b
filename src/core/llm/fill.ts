import { continueWithFeedback, type BuiltPrompt } from './prompt.js';
import { parseReply, type ParsedBody, type ParsedReply, type ReplyRules } from './reply.js';
import {
  LlmRequestError,
  type BodyReply,
  type BodyRequest,
  type BodyWriter,
  type TokenUsage,
} from './types.js';

/**
 * The project's own checks on a candidate body (format, Ruff, mypy, tests...), plugged in by the
 * caller: the problems found, each one line fit to send to the model; none means the body passes.
 * `attempt` is 1-based. It may throw to stop everything (a UserError, an abort).
 */
export type BodyChecker = (
  candidate: ParsedBody,
  attempt: number,
  signal: AbortSignal,
) => Promise<readonly string[]>;

export interface FillOptions {
  /** What the reply must respect (see parseReply). */
  rules: ReplyRules;
  /** How a reply is read (default parseReply with `rules`; parseFillReply asks for a test too). */
  parse?: (reply: string) => ParsedReply;
  check?: BodyChecker;
  /** How many times a rejected reply is sent back with its problems (default 2). */
  retries?: number;
  maxTokens?: number;
  /** Called after each reply, accepted or not. */
  onAttempt?: (attempt: FillAttempt) => void;
}

export interface FillAttempt {
  /** 1-based. */
  number: number;
  model: string;
  cached: boolean;
  /** Why the reply was rejected; empty when it was accepted. */
  problems: string[];
}

interface Tally {
  tries: number;
  usage: TokenUsage;
  attempts: FillAttempt[];
}

export type FillOutcome =
  | ({ status: 'filled'; body: ParsedBody; model: string; cached: boolean } & Tally)
  | ({
      status: 'failed';
      /** One line for the report: why the stub stays. */
      reason: string;
      /** The last reply's problems (empty when the request itself failed). */
      problems: string[];
      model: string | undefined;
    } & Tally);

export const DEFAULT_FILL_RETRIES = 2;

/**
 * Asks for a body until one passes the reply rules and `check`, sending each rejected reply back
 * with its problems, at most `retries` times. A request that fails on its own (LlmRequestError:
 * timeout, 429s past the retries...) ends with a `failed` outcome; anything else is thrown.
 */
export async function fillBody(
  writer: BodyWriter,
  prompt: BuiltPrompt,
  options: FillOptions,
  signal: AbortSignal,
): Promise<FillOutcome> {
  const retries = options.retries ?? DEFAULT_FILL_RETRIES;
  const tally: Tally = { tries: 0, usage: { inputTokens: 0, outputTokens: 0 }, attempts: [] };
  let request: BodyRequest = {
    system: prompt.system,
    messages: prompt.messages,
    ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
  };
  let last: { reply: BodyReply; problems: string[] } | undefined;
  for (let number = 1; number <= retries + 1; number += 1) {
    let reply: BodyReply;
    try {
      reply = await writer.write(request, signal);
    } catch (error) {
      if (!(error instanceof LlmRequestError)) throw error;
      return {
        status: 'failed',
        reason: `the request failed: ${error.message}`,
        problems: [],
        model: last?.reply.model ?? writer.model,
        ...tally,
      };
    }
    tally.tries = number;
    tally.usage.inputTokens += reply.usage?.inputTokens ?? 0;
    tally.usage.outputTokens += reply.usage?.outputTokens ?? 0;
    const parsed = options.parse
      ? options.parse(reply.text)
      : parseReply(reply.text, options.rules);
    const problems = parsed.ok
      ? [...((await options.check?.(parsed, number, signal)) ?? [])]
      : parsed.problems.map((p) => p.message);
    const attempt = { number, model: reply.model, cached: reply.cached === true, problems };
    tally.attempts.push(attempt);
    options.onAttempt?.(attempt);
    if (parsed.ok && problems.length === 0) {
      const body: ParsedBody = {
        body: parsed.body,
        imports: parsed.imports,
        ...(parsed.test === undefined ? {} : { test: parsed.test }),
      };
      return { status: 'filled', body, model: reply.model, cached: attempt.cached, ...tally };
    }
    last = { reply, problems };
    request = continueWithFeedback(request, reply.text, problems);
  }
  const problems = last?.problems ?? [];
  const tries = tally.tries === 1 ? '1 try' : `${tally.tries} tries`;
  return {
    status: 'failed',
    reason: `rejected after ${tries}: ${problems.join('; ')}`,
    problems,
    model: last?.reply.model,
    ...tally,
  };
}
