import type { BodyRequest, ChatMessage } from './types.js';

/**
 * What a model is told. The system prompt is the guidance file's body, as it is; the user message
 * carries what the body needs and nothing else: the function (signature and docstring), the schemas
 * and models it touches, its module's other functions, the project's error types, and the rules.
 * The caller gathers these from the project; here they are plain text.
 */
export interface BodyContext {
  /** The function whose body is asked for. */
  functionName: string;
  /** Where it lives, for the model's orientation: `app/services/orders.py`. */
  modulePath: string;
  /** Its `async def ...:` line(s), as in the module. */
  signature: string;
  /** Its docstring's text (the summary the user gave). */
  docstring: string;
  /** Source of the request and response schemas it touches ('' when none). */
  schemas: string;
  /** Source of the ORM models it touches ('' when none). */
  models: string;
  /** Source of the module's other functions ('' when none). */
  moduleFunctions: string;
  /** Where `moduleFunctions` come from, when not `modulePath` (the package's `service.py`). */
  moduleFunctionsPath?: string;
  /** Source of the project's error types (the domain errors the body raises). */
  errorTypes: string;
  /** Modules the body may import from (see parseReply). */
  allowedImports: readonly string[];
  /** When set, the reply carries a test module too (see parseFillReply). */
  tests?: TestContext;
}

/** What a model needs to write the test module that replaces the stub's 501 test. */
export interface TestContext {
  /** `tests/orders/test_cancel_order.py` */
  path: string;
  /** The module as it is now (it pins the 501): its helpers and fixtures show how to test. */
  current: string;
  /** The fixtures the tests may use (their `def` lines and docstrings, from conftest.py). */
  fixtures: string;
  /** Test functions to keep as they are. */
  keep: readonly string[];
  /** Modules the test module may import from. */
  allowedImports: readonly string[];
}

/** The rules of the test module, one per line. */
export function testRules(context: BodyContext, tests: TestContext): string[] {
  const keep = tests.keep.map((k) => `\`${k}\``).join(', ');
  return [
    `Write the whole test module \`${tests.path}\`: it replaces the one above, whose test of the 501 no longer holds once \`${context.functionName}\` is written.`,
    'Test what the body does through the HTTP API, with the fixtures above (async tests, no decorator needed): the success case and each domain error it raises.',
    ...(keep ? [`Keep ${keep} as it is.`] : []),
    `Import only from these modules: ${tests.allowedImports.map((m) => `\`${m}\``).join(', ')}.`,
    "Type every function (the project runs mypy --strict) and keep to the project's Ruff rules.",
  ];
}

export interface BuiltPrompt {
  system: string;
  messages: ChatMessage[];
}

/** Used when the guidance file has no body: the request still needs a system prompt. */
export const FALLBACK_SYSTEM_PROMPT =
  'You are a senior Python developer who writes FastAPI services: small, typed, async, tested.';

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fenced(text: string, lang = 'python'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.replace(/\s+$/, '')}\n${fence}`;
}

function section(title: string, source: string, none: string): string {
  return `## ${title}\n\n${source.trim() === '' ? none : fenced(source)}`;
}

/** The rules, one per line: what the reply is checked against (parseReply, then the project's checks). */
export function bodyRules(context: BodyContext): string[] {
  const name = `\`${context.functionName}\``;
  const imports = context.allowedImports.map((m) => `\`${m}\``).join(', ');
  return [
    `Write only the body of ${name}: no \`def\` line, no decorator, no docstring; do not change any other code.`,
    'Define no other function or class (a lambda will do).',
    `${name} is async: await what is async, and never block (no \`time.sleep\`, no synchronous I/O).`,
    "Signal failures by raising the project's domain errors above, never HTTP errors (no `HTTPException`, no status codes): the routes turn domain errors into responses.",
    imports === ''
      ? 'Import nothing.'
      : `Import only from these modules: ${imports}. Put each import you need as a line at the top of the block.`,
  ];
}

/** The first request for a body. */
export function buildBodyPrompt(guidanceBody: string, context: BodyContext): BuiltPrompt {
  const stub = `${context.signature.replace(/\s+$/, '')}\n    """${context.docstring.trim()}"""`;
  const user = [
    `Implement the body of \`${context.functionName}\` in \`${context.modulePath}\`.`,
    `## The function\n\n${fenced(stub)}`,
    section('Schemas it uses', context.schemas, 'None.'),
    section('Models it uses', context.models, 'None.'),
    section(
      `The other functions of \`${context.moduleFunctionsPath ?? context.modulePath}\``,
      context.moduleFunctions,
      'None yet.',
    ),
    section("The project's error types", context.errorTypes, 'None.'),
    `## Rules\n\n${bodyRules(context)
      .map((r) => `- ${r}`)
      .join('\n')}`,
    ...(context.tests ? testSections(context, context.tests) : []),
    context.tests
      ? '## Reply\n\nReply with exactly two ```python blocks. First: the import lines the body needs ' +
        `(if any), then the statements of the body of \`${context.functionName}\`. Second: the whole ` +
        `test module \`${context.tests.path}\`. Text outside the blocks is ignored.`
      : '## Reply\n\nReply with exactly one ```python block: the import lines first (if any), then the ' +
        `statements of the body of \`${context.functionName}\`. Text outside the block is ignored.`,
  ].join('\n\n');
  const system = guidanceBody.trim() === '' ? FALLBACK_SYSTEM_PROMPT : guidanceBody.trim();
  return { system, messages: [{ role: 'user', content: user }] };
}

function testSections(context: BodyContext, tests: TestContext): string[] {
  return [
    section(`Its test module now, \`${tests.path}\``, tests.current, 'None yet.'),
    section('Test fixtures (tests/conftest.py)', tests.fixtures, 'None.'),
    `## Rules of the tests\n\n${testRules(context, tests)
      .map((r) => `- ${r}`)
      .join('\n')}`,
  ];
}

/** The message that sends a rejected reply's problems back to the model. */
export function feedbackMessage(problems: readonly string[]): string {
  return [
    'That reply could not be used:',
    ...problems.map((p) => `- ${p.replace(/\s+$/, '')}`),
    '',
    'Reply again with the whole corrected ```python block, following the same rules.',
  ].join('\n');
}

/** The conversation for the next try: the prompt so far, the rejected reply, and why it was rejected. */
export function continueWithFeedback(
  request: BodyRequest,
  reply: string,
  problems: readonly string[],
): BodyRequest {
  return {
    ...request,
    messages: [
      ...request.messages,
      { role: 'assistant', content: reply },
      { role: 'user', content: feedbackMessage(problems) },
    ],
  };
}

/**
 * A conversation as one prompt, for a provider that takes one message (the `claude` CLI in print
 * mode): the first request as it is, then each rejected reply and the answer to it, labelled.
 */
export function flattenConversation(messages: readonly ChatMessage[]): string {
  return messages
    .map((m, i) =>
      i === 0
        ? m.content
        : m.role === 'assistant'
          ? `## Your previous reply\n\n${m.content}`
          : `## About that reply\n\n${m.content}`,
    )
    .join('\n\n');
}
