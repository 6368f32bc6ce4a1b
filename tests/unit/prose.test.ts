/** Words in the emitted Python: Ruff wraps none of them, so the wording must fit its line. */
import { describe, expect, test } from '@jest/globals';
import {
  article,
  commentLines,
  docstring,
  fits,
  message,
  summaryLines,
  tag,
  wrap,
} from '../../src/core/prose.js';

describe('prose', () => {
  test('articles', () => {
    expect(['order', 'item', 'user', 'umbrella', 'customer'].map(article)).toEqual([
      'an',
      'an',
      'a',
      'an',
      'a',
    ]);
  });

  test('fits counts the indentation', () => {
    expect(fits(0, 'x'.repeat(88))).toBe(true);
    expect(fits(1, 'x'.repeat(85))).toBe(false);
  });

  test('a docstring takes the first wording that fits with its quotes, else the last', () => {
    const long = `One ${'very '.repeat(15)}long line.`;
    expect(docstring(1, 'Short.', 'Shorter.')).toBe('Short.');
    expect(docstring(1, long, 'Shorter.')).toBe('Shorter.');
    // 4 spaces, 6 quotes: 78 characters of text fit at depth 1, not 79.
    expect(docstring(1, 'x'.repeat(78), 'y')).toBe('x'.repeat(78));
    expect(docstring(1, 'x'.repeat(79), 'y')).toBe('y');
    expect(docstring(0, long)).toBe(long);
  });

  test('a message is a string literal that fits on a line of its own, one level deeper', () => {
    // At depth 2, the literal goes on a line indented 12 spaces: 76 characters, quotes included.
    expect(message(2, 'x'.repeat(74), 'y')).toBe(JSON.stringify('x'.repeat(74)));
    expect(message(2, 'x'.repeat(75), 'y')).toBe('"y"');
  });

  test('wrap breaks between words, never inside one', () => {
    expect(wrap('aa bb cc dd', 5)).toEqual(['aa bb', 'cc dd']);
    expect(wrap('  a  b ', 80)).toEqual(['a b']);
    expect(wrap(`${'x'.repeat(10)} y`, 5)).toEqual(['x'.repeat(10), 'y']);
  });

  test('comment lines fit once indented and prefixed with "# "', () => {
    const lines = commentLines(1, 'word '.repeat(40));
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(`    # ${line}`.length).toBeLessThanOrEqual(88);
  });

  test('a summary wraps as if it followed the opening quotes', () => {
    const text = `${'word '.repeat(17)}end.`;
    const lines = summaryLines(text);
    expect(lines[0]?.length).toBeLessThanOrEqual(85);
    expect(`"""${lines.join(' ')}`).toBe(`"""${text}`);
  });

  test('a tag keeps the first description that fits its line in OPENAPI_TAGS', () => {
    expect(tag('books', 'Books: create them.', 'Create them.')).toEqual({
      name: 'books',
      description: 'Books: create them.',
    });
    expect(tag('x', 'y'.repeat(80), 'Short.').description).toBe('Short.');
  });
});
