/** Ruff in process: the canonical form of emitted Python, and the settings shared with the project. */
import { describe, expect, test } from '@jest/globals';
import { canonicalPython, PythonSyntaxError, RUFF_RULES } from '../../src/core/python.js';
import { renderProject } from '../../src/core/render.js';
import { loadPythonFormatter, loadPythonLinter } from '../../src/io/ruff.js';
import { TEMPLATES_DIR } from '../../src/io/paths.js';
import { loadTemplates } from '../../src/io/templates.js';
import { testSpec } from '../helpers/spec.js';

const python = await loadPythonFormatter();
const linter = await loadPythonLinter();
const templates = await loadTemplates(TEMPLATES_DIR);

describe('the formatter', () => {
  test('sorts imports as isort would, first-party last, then formats', () => {
    const source = [
      'from app.core.errors import NotFoundError',
      'import os',
      'from fastapi import   APIRouter,Depends',
      'from tests.helpers import x',
      'def f( a,b ):',
      '  return {"a":a,"b":b, "dirs": os.sep, "r": (APIRouter, Depends, NotFoundError, x)}',
      '',
    ].join('\n');
    expect(python.format(source, 'app/x.py')).toBe(
      [
        'import os',
        '',
        'from fastapi import APIRouter, Depends',
        '',
        'from app.core.errors import NotFoundError',
        'from tests.helpers import x',
        '',
        '',
        'def f(a, b):',
        '    return {"a": a, "b": b, "dirs": os.sep, "r": (APIRouter, Depends, NotFoundError, x)}',
        '',
      ].join('\n'),
    );
  });

  test('splits a line too long for 88 columns the way ruff format does', () => {
    const args = Array.from({ length: 12 }, (_, i) => `argument_${i}`);
    const out = python.format(`x = f(${args.join(', ')})\n`, 'a.py');
    expect(out).toBe(`x = f(\n${args.map((a) => `    ${a},\n`).join('')})\n`);
  });

  test('removes unused imports, except in __init__.py, in __all__ or marked noqa', () => {
    const source = [
      'import os',
      'import sys  # noqa: F401',
      'from typing import Any, Literal',
      'from app.models import Item, Order',
      '',
      '__all__ = ["Order"]',
      'x: Any = 1',
      '',
    ].join('\n');
    expect(python.format(source, 'app/x.py')).toBe(
      [
        'import sys  # noqa: F401',
        'from typing import Any',
        '',
        'from app.models import Order',
        '',
        '__all__ = ["Order"]',
        'x: Any = 1',
        '',
      ].join('\n'),
    );
    expect(python.format(source, 'app/__init__.py')).toMatch(/^import os\n/);
  });

  test('sorts __all__ as isort orders names (RUF022)', () => {
    expect(python.format('__all__ = ["V10Item", "Base", "V2Item", "User"]\n', 'app/m.py')).toBe(
      '__all__ = ["Base", "User", "V2Item", "V10Item"]\n',
    );
  });

  test.each([
    ['def f(:\n    pass\n'],
    ['x = "unterminated\n'],
    ['class A\n'],
    ['    indented = 1\n'],
    ['x = (1,\n'],
  ])('a syntax error is a PythonSyntaxError naming the file: %j', (source) => {
    expect(() => python.format(source, 'app/broken.py')).toThrow(PythonSyntaxError);
    expect(() => python.format(source, 'app/broken.py')).toThrow(/app\/broken\.py/);
  });

  test('canonicalPython formats .py files only', () => {
    const files = new Map([
      ['a.py', 'x=1\n'],
      ['README.md', 'x=1\n'],
      ['pyproject.toml', 'x=1\n'],
    ]);
    expect([...canonicalPython(files, python)]).toEqual([
      ['a.py', 'x = 1\n'],
      ['README.md', 'x=1\n'],
      ['pyproject.toml', 'x=1\n'],
    ]);
  });
});

describe('the generated project and the in-process Ruff agree', () => {
  test('pyproject.toml selects exactly the rules the linter here checks', () => {
    const tree = renderProject(testSpec(), templates, python);
    const pyproject = tree.get('pyproject.toml') ?? '';
    const select = /select = \[\n([\s\S]*?)\n\]/.exec(pyproject)?.[1] ?? '';
    const codes = [...select.matchAll(/"([A-Z0-9]+)"/g)].map((m) => m[1]);
    expect(codes).toEqual(RUFF_RULES.map(([code]) => code));
  });

  test.each<[string, { name?: string; title?: string }, Parameters<typeof testSpec>[0]]>([
    ['the longest project name', { name: 'a'.repeat(40), title: `A${'a'.repeat(39)}` }, {}],
    ['postgresql', {}, { db: 'postgresql' }],
    ['no auth', {}, { auth: ['none'] }],
    ['no Docker', {}, { docker: 'false' }],
  ])('%s: every file is lint-clean and already canonical', (_, names, options) => {
    const spec = { ...testSpec(options), ...names };
    const tree = renderProject(spec, templates, python);
    for (const [path, content] of tree) {
      if (!path.endsWith('.py')) continue;
      expect([path, python.format(content, path)]).toEqual([path, content]);
      expect([path, linter.check(content, path).map((d) => `${d.code}: ${d.message}`)]).toEqual([
        path,
        [],
      ]);
    }
  });
});

test('a template that emits Python which does not parse fails the render, naming the file', async () => {
  const { compileTemplates, loadTemplateSources } = await import('../../src/io/templates.js');
  const sources = await loadTemplateSources(TEMPLATES_DIR);
  const base = [...(sources.get('base') ?? [])];
  base.push({ path: 'app/broken.py.hbs', source: 'def {{project.title}}(:\n    pass\n' });
  const broken = await compileTemplates(new Map([...sources, ['base', base]]));
  expect(() => renderProject(testSpec(), broken, python)).toThrow(PythonSyntaxError);
  expect(() => renderProject(testSpec(), broken, python)).toThrow(
    /generated app\/broken\.py is not valid Python/,
  );
});
