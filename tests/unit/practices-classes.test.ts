/**
 * The classes of error the held-out corpus found (tests/fixtures/guidance-heldout), each tried in
 * languages and wordings that are not in that corpus: what the cue tables, scope rules and the
 * file-level judgement must generalise to, not the held-out sentences themselves.
 */
import { describe, expect, test } from '@jest/globals';
import { parseAgentFile } from '../../src/core/agent.js';
import { OPTION_IDS } from '../../src/core/options.js';
import { detectPractices, type PracticeSet } from '../../src/core/practices.js';
import { explainOption } from '../../src/core/practices-explain.js';

/** option -> [chosen..., alternatives...] for what the file states (defaults left out). */
function stated(set: PracticeSet): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const id of OPTION_IDS) {
    const r = set.options[id];
    if (r.source !== 'default') out[id] = [...r.values, ...r.alternatives];
  }
  return out;
}
const detect = (body: string, file = 'AGENTS.md'): PracticeSet =>
  detectPractices(parseAgentFile(body, file));
const option = (body: string, id: keyof PracticeSet['options']): string[] => {
  const r = detect(body).options[id];
  return r.source === 'default' ? [] : [...r.values, ...r.alternatives];
};

describe('class 1: files about other work that name the backend as someone else’s', () => {
  test.each([
    [
      'English, a mobile guide that disclaims the backend',
      '# iOS app\n\nYou build the SwiftUI app. You never change the backend; the API (FastAPI, PostgreSQL) lives in another repository.\n\n- The API issues a JWT; keep it in the Keychain.\n- The backend has roles `admin` and `member`.\n',
    ],
    [
      'Spanish, a React frontend',
      '# Guía del frontend\n\nEste repositorio contiene solo el frontend en React con Vite y Tailwind.\n\n## Sobre la API\n\n- La API (FastAPI + MySQL) usa JWT; el backend está en otro repositorio.\n- Roles `admin` y `editor`, decididos en la API.\n',
    ],
    [
      'German, a data pipeline',
      '---\nname: pipelines\ndescription: Airflow-DAGs und dbt-Modelle für das Data Warehouse.\n---\n\nDu pflegst Airflow-DAGs und das dbt-Projekt. Du baust keine Webservices.\n\n- Celery-Executor mit Redis als Broker.\n- Das Warehouse ist PostgreSQL.\n- Logs als JSON.\n',
    ],
    [
      'Japanese, a frontend whose backend is another team’s',
      '# フロントエンド規約\n\nこのリポジトリは Vue のフロントエンドのみです。バックエンドは別のリポジトリです。\n\n## API\n\n- API は FastAPI と PostgreSQL で、JWT を返します。\n- コンポーネントは Pinia のストアを使います。\n',
    ],
    [
      'French, a frontend that names the backend as someone else’s ("côté API")',
      '# Règles du front Svelte\n\nApplication Svelte.\n\n- Les rôles sont vérifiés côté API (FastAPI).\n- Le JWT vient de l’API.\n',
    ],
    [
      'Korean, a frontend whose API handles auth',
      '# 프론트엔드 규칙\n\nReact 앱입니다.\n\n- 인증은 API가 처리합니다 (FastAPI, JWT).\n- 역할은 admin, user.\n',
    ],
  ])('%s is not read as a backend guide', (_name, text) => {
    const set = detect(text);
    expect(set.judgement.backend).toBe(false);
    expect(stated(set)).toEqual({});
    expect(set.warnings.join('\n')).toMatch(/not for building a Python backend/);
  });

  test('a backend guide that names its frontend stays a backend guide', () => {
    const text =
      '# Orders API\n\nThe FastAPI backend behind our React and Vue apps.\n\n## Stack\n\n- PostgreSQL, SQLAlchemy, Alembic.\n- The browser components call it with a JWT.\n';
    const set = detect(text);
    expect(set.judgement.backend).toBe(true);
    expect(stated(set)).toMatchObject({ db: ['postgresql'], auth: ['jwt'] });
  });
});

describe('class 2: what only the tests use', () => {
  test.each([
    ['Integration tests run against SQLite for speed. PostgreSQL in every environment.'],
    ['In tests, SQLite in memory. PostgreSQL everywhere else.'],
    ['Os testes usam SQLite em memória. Em produção, PostgreSQL.'],
    ['Les tests utilisent SQLite en mémoire. La base est PostgreSQL.'],
    ['Die Tests verwenden SQLite im Speicher. Datenbank: PostgreSQL.'],
    ['测试中使用 SQLite。数据库：PostgreSQL。'],
    ['テストでは SQLite を使います。データベースは PostgreSQL です。'],
    ['테스트에서는 SQLite를 씁니다. 데이터베이스는 PostgreSQL입니다.'],
    ['PostgreSQL です。SQLite はテストのみ。'],
  ])('%s: SQLite is not the project’s database', (body) => {
    expect(option(`FastAPI service.\n\n${body}\n`, 'db')).toEqual(['postgresql']);
  });

  test('a test subject does not reach a clause about production', () => {
    expect(option('FastAPI. Tests use SQLite, production uses PostgreSQL.\n', 'db')).toEqual([
      'postgresql',
    ]);
    expect(option('FastAPI. In testing and production, use PostgreSQL.\n', 'db')).toEqual([
      'postgresql',
    ]);
  });
});

describe('class 3: negation and preference in every language', () => {
  test.each([
    ['FastAPI. 本服务不支持 WebSocket。', 'websocket', ['false']],
    ['FastAPI. このサービスでは WebSocket を提供しません。', 'websocket', ['false']],
    ['FastAPI. WebSocket는 지원하지 않습니다.', 'websocket', ['false']],
    ['FastAPI. Tortoise를 쓰지 말고 SQLAlchemy를 사용하세요.', 'orm', ['sqlalchemy']],
    ['FastAPI. Ne mets jamais Celery dans ce service.', 'tasks', []],
    ['FastAPI. Pas besoin de Celery, BackgroundTasks suffit.', 'tasks', ['background']],
    ['FastAPI. Kein Cache – weder Redis noch Memcached, noch im Speicher.', 'cache', ['none']],
    ['FastAPI. Instead of pip we use uv.', 'python-tool', ['uv']],
    ['FastAPI. En lugar de Poetry usamos uv.', 'python-tool', ['uv']],
    ['FastAPI. Logs are plain text; JSON logs break the log shipper.', 'logging', ['text']],
  ])('%s', (body, id, values) => {
    expect(option(`${body}\n`, id as keyof PracticeSet['options'])).toEqual(values);
  });

  test('a heading names a topic; the text under it says it is not done', () => {
    expect(option('FastAPI.\n\n## Rate limiting\n\nWe do not rate limit.\n', 'rate-limit')).toEqual(
      ['off'],
    );
    expect(option('FastAPI.\n\n## 限流\n\n本服务不做限流。\n', 'rate-limit')).toEqual(['off']);
  });

  test('"Redis as a cache" turned down is not "no caching"', () => {
    expect(option('FastAPI. No Redis, not even as a cache.\n', 'cache')).toEqual([]);
  });
});

describe('class 4: what other systems do', () => {
  test.each([
    ['FastAPI. Rate limiting is enforced by the API gateway in front of us.'],
    ['FastAPI. El rate limiting lo hace el gateway, no la aplicación.'],
    ['FastAPI. Le rate limiting est fait par le proxy devant l’application.'],
    ['FastAPI. 限流由网关负责。'],
    ['FastAPI. レート制限はゲートウェイで行います。'],
  ])('%s: not the application’s rate limit', (body) => {
    expect(option(`${body}\n`, 'rate-limit')).toEqual([]);
  });

  test('our own limit beside an external one', () => {
    expect(
      option(
        'FastAPI. 外部 API の制限とは別に、このアプリ自身はレート制限をかけません。\n',
        'rate-limit',
      ),
    ).toEqual(['off']);
  });

  test.each([
    ['FastAPI. The `reporting` role is a database role managed by the DBA.'],
    ['FastAPI. Los roles `lectura` y `escritura` son roles de la base de datos.'],
    ['FastAPI. 数据库账号的 `readonly` 角色由 DBA 管理。'],
  ])('%s: not role-based access control', (body) => {
    expect(option(`${body}\n`, 'roles')).toEqual([]);
  });

  test('a system another team owns is not the project’s', () => {
    expect(
      option(
        'FastAPI.\n\nThe Redis cluster belongs to the data team and caches their reports.\n',
        'cache',
      ),
    ).toEqual([]);
  });
});

describe('class 5: stated in other words', () => {
  test.each([
    ['FastAPI. Três perfis de usuário: admin, editor e leitor.'],
    ['FastAPI. Deux profils d’accès : admin et lecteur.'],
    ['FastAPI. Each route declares `@roles_required("admin")`.'],
  ])('%s: roles', (body) => {
    expect(option(`${body}\n`, 'roles')).toEqual(['true']);
  });

  test('a user profile page is not a role', () => {
    expect(option('FastAPI. Los perfiles públicos muestran el avatar.\n', 'roles')).toEqual([]);
  });

  test.each([
    ['FastAPI. 100 requests per minute per key, counted in Redis.'],
    ['FastAPI. Limite : 100 requêtes par minute, compteurs dans Redis.'],
    ['FastAPI. 每分钟 100 次，计数存在 Redis。'],
  ])('%s: a rate limit in Redis', (body) => {
    expect(option(`${body}\n`, 'rate-limit')).toEqual(['redis']);
  });
});

describe('what the new rules must leave alone in a backend guide', () => {
  test.each([
    ['FastAPI. The React frontend lives in another repository.', 'db', ['postgresql']],
    ['FastAPI. Rate limiting: slowapi with Redis, per API key.', 'rate-limit', ['redis']],
    ['FastAPI. All routes under /api/v1, behind the API gateway.', 'versioning', ['path']],
    ['FastAPI. Use Redis for caching; if it is down, read from PostgreSQL.', 'cache', ['redis']],
    ['FastAPI. Roles: admin and editor, stored in PostgreSQL.', 'roles', ['true']],
    ['FastAPI. Nous utilisons Redis comme cache.', 'cache', ['redis']],
  ])('%s', (body, id, values) => {
    const text = `${body}\n${id === 'db' ? 'Database: PostgreSQL.\n' : ''}`;
    expect(option(text, id as keyof PracticeSet['options'])).toEqual(values);
  });
});

describe('class 6: formats', () => {
  test('copilot-instructions.md is a Copilot instructions file', () => {
    expect(parseAgentFile('Use PostgreSQL.\n', '.github/copilot-instructions.md').format).toBe(
      'copilot-instructions',
    );
    expect(parseAgentFile('Use PostgreSQL.\n', 'docs/setup-instructions.md').format).toBe(
      'markdown',
    );
  });

  test('a trailing metadata block left open is read', () => {
    const agent = parseAgentFile(
      'Use MySQL.\n\n---\ndescription: x\nglobs: src/**/*.py\nalwaysApply: false\n',
      'r.mdc',
    );
    expect(agent.format).toBe('cursor-rule');
    expect(agent.metadata).toEqual({ globs: ['src/**/*.py'], alwaysApply: false });
  });

  test('a horizontal rule and a line of prose at the end are not metadata', () => {
    const agent = parseAgentFile('Use MySQL.\n\n---\n\nSee the wiki.\n', 'AGENTS.md');
    expect(agent.metadata).toEqual({});
  });
});

test('explain: a value turned down and left as the default is not "stated first at line undefined"', () => {
  const agent = parseAgentFile('FastAPI. Nicht Poetry, nicht uv.\n', 'AGENTS.md');
  const text = JSON.stringify(explainOption(agent, 'python-tool'));
  expect(text).not.toMatch(/undefined/);
});
