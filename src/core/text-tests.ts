/** Text tests the practice catalogue is made of: a RegExp, or a rule made of several. */

/** Anything that tells whether a text matches: a RegExp, or a rule made of several. */
export interface TextTest {
  test(text: string): boolean;
}

const LINE_BREAKS = /[\n\r\u2028\u2029]/g;

/**
 * A match of `first`, then one of `then` later on the same line: what `/first.*then/` matches,
 * read in one pass. That regex runs `.*` to the end of the line from every match of `first`, so on
 * a long line with many of them it costs the square of the line's length. Exact when `first`
 * matches whole words (it ends with `\b`) and holds no line break.
 */
export function followedBy(first: RegExp, then: RegExp): TextTest {
  const global = (r: RegExp): RegExp => new RegExp(r.source, `${r.flags.replace('g', '')}g`);
  const a = global(first);
  const b = global(then);
  const lineBreaks = new RegExp(LINE_BREAKS.source, 'g');
  return {
    test(text) {
      for (let from = 0; from <= text.length;) {
        a.lastIndex = from;
        const lead = a.exec(text);
        if (!lead) return false;
        const after = lead.index + lead[0].length;
        lineBreaks.lastIndex = after;
        const lineEnd = lineBreaks.exec(text)?.index ?? text.length;
        b.lastIndex = after;
        const next = b.exec(text);
        if (!next) return false;
        if (next.index < lineEnd) return true;
        from = lineEnd + 1;
      }
      return false;
    },
  };
}

/** A text matching any of `tests`. */
export function anyOf(...tests: TextTest[]): TextTest {
  return { test: (text) => tests.some((t) => t.test(text)) };
}
