/**
 * How a value becomes part of Python source: one function per syntactic context. Every value that
 * reaches a template from the user (names, titles, messages, defaults) goes through the one for
 * where it lands, so it can never close its string, docstring or comment, nor be anything but the
 * identifier it claims to be. Values are validated long before (names, field syntax, manifests);
 * these functions are the last line, and an identifier that is not one is a bug here.
 */

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);

/** A Python identifier, as it is; anything else throws (a bug in the generator, not user input). */
export function pyIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || KEYWORDS.has(name)) {
    throw new Error(`${JSON.stringify(name)} is not a Python identifier`);
  }
  return name;
}

/**
 * A string literal, quotes included. A JSON string is a valid Python literal with the same value:
 * `\"`, `\\`, `\n`, `\t`, `\uXXXX`... mean the same in both.
 */
export function pyString(text: string): string {
  return JSON.stringify(text);
}

/**
 * Text to put between `"""` and `"""`: backslashes doubled, quotes that could close the
 * docstring escaped, line breaks kept.
 */
export function pyDocstringText(text: string): string {
  return (
    text
      .replace(/\\/g, '\\\\')
      .replace(/\0/g, '\\0')
      // A run of three quotes or more would close the docstring, and so would a run at the end
      // (it meets the closing quotes): escape every quote of such a run.
      .replace(/"+/g, (run, at: number, all: string) =>
        run.length >= 3 || at + run.length === all.length ? run.replace(/"/g, '\\"') : run,
      )
  );
}

/** Text for a `# comment`: one line, so nothing after it can become code. */
export function pyCommentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029\f\v\0]+/g, ' ');
}
