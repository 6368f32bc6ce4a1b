import { UserError } from './errors.js';

/** Words of an identifier-ish string: "My API", "myApi", "my_api" -> ["my", "api"]. */
export function words(input: string): string[] {
  return input
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

export const snake = (s: string): string => words(s).join('_');
export const kebab = (s: string): string => words(s).join('-');
export const pascal = (s: string): string =>
  words(s)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  person: 'people',
  child: 'children',
  man: 'men',
  woman: 'women',
  mouse: 'mice',
  goose: 'geese',
  foot: 'feet',
  tooth: 'teeth',
};
const UNCOUNTABLE = new Set([
  'data',
  'equipment',
  'information',
  'metadata',
  'news',
  'series',
  'species',
]);

/** English plural of the last word, keeping the rest: "order_line" -> "order_lines". */
export function plural(s: string): string {
  const match = /^(.*?)([A-Za-z]+)$/.exec(s);
  if (!match) return s;
  const head = match[1] ?? '';
  const word = match[2] ?? '';
  const lower = word.toLowerCase();
  let out: string;
  if (UNCOUNTABLE.has(lower)) out = lower;
  else if (IRREGULAR_PLURALS[lower]) out = IRREGULAR_PLURALS[lower];
  else if (/[^aeiou]y$/.test(lower)) out = lower.slice(0, -1) + 'ies';
  else if (/(s|x|z|ch|sh)$/.test(lower)) out = lower + 'es';
  else out = lower + 's';
  const sameCase = word === word.toUpperCase() && word.length > 1 ? out.toUpperCase() : out;
  const capitalised =
    word.charAt(0) === word.charAt(0).toUpperCase() && word !== word.toUpperCase()
      ? sameCase.charAt(0).toUpperCase() + sameCase.slice(1)
      : sameCase;
  return head + capitalised;
}

/** The longest project name: its title must fit the generated docstrings and settings. */
export const PROJECT_NAME_MAX = 40;

/** PEP 508 distribution name: letters and digits, separated by single `-`, `_` or `.`. */
const DISTRIBUTION_NAME = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;

/**
 * Normalises what the user typed (or the target folder's base name) into a Python distribution
 * name, as pip would accept it: "My API" -> "my-api". Throws a UserError when nothing usable is left.
 */
export function normaliseProjectName(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed === '.' || trimmed === '..') {
    throw new UserError(
      `cannot make a project name from ${JSON.stringify(raw)}: give a folder name or --name`,
    );
  }
  const name = kebab(trimmed);
  if (!DISTRIBUTION_NAME.test(name)) {
    throw new UserError(
      `cannot make a project name from ${JSON.stringify(raw)}: use letters, digits and dashes, e.g. my-api`,
    );
  }
  if (name.length > PROJECT_NAME_MAX) {
    // It names the package, the database and the docs: longer lines would break the project's
    // own line-length check.
    throw new UserError(
      `project name ${JSON.stringify(name.slice(0, 50))}${name.length > 50 ? '...' : ''}: at most ${PROJECT_NAME_MAX} characters (${name.length} given)`,
    );
  }
  return name;
}

/** A human title: keeps what the user typed when it has capitals ("My API"), else "My Api". */
export function projectTitle(raw: string, name: string): string {
  const trimmed = raw.trim().replace(/\s+/g, ' ');
  if (/[A-Z]/.test(trimmed) && /^[\w .-]+$/.test(trimmed)) return trimmed;
  return words(name)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}
