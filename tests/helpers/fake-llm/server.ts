/**
 * A local stand-in for the model providers: one HTTP server on 127.0.0.1 (an ephemeral port) that
 * speaks the Anthropic Messages API (`POST /v1/messages`) and the OpenAI Chat Completions API
 * (`POST /v1/chat/completions`), streaming (SSE) or not, as the request asks. What it answers is
 * scripted: a list of replies taken in turn (the last one repeats) or a function of the request.
 * Every request is recorded, headers included, so tests can assert what was sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeApi = 'anthropic' | 'openai';

export interface FakeRequest {
  api: FakeApi;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  stream: boolean;
  model: string;
  /** The system prompt (Anthropic's `system`, OpenAI's system message). */
  system: string;
  /** The conversation without the system message. */
  messages: Array<{ role: string; content: string }>;
  /** The API key sent (x-api-key or the bearer token), for assertions only. */
  key: string | undefined;
}

export type FakeReply =
  /** A good reply: the model's text. */
  | { text: string; model?: string; usage?: { input: number; output: number }; stop?: string }
  /** An error status in the API's error format, with headers (retry-after...). */
  | { status: number; message?: string; headers?: Record<string, string> }
  /** Anything, as it is (a malformed body). */
  | { raw: string; status?: number; contentType?: string }
  /** Never answers (until the client gives up or the server closes). */
  | { hang: true };

export type Responder = (request: FakeRequest, index: number) => FakeReply | Promise<FakeReply>;

export interface FakeLlmOptions {
  /** Replies in turn (the last repeats), or a function of the request (index from 0). */
  replies?: readonly FakeReply[] | Responder;
  /** Waited before every answer, in ms (the model's latency, for benchmarks). */
  latencyMs?: number;
  /** When set, a request with another key gets a 401 in the API's format. */
  expectKey?: string;
  /** Streamed text comes in pieces of this many characters (default 16). */
  chunkSize?: number;
}

export interface FakeLlmServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** For `ANTHROPIC_BASE_URL` (the SDK adds `/v1/messages`). */
  anthropicBaseURL: string;
  /** For `OPENAI_BASE_URL` (the SDK adds `/chat/completions`). */
  openaiBaseURL: string;
  requests: FakeRequest[];
  /** Replaces the script; the request index starts again from 0. */
  setReplies(replies: readonly FakeReply[] | Responder): void;
  close(): Promise<void>;
}

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        part && typeof part === 'object' && 'text' in part ? String(part.text) : '',
      )
      .join('');
  }
  return '';
}

function describe(
  api: FakeApi,
  headers: http.IncomingHttpHeaders,
  body: Record<string, unknown>,
): FakeRequest {
  const raw = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  const all = raw.map((m) => ({ role: String(m.role), content: text(m.content) }));
  const system =
    api === 'anthropic'
      ? text(body.system)
      : all
          .filter((m) => m.role === 'system' || m.role === 'developer')
          .map((m) => m.content)
          .join('\n');
  const bearer = /^Bearer\s+(.+)$/i.exec(String(headers.authorization ?? ''))?.[1];
  const apiKey = headers['x-api-key'];
  return {
    api,
    headers,
    body,
    stream: body.stream === true,
    model: String(body.model ?? ''),
    system,
    messages: all.filter((m) => m.role !== 'system' && m.role !== 'developer'),
    key: typeof apiKey === 'string' ? apiKey : bearer,
  };
}

function errorBody(api: FakeApi, status: number, message: string): string {
  if (api === 'anthropic') {
    const type =
      status === 401
        ? 'authentication_error'
        : status === 429
          ? 'rate_limit_error'
          : status === 529
            ? 'overloaded_error'
            : status >= 500
              ? 'api_error'
              : status === 404
                ? 'not_found_error'
                : 'invalid_request_error';
    return JSON.stringify({ type: 'error', error: { type, message } });
  }
  return JSON.stringify({
    error: {
      message,
      type: status === 401 ? 'invalid_request_error' : 'server_error',
      param: null,
      code: null,
    },
  });
}

function pieces(content: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < content.length; i += size) out.push(content.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

const sse = (event: string | undefined, data: unknown): string =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

function anthropicAnswer(
  request: FakeRequest,
  reply: { text: string; model?: string; usage?: { input: number; output: number }; stop?: string },
  chunkSize: number,
): { contentType: string; body: string } {
  const model = reply.model ?? request.model;
  const usage = reply.usage ?? { input: 100, output: 50 };
  const stop = reply.stop ?? 'end_turn';
  const id = 'msg_fake0001';
  if (!request.stream) {
    return {
      contentType: 'application/json',
      body: JSON.stringify({
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: reply.text }],
        stop_reason: stop,
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output },
      }),
    };
  }
  const events = [
    sse('message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: 1 },
      },
    }),
    sse('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    }),
    sse('ping', { type: 'ping' }),
    ...pieces(reply.text, chunkSize).map((piece) =>
      sse('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: piece },
      }),
    ),
    sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: usage.output },
    }),
    sse('message_stop', { type: 'message_stop' }),
  ];
  return { contentType: 'text/event-stream', body: events.join('') };
}

function openaiAnswer(
  request: FakeRequest,
  reply: { text: string; model?: string; usage?: { input: number; output: number }; stop?: string },
  chunkSize: number,
): { contentType: string; body: string } {
  const model = reply.model ?? request.model;
  const usage = reply.usage ?? { input: 100, output: 50 };
  const finish = reply.stop ?? 'stop';
  const id = 'chatcmpl-fake0001';
  const created = 1_700_000_000;
  const totals = {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
  };
  if (!request.stream) {
    return {
      contentType: 'application/json',
      body: JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: reply.text, refusal: null },
            logprobs: null,
            finish_reason: finish,
          },
        ],
        usage: totals,
      }),
    };
  }
  const chunk = (delta: Record<string, unknown>, finishReason: string | null): string =>
    sse(undefined, {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
  const streamOptions = request.body.stream_options as { include_usage?: boolean } | undefined;
  const events = [
    chunk({ role: 'assistant', content: '' }, null),
    ...pieces(reply.text, chunkSize).map((piece) => chunk({ content: piece }, null)),
    chunk({}, finish),
    ...(streamOptions?.include_usage
      ? [
          sse(undefined, {
            id,
            object: 'chat.completion.chunk',
            created,
            model,
            choices: [],
            usage: totals,
          }),
        ]
      : []),
    sse(undefined, '[DONE]'),
  ];
  return { contentType: 'text/event-stream', body: events.join('') };
}

/** Starts the fake provider; close it when done. */
export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlmServer> {
  let script: readonly FakeReply[] | Responder = options.replies ?? [
    { text: '```python\nreturn None\n```' },
  ];
  let index = 0;
  const requests: FakeRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const chunkSize = options.chunkSize ?? 16;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = req.url ?? '';
        const api: FakeApi | undefined = url.endsWith('/v1/messages')
          ? 'anthropic'
          : url.endsWith('/chat/completions')
            ? 'openai'
            : undefined;
        if (req.method !== 'POST' || !api) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: `no route ${req.method} ${url}` } }));
          return;
        }
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(errorBody(api, 400, 'the body is not JSON'));
          return;
        }
        const request = describe(api, req.headers, body);
        requests.push(request);
        const at = index;
        index += 1;
        if (options.expectKey !== undefined && request.key !== options.expectKey) {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(errorBody(api, 401, 'invalid x-api-key'));
          return;
        }
        const reply =
          typeof script === 'function'
            ? await script(request, at)
            : (script[Math.min(at, script.length - 1)] ?? { status: 500 });
        if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
        if ('hang' in reply) {
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        }
        if ('raw' in reply) {
          res.writeHead(reply.status ?? 200, {
            'content-type': reply.contentType ?? 'application/json',
          });
          res.end(reply.raw);
          return;
        }
        if ('status' in reply) {
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(errorBody(api, reply.status, reply.message ?? `fake error ${reply.status}`));
          return;
        }
        const answer =
          api === 'anthropic'
            ? anthropicAnswer(request, reply, chunkSize)
            : openaiAnswer(request, reply, chunkSize);
        res.writeHead(200, { 'content-type': answer.contentType });
        res.end(answer.body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    anthropicBaseURL: url,
    openaiBaseURL: `${url}/v1`,
    requests,
    setReplies(replies) {
      script = replies;
      index = 0;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A reply whose text is one python block holding `code`. */
export function pythonReply(code: string, extra: { model?: string } = {}): FakeReply {
  return { text: `Here it is.\n\n\`\`\`python\n${code}\n\`\`\`\n`, ...extra };
}

/** `http://127.0.0.1:PORT` for a port nobody listens on (it was free a moment ago). */
export async function freePortUrl(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
