/** One quoting function per syntactic context: nothing a value holds can become code. */
import { describe, expect, test } from '@jest/globals';
import {
  pyCommentText,
  pyDocstringText,
  pyIdentifier,
  pyString,
} from '../../src/core/python-text.js';
import { loadPythonFormatter } from '../../src/io/ruff.js';

const python = await loadPythonFormatter({ cacheDir: null });

/** Texts that try to leave the context they are put in. */
const HOSTILE = [
  'plain words',
  'a "quoted" word',
  "it's",
  '"""',
  'x"""; import os; os.system("id"); """',
  'ends with a quote"',
  'back\\slash',
  'trailing backslash\\',
  '\\"""',
  'line\nbreak import os',
  'carriage\rreturn import os',
  'nul\0byte',
  'unicode: naïve café 名前 \u2028 separator',
  '# not a comment',
  '\\N{BULLET} and \\x41',
  '',
];

/** The code lines of formatted Python, without strings, docstrings and comments' contents. */
const topLevel = (source: string): string[] => source.split('\n').filter((l) => /^\S/.test(l));

describe.each(HOSTILE)('%j', (text) => {
  test('as a string literal: one assignment, nothing else', () => {
    const out = python.format(`x = ${pyString(text)}\n`, 'a.py');
    expect(topLevel(out)).toEqual(
      out.includes('(\n') ? ['x = (', ')'] : [expect.stringMatching(/^x = ["']/)],
    );
    expect(out).not.toMatch(/^\s*import /m);
  });

  test('in a docstring: one function with its docstring, nothing else', () => {
    const out = python.format(`def f() -> None:\n    """${pyDocstringText(text)}"""\n`, 'a.py');
    expect(topLevel(out)).toEqual(['def f() -> None:']);
    expect(out).not.toMatch(/^\s*(import|os\.)/m);
  });

  test('in a comment: one comment line before the code', () => {
    const out = python.format(`# ${pyCommentText(text)}\nx = 1\n`, 'a.py');
    expect(out.split('\n').filter((l) => l.trim() !== '')).toEqual([
      expect.stringMatching(/^#/),
      'x = 1',
    ]);
  });
});

test('a JSON string is the Python literal of the same text', () => {
  // Python reads these escapes as JSON does.
  expect(pyString('a"b\\c\nd\u2028')).toBe('"a\\"b\\\\c\\nd\u2028"');
});

test.each(['name', '_private', 'Order', 'order_line2'])('%s is an identifier', (name) => {
  expect(pyIdentifier(name)).toBe(name);
});

test.each(['', '1st', 'a-b', 'a b', 'class', 'None', 'import', 'x"', 'a\nb', 'naïve'])(
  '%j is no identifier: a bug, not a value to write',
  (name) => {
    expect(() => pyIdentifier(name)).toThrow(/is not a Python identifier/);
  },
);
