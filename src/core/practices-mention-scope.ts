/**
 * Scope rules read around one mention: whether what it names is the project's practice at all,
 * or the tests', another system's (an external API, the ingress in front of the app, the
 * database's own accounts) or another team's. Each rule reads the mention's clause or the clauses
 * a comma joins to it, and each test on a long text runs once (see memo): a file can be one
 * sentence of megabytes.
 */
import type { TextTest } from './catalogue.js';
import {
  ANOTHER_TEAM,
  DATABASE_ROLE,
  OTHER_SYSTEM,
  OWN_SYSTEM,
  PRODUCTION,
  TEST_ONLY,
  TEST_SUBJECT,
} from './practices-cues.js';
import type { Clause, Group, Sentence } from './practices-text.js';

/** Below this length a text is tested again rather than looked up: that is cheaper. */
const MEMO_MIN = 256;

/**
 * `test` on `text`, run once for a long text: the result is kept in `owner`. A long sentence can
 * hold thousands of mentions, and each would test it again.
 */
export function memo(
  owner: { tested?: Map<TextTest, boolean> },
  test: TextTest,
  text: string,
): boolean {
  if (text.length < MEMO_MIN) return test.test(text);
  owner.tested ??= new Map();
  let result = owner.tested.get(test);
  if (result === undefined) {
    result = test.test(text);
    owner.tested.set(test, result);
  }
  return result;
}

/** Options whose mentions can be another system's: an external API's limit, an ERP's roles, the
 * gateway's versioning. */
const OTHER_SYSTEM_OPTIONS = new Set<string>(['rate-limit', 'roles', 'versioning']);

/** Where one mention sits: its sentence, its clause, and the clauses a comma joins to it. */
export interface Place {
  /** The option its practice sets, or a fixed practice's id. */
  option: string;
  isOption: boolean;
  code: boolean;
  sentence: Sentence;
  text: string;
  clause: Clause | undefined;
  near: Sentence | Group;
  nearText: string;
}

/**
 * Whether the mention is the tests' practice: its clauses say "only for tests", or its sentence's
 * subject is the tests ("Unit tests use ...") and it is in the sentence's first clauses. Not when
 * its own clause is about production or the application ("SQLite in tests, PostgreSQL in prod").
 */
function testScoped(place: Place): boolean {
  const { sentence, text, clause, near, nearText } = place;
  // "In tests and in production, ...": a subject that is not the tests' alone scopes nothing.
  const first = sentence.clauses?.[0];
  sentence.testSubject ??=
    TEST_SUBJECT.test(text) && !(first && PRODUCTION.test(text.slice(first.start, first.end)));
  const scoped =
    memo(near, TEST_ONLY, nearText) ||
    (sentence.testSubject && near !== sentence && near.start === 0);
  return scoped && !(clause && memo(clause, PRODUCTION, ownText(place)));
}

/** The text of the mention's own clause (its clauses' when it has none). */
const ownText = ({ text, clause, nearText }: Place): string =>
  clause ? text.slice(clause.start, clause.end) : nearText;

/** Why the mention is not a statement of the project's practice, or null when it is. */
export function outOfScope(place: Place): string | null {
  const { option, isOption, code, clause, near, nearText } = place;
  if (isOption && !code && testScoped(place)) return 'scoped to tests only';
  const owner = clause ?? near;
  if (isOption && memo(owner, ANOTHER_TEAM, ownText(place))) return 'another team owns it';
  if (option === 'roles' && memo(near, DATABASE_ROLE, nearText)) {
    return "a database's own accounts or roles, not the application's";
  }
  if (
    OTHER_SYSTEM_OPTIONS.has(option) &&
    memo(near, OTHER_SYSTEM, nearText) &&
    !memo(owner, OWN_SYSTEM, ownText(place))
  ) {
    return 'about another system (an external API, a provider, the gateway or ingress in front of the app)';
  }
  return null;
}
