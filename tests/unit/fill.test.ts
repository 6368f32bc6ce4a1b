/**
 * `fill` and `add endpoint --llm` through the CLI, against the fake provider server (the real
 * SDKs over HTTP on 127.0.0.1): a project made by the CLI, without a `.venv`, so the checks are
 * the format and Ruff ones, in process. A good body and its tests are written and recorded; a
 * syntax error is fixed on retry; a 429 is waited out; a timeout, a malformed reply and a
 * forbidden import leave the stub with a reason; a 401 and every error that needs no request stop
 * the run with one line, exit 2 and nothing written; a rerun asks nothing (the cache); --refresh
 * asks again but never touches a body written by hand; a planted key appears nowhere.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import { bodyState, spliceBody } from '../../src/core/endpoint-body.js';
import { MANIFEST_PATH, parseManifest } from '../../src/core/manifest.js';
import type { ChangeReport } from '../../src/commands/report.js';
import { loadPythonFormatter, loadPythonLinter } from '../../src/io/ruff.js';
import { fakeIo } from '../helpers/cli.js';
import {
  freePortUrl,
  startFakeLlm,
  type FakeLlmServer,
  type FakeReply,
} from '../helpers/fake-llm/index.js';

const KEY = 'sk-ant-api03-PLANTEDfill9c1e5b2d4f60a8e7-SECRET';
const OPERATION = 'app/reports/operations/get_reports_count.py';
const TEST = 'tests/reports/test_get_reports_count.py';
const ARCHIVE = 'app/items/operations/archive_item.py';

const python = await loadPythonFormatter();
const linter = await loadPythonLinter();
let root: string;
let pristine: string;
let project: string;
let server: FakeLlmServer;
let n = 0;

const BODY = [
  'from sqlalchemy import func, select',
  '',
  'from app.users.models import User',
  '',
  'total = await session.scalar(select(func.count()).select_from(User))',
  'return Count(total=total or 0)',
].join('\n');

const TESTS = [
  '"""Tests of GET /api/v1/reports/count."""',
  '',
  'from httpx import AsyncClient',
  '',
  '',
  'async def test_get_reports_count_counts_the_users(user_client: AsyncClient) -> None:',
  '    response = await user_client.get("/api/v1/reports/count")',
  '',
  '    assert response.status_code == 200, response.text',
  '    assert response.json()["total"] >= 1',
  '',
  '',
  'async def test_get_reports_count_needs_a_signed_in_user(client: AsyncClient) -> None:',
  '    response = await client.get("/api/v1/reports/count")',
  '',
  '    assert response.status_code == 401',
].join('\n');

/** A reply with the body, then the test module. */
const good = (body = BODY, tests = TESTS): FakeReply => ({
  text: `Here they are.\n\n\`\`\`python\n${body}\n\`\`\`\n\n\`\`\`python\n${tests}\n\`\`\`\n`,
});

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-fill-'));
  pristine = path.join(root, 'pristine');
  const io = fakeIo();
  expect(await runCli([pristine, '--yes', '--no-install', '--no-git'], io)).toBe(0);
  for (const args of [
    ['add', 'router', 'reports'],
    [
      'add',
      'endpoint',
      'reports',
      'GET /reports/count',
      '--summary',
      'How many users there are',
      '--response',
      'Count:total:int',
    ],
    [
      'add',
      'endpoint',
      'items',
      'POST /items/{item_id}/archive',
      '--summary',
      'Archive an item',
      '--response',
      'item',
    ],
  ]) {
    expect(await runCli([...args, '--project', pristine], fakeIo())).toBe(0);
  }
  server = await startFakeLlm({ replies: [good()] });
}, 60_000);

afterAll(async () => {
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});

const ENV_KEYS = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'CFA_MODEL',
  'CFA_TEST_LLM_RETRY',
  'PATH',
];
let savedEnv: Record<string, string | undefined> = {};

beforeEach(async () => {
  savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  delete process.env.CFA_MODEL;
  delete process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_BASE_URL;
  process.env.ANTHROPIC_API_KEY = KEY;
  process.env.ANTHROPIC_BASE_URL = server.url;
  process.env.CFA_TEST_LLM_RETRY = JSON.stringify({ baseDelayMs: 1, maxDelayMs: 2 });
  n += 1;
  project = path.join(root, `p${n}`);
  await fs.cp(pristine, project, { recursive: true });
  server.requests.length = 0;
});

afterEach(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = v;
  }
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const code = await runCli([...args, '--project', project], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const read = (file: string): Promise<string> => fs.readFile(path.join(project, file), 'utf8');

async function manifest() {
  return parseManifest(await read(MANIFEST_PATH), MANIFEST_PATH).manifest;
}

/** Every file of the project, by path: to show that nothing was written. */
async function snapshotFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out.set(path.relative(dir, file), await fs.readFile(file, 'utf8'));
  }
  return out;
}

/** The function asked for in a request, for responders. */
const asked = (content: string): string => /body of `(\w+)`/.exec(content)?.[1] ?? '';

describe('fill', () => {
  test('a good body and its tests are written, formatted, lint-clean and recorded; --json says so', async () => {
    server.setReplies([good()]);
    const result = await cli('fill', 'get_reports_count', '--llm', 'anthropic', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as ChangeReport;
    expect(report).toMatchObject({
      ok: true,
      command: 'fill',
      fill: {
        provider: 'anthropic',
        model: 'claude-sonnet-5-5',
        checks: ['format', 'ruff'],
        filled: [
          {
            name: 'get_reports_count',
            operation: OPERATION,
            test: TEST,
            model: 'claude-sonnet-5-5',
            tries: 1,
            cached: false,
          },
        ],
        stubs: [],
      },
    });
    expect(report.files.updated).toEqual([OPERATION, TEST, MANIFEST_PATH]);
    expect(result.err).toMatch(/\[1\/1\] get_reports_count: filled by claude-sonnet-5-5/);

    // The request: the guidance file's body as system prompt, the function, the schema.
    const request = server.requests[0];
    expect(request?.system.startsWith('You are a senior backend engineer')).toBe(true);
    expect(request?.system).not.toContain('name: fastapi-backend-developer');
    const prompt = request?.messages[0]?.content ?? '';
    expect(prompt).toContain(
      'async def get_reports_count(session: Session, current_user: User) -> Count:',
    );
    expect(prompt).toContain('class Count(BaseModel):');
    expect(prompt).toContain('class NotImplementedYetError(AppError):');
    expect(prompt).toContain(TEST);
    expect(prompt).toContain('async def user_client(');

    const module = await read(OPERATION);
    expect(module).toContain(
      'total = await session.scalar(select(func.count()).select_from(User))',
    );
    expect(module).not.toContain('NotImplementedYetError');
    expect(python.format(module, OPERATION)).toBe(module);
    expect(linter.check(module, OPERATION)).toEqual([]);
    const tests = await read(TEST);
    expect(tests).toContain('test_get_reports_count_counts_the_users');
    expect(tests).not.toContain('501');
    const m = await manifest();
    const endpoint = m.endpoints.find((e) => e.name === 'get_reports_count');
    expect(endpoint?.filled).toEqual({ model: 'claude-sonnet-5-5', sha256: expect.any(String) });
    expect(bodyState(module, endpoint ?? { name: 'x' })).toBe('model');
    // The other endpoint was not asked for: still a stub.
    expect(bodyState(await read(ARCHIVE), { name: 'archive_item' })).toBe('stub');

    // A rerun: nothing left to fill, nothing asked.
    const again = await cli('fill', 'get_reports_count', '--llm', 'anthropic');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/nothing to fill/);
    expect(server.requests).toHaveLength(1);

    // regenerate keeps the body and its tests (the generator's version did not change).
    expect((await cli('regenerate')).code).toBe(0);
    expect(await read(OPERATION)).toBe(module);
    expect(await read(TEST)).toBe(tests);
  });

  test('a syntax error goes back to the model and is fixed on retry', async () => {
    server.setReplies([good('return Count(total=1'), good()]);
    const result = await cli('fill', 'get_reports_count', '--llm', 'anthropic');
    expect([result.code, result.err]).toEqual([0, expect.stringContaining('(2 tries)')]);
    expect(server.requests).toHaveLength(2);
    const feedback = server.requests[1]?.messages.at(-1)?.content ?? '';
    expect(feedback).toMatch(/not valid Python|never closed/);
    expect(result.out).toMatch(/filled {4}get_reports_count .*2 tries/);
  });

  test('a Ruff problem goes back to the model; failing every try leaves the stub and says why', async () => {
    // F841: a local variable assigned but never used.
    server.setReplies([good('unused = 1\nreturn Count(total=0)')]);
    const before = await snapshotFiles(project);
    const result = await cli('fill', 'get_reports_count', '--llm', 'anthropic', '--retries', '1');
    expect(result.code).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.messages.at(-1)?.content).toMatch(/F841/);
    expect(result.out).toMatch(/stub {6}get_reports_count: rejected after 2 tries: ruff: .*F841/);
    expect(result.err).toMatch(/1 endpoint\(s\) stay stubs: get_reports_count/);
    const after = await snapshotFiles(project);
    for (const [file, text] of before) {
      if (!file.startsWith('.fastapi-agent/llm-cache'))
        expect([file, after.get(file)]).toEqual([file, text]);
    }
  });

  test('429 with retry-after, then a good reply', async () => {
    server.setReplies([{ status: 429, headers: { 'retry-after-ms': '5' } }, good()]);
    const result = await cli('fill', 'get_reports_count', '--llm', 'anthropic');
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(result.out).toMatch(/filled {4}get_reports_count .*1 try/);
  });

  test('a timeout, a malformed reply: the stub stays, the report says why', async () => {
    server.setReplies((request) =>
      asked(request.messages[0]?.content ?? '') === 'get_reports_count'
        ? { hang: true }
        : { raw: '{"this is": not json', contentType: 'application/json' },
    );
    const result = await cli('fill', '--llm', 'anthropic', '--timeout', '0.2', '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as ChangeReport;
    expect(report.ok).toBe(false);
    expect(report.fill?.filled).toEqual([]);
    const reasons = Object.fromEntries(report.fill?.stubs.map((s) => [s.name, s.reason]) ?? []);
    expect(reasons.get_reports_count).toMatch(/no complete reply within 200 ms/);
    expect(reasons.archive_item).toMatch(/request failed: .*(JSON|could not be read)/);
    expect(report.files.updated).toEqual([]);
    expect(bodyState(await read(OPERATION), { name: 'get_reports_count' })).toBe('stub');
  }, 30_000);

  test('a forbidden import or an edit outside the body is rejected before any check', async () => {
    server.setReplies([
      good(`import os\n\nreturn Count(total=len(os.listdir(".")))`),
      good(`async def other() -> None:\n    pass`),
      good(
        `return Count(total=0)`,
        `import subprocess\n\n\ndef test_x() -> None:\n    subprocess.run(["true"])`,
      ),
    ]);
    const result = await cli('fill', 'get_reports_count', '--llm', 'anthropic', '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as ChangeReport;
    const feedback = server.requests.slice(1).map((r) => r.messages.at(-1)?.content ?? '');
    expect(feedback[0]).toMatch(/imports `os`, which is not allowed/);
    expect(feedback[1]).toMatch(/defines `other`/);
    expect(report.fill?.stubs[0]?.reason).toMatch(/test module imports `subprocess`/);
    expect(bodyState(await read(OPERATION), { name: 'get_reports_count' })).toBe('stub');
  });

  test('a rerun is served from the cache: no request, the same body', async () => {
    server.setReplies([good()]);
    const stub = await read(OPERATION);
    const stubTest = await read(TEST);
    const stubManifest = await read(MANIFEST_PATH);
    expect((await cli('fill', 'get_reports_count', '--llm', 'anthropic')).code).toBe(0);
    const first = await read(OPERATION);
    expect(server.requests).toHaveLength(1);
    // Back to the stub (as `git checkout` would), then again.
    await fs.writeFile(path.join(project, OPERATION), stub);
    await fs.writeFile(path.join(project, TEST), stubTest);
    await fs.writeFile(path.join(project, MANIFEST_PATH), stubManifest);
    server.setReplies([{ status: 500 }]);
    const again = await cli('fill', 'get_reports_count', '--llm', 'anthropic');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/from the cache/);
    expect(server.requests).toHaveLength(1);
    expect(await read(OPERATION)).toBe(first);
  });

  test('--refresh asks again for a model body, never for one written by hand', async () => {
    server.setReplies((request) =>
      asked(request.messages[0]?.content ?? '') === 'archive_item'
        ? good(
            'item.description = "archived"\nawait session.commit()\nreturn item',
            [
              'from httpx import AsyncClient',
              '',
              'from tests.test_items import create',
              '',
              '',
              'async def test_archive_item_archives(user_client: AsyncClient) -> None:',
              '    row = await create(user_client)',
              '    response = await user_client.post(f"/api/v1/items/{row[\'id\']}/archive")',
              '    assert response.status_code == 200, response.text',
              '',
              '',
              'async def test_archive_item_needs_a_signed_in_user(client: AsyncClient) -> None:',
              '    response = await client.post("/api/v1/items/1/archive")',
              '    assert response.status_code == 401',
            ].join('\n'),
          )
        : good(),
    );
    expect((await cli('fill', '--llm', 'anthropic')).code).toBe(0);
    expect(server.requests).toHaveLength(2);
    // A hand edit of one body: it is the user's now.
    const archive = await read(ARCHIVE);
    const edited = spliceBody(
      archive,
      { name: 'archive_item' },
      'await session.refresh(item)\nreturn item',
    );
    await fs.writeFile(path.join(project, ARCHIVE), edited);
    server.setReplies([good('return Count(total=42)')]);
    const result = await cli('fill', '--llm', 'anthropic', '--refresh');
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(asked(server.requests[2]?.messages[0]?.content ?? '')).toBe('get_reports_count');
    expect(result.out).toMatch(/skipped {3}archive_item: written by hand/);
    expect(await read(OPERATION)).toContain('return Count(total=42)');
    expect(await read(ARCHIVE)).toBe(edited);
    // Without --refresh, a model's body is left alone.
    const plain = await cli('fill', '--llm', 'anthropic');
    expect(plain.out).toMatch(/skipped {3}get_reports_count: written by claude-sonnet-5-5/);
    expect(server.requests).toHaveLength(3);
  });

  test('add endpoint --llm: added, then filled, one JSON document', async () => {
    server.setReplies([
      good(
        'return Seven(total=7)',
        [
          'from httpx import AsyncClient',
          '',
          '',
          'async def test_get_reports_seven(user_client: AsyncClient) -> None:',
          '    response = await user_client.get("/api/v1/reports/seven")',
          '    assert response.json() == {"total": 7}',
          '',
          '',
          'async def test_get_reports_seven_needs_a_signed_in_user(client: AsyncClient) -> None:',
          '    response = await client.get("/api/v1/reports/seven")',
          '    assert response.status_code == 401',
        ].join('\n'),
      ),
    ]);
    const result = await cli(
      'add',
      'endpoint',
      'reports',
      'GET /reports/seven',
      '--summary',
      'Seven',
      '--response',
      'Seven:total:int',
      '--llm',
      'anthropic',
      '--json',
    );
    expect(result.err).toMatch(/\[1\/1\] get_reports_seven: filled/);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as ChangeReport;
    expect(report.fill?.filled.map((f) => f.name)).toEqual(['get_reports_seven']);
    expect(report.files.created).toContain('app/reports/operations/get_reports_seven.py');
    expect(report.nextSteps.some((s) => s.includes('get_reports_seven'))).toBe(false);
    expect(await read('app/reports/operations/get_reports_seven.py')).toContain(
      'return Seven(total=7)',
    );
  });
});

test('fill without --llm lists the bodies still to write, asks nothing, writes nothing', async () => {
  const before = await snapshotFiles(project);
  const text = await cli('fill');
  expect(text.code).toBe(0);
  expect(text.out).toMatch(/stub {6}get_reports_count: still a stub in app\/reports/);
  const result = await cli('fill', '--json');
  const report = JSON.parse(result.out) as ChangeReport;
  expect(report.ok).toBe(true);
  expect(report.fill?.stubs.map((s) => s.name).sort()).toEqual([
    'archive_item',
    'get_reports_count',
  ]);
  expect(server.requests).toHaveLength(0);
  expect(await snapshotFiles(project)).toEqual(before);
});

describe('errors: one line, exit 2, nothing written', () => {
  // [what, setup, message, also for add endpoint --llm (checked before the endpoint is added)]
  const cases: Array<[string, () => Promise<string[]> | string[], RegExp, boolean]> = [
    [
      'a missing key',
      () => {
        delete process.env.ANTHROPIC_API_KEY;
        return ['--llm', 'anthropic'];
      },
      /ANTHROPIC_API_KEY is not set/,
      true,
    ],
    ['an unknown provider', () => ['--llm', 'gemini'], /unknown LLM provider "gemini"/, true],
    [
      'an unknown model alias',
      () => ['--llm', 'anthropic', '--model', 'sonet'],
      /unknown model alias "sonet"/,
      true,
    ],
    [
      'claude not on PATH',
      () => {
        process.env.PATH = path.join(root, 'empty-bin');
        return ['--llm', 'claude-code'];
      },
      /claude/,
      true,
    ],
    [
      'a server that cannot be reached',
      async () => {
        process.env.ANTHROPIC_BASE_URL = await freePortUrl();
        return ['--llm', 'anthropic'];
      },
      /cannot reach anthropic/,
      false,
    ],
    [
      'a refused key (401)',
      () => {
        server.setReplies([{ status: 401, message: `invalid x-api-key ${KEY}` }]);
        return ['--llm', 'anthropic'];
      },
      /refused the API key \(401/,
      false,
    ],
    [
      'an endpoint the project does not have',
      () => ['nope', '--llm', 'anthropic'],
      /no endpoint "nope"/,
      false,
    ],
  ];
  test.each(cases)('%s', async (_, setup, message, onAdd) => {
    const args = await setup();
    const before = await snapshotFiles(project);
    for (const add of onAdd ? [false, true] : [false]) {
      const result = add
        ? await cli(
            'add',
            'endpoint',
            'reports',
            'GET /reports/other',
            '--summary',
            'Other',
            ...args,
          )
        : await cli('fill', ...args);
      expect([result.code, result.err]).toEqual([2, expect.stringMatching(message)]);
      expect(result.err.trim().split('\n')).toHaveLength(1);
      expect(result.err).not.toContain('PLANTED');
      expect(await snapshotFiles(project)).toEqual(before);
    }
  });
});

test('a planted key appears nowhere: files, cache, output, --json', async () => {
  // The server echoes the key it was sent, in replies and in errors.
  server.setReplies((request, index) =>
    index % 3 === 0
      ? { status: 500, message: `upstream failed for key ${request.key ?? ''}` }
      : index % 3 === 1
        ? good(`return Count(total=len("${request.key ?? ''}"))`)
        : good(),
  );
  const outputs: string[] = [];
  for (const args of [['--json'], ['--refresh'], []]) {
    const result = await cli('fill', 'get_reports_count', '--llm', 'anthropic', ...args);
    outputs.push(result.out, result.err);
  }
  expect(server.requests.length).toBeGreaterThan(0);
  expect(server.requests.every((r) => r.key === KEY)).toBe(true);
  const files = [...(await snapshotFiles(project)).values()];
  for (const text of [...outputs, ...files]) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('PLANTEDfill9c1e5b2d4f60a8e7');
  }
});
