import { importedModules, logicalLines, scanPython } from './python-scan.js';
import {
  fencedBlocks,
  isAllowed,
  parseReply,
  PYTHON_LANGS,
  type ParsedReply,
  type ReplyProblem,
  type ReplyRules,
} from './reply.js';

/**
 * A reply that carries a body and its tests: two ```python blocks, the body first (read as
 * parseReply reads its one block), then the whole test module that replaces the stub's test
 * (which pins the 501 the body no longer answers). The test module is checked here as far as can
 * be without Python: its imports, that it tests something, that it keeps the tests it must keep
 * and no longer expects the stub's 501. Whether it passes is the project's checks' to say.
 */
export interface TestRules {
  /** Where the module goes: `tests/orders/test_cancel_order.py`. */
  path: string;
  /** Modules the test module may import (a module's submodules too). */
  allowedImports: readonly string[];
  /** Test functions it must define as they are (the 401 test of a signed-in route). */
  keep: readonly string[];
}

/** Modules a test module may import beside the project's own: the test tools and safe stdlib. */
export const TEST_IMPORTS: readonly string[] = ['pytest', 'httpx', 'tests'];

/** A fence longer than any run of backticks in `lines`. */
function refence(lines: readonly string[]): string {
  const longest = Math.max(
    2,
    ...lines.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)),
  );
  const fence = '`'.repeat(longest + 1);
  return `${fence}python\n${lines.join('\n')}\n${fence}`;
}

/** The problems of a test module (empty: it may go to the project's checks). */
export function testModuleProblems(source: string, rules: TestRules): ReplyProblem[] {
  const problems: ReplyProblem[] = [];
  const { lines, unterminatedString } = scanPython(source);
  if (unterminatedString) {
    return [
      { code: 'unterminated-string', message: 'a string in the test module is never closed' },
    ];
  }
  const statements = logicalLines(lines);
  const defined = new Set<string>();
  for (const s of statements) {
    const def = /^\s*(?:async\s+)?def\s+(test_\w+)/.exec(s.code);
    if (def?.[1]) defined.add(def[1]);
    for (const module of importedModules(s.code)) {
      if (!isAllowed(module, rules.allowedImports)) {
        problems.push({
          code: 'forbidden-import',
          message: `the test module imports \`${module}\`, which is not allowed: import only from ${rules.allowedImports.map((a) => `\`${a}\``).join(', ')}`,
          line: s.first + 1,
        });
      }
    }
    if (/\b__import__\b|\bimportlib\b/.test(s.code)) {
      problems.push({
        code: 'forbidden-import',
        message: 'the test module imports a module dynamically: use only import lines',
        line: s.first + 1,
      });
    }
    if (/\b(?:global|nonlocal)\b/.test(s.code)) {
      problems.push({
        code: 'global-state',
        message: 'the test module uses `global`/`nonlocal`: keep each test to itself',
        line: s.first + 1,
      });
    }
  }
  if (defined.size === 0) {
    problems.push({
      code: 'empty-body',
      message: `the test module defines no \`test_\` function: test what the body does`,
    });
  }
  for (const name of rules.keep) {
    if (!defined.has(name)) {
      problems.push({
        code: 'outside-body',
        message: `the test module drops \`${name}\`: keep it as it is`,
      });
    }
  }
  if (/status_code\s*==\s*501\b|\bNOT_IMPLEMENTED\b|\bis_not_implemented_yet\b/.test(source)) {
    problems.push({
      code: 'still-a-stub',
      message:
        'the test module still expects the 501 of the stub: the body is written now, test what it does',
    });
  }
  return problems;
}

/**
 * The body and test module in a reply: exactly two ```python blocks, the body then the tests.
 * The body is read by parseReply (all its rules); the test module by testModuleProblems.
 */
export function parseFillReply(reply: string, rules: ReplyRules, tests: TestRules): ParsedReply {
  const text = reply.replace(/\r\n?/g, '\n').replace(/<think>[\s\S]*?<\/think>/g, '');
  const { blocks, unclosed } = fencedBlocks(text);
  const python = blocks.filter((b) => PYTHON_LANGS.has(b.lang));
  const candidates = python.length > 0 ? python : blocks.filter((b) => b.lang === '');
  if (candidates.length !== 2) {
    const problem: ReplyProblem =
      unclosed && candidates.length < 2
        ? {
            code: 'unterminated-block',
            message: 'a ```python block is never closed: the reply was cut short or malformed',
          }
        : {
            code: candidates.length > 2 ? 'several-code-blocks' : 'no-code-block',
            message: `the reply has ${candidates.length} code block${candidates.length === 1 ? '' : 's'}: send exactly two \`\`\`python blocks, the body of \`${rules.functionName}\` then the whole test module ${tests.path}`,
          };
    return { ok: false, problems: [problem] };
  }
  const [bodyBlock, testBlock] = candidates as [(typeof candidates)[0], (typeof candidates)[0]];
  const body = parseReply(refence(bodyBlock.lines), rules);
  const test = `${testBlock.lines.join('\n').replace(/\s+$/, '')}\n`;
  const testProblems = testModuleProblems(test, tests);
  if (!body.ok || testProblems.length > 0) {
    return { ok: false, problems: [...(body.ok ? [] : body.problems), ...testProblems] };
  }
  return { ...body, test };
}
