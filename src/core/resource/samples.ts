/** Test data: the values the generated tests send, from the field types. */
import type { FieldSpec } from '../resources.js';
import { SORTABLE, STR_LENGTH } from './fields.js';

/** A Python tuple display of `items`: `(a, b)`, or `(a,)` for one. */
const tupleLiteral = (items: readonly string[]): string =>
  items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;

export interface Samples {
  /** The value of a valid payload (a Python expression; distinct per call for unique fields). */
  valid: string;
  /** Three distinct valid literals, in increasing order where the type has one. */
  literals: string[];
  /** A pair that sorts the same on SQLite and PostgreSQL, lower first. */
  sortPair?: [string, string];
  invalid: string[];
  /** Whether `valid` uses `n`, the number of the payload. */
  numbered: boolean;
  /** Whether the API returns exactly what was sent (an aware datetime comes back naive on SQLite). */
  roundTrips: boolean;
  /** The default as the API returns it. */
  apiDefault?: string;
}

const fitWord = (word: string, min: number, max: number): string =>
  (word.length < min ? word + 'x'.repeat(min - word.length) : word).slice(0, max);

/** Up to three numbers in [min, max], from `start` by steps of one. */
function numbers(field: FieldSpec, start: number, integer: boolean): number[] {
  const lo = field.min === undefined ? -Infinity : integer ? Math.ceil(field.min) : field.min;
  const hi = field.max === undefined ? Infinity : integer ? Math.floor(field.max) : field.max;
  const first = Math.min(Math.max(start, lo), hi);
  return [first, first + 1, first + 2].filter((n) => n <= hi);
}

const decimalText = (n: number): string => JSON.stringify(n.toFixed(2));
const floatText = (n: number): string => (Number.isInteger(n) ? `${n}.0` : `${n}`);

/** A unique number in range: `lo + n % span` (`n` counts the payloads a test module builds). */
function uniqueNumber(field: FieldSpec): string {
  const lo = Math.ceil(field.min ?? 1);
  if (field.max === undefined) return lo === 0 ? 'n' : `${lo} + n`;
  const span = Math.floor(field.max) - lo + 1;
  return `${lo} + n % ${span}`;
}

export function samples(field: FieldSpec): Samples {
  const outOfRange = (fmt: (n: number) => string): string[] => [
    ...(field.min !== undefined ? [fmt(field.min - 1)] : []),
    ...(field.max !== undefined ? [fmt(field.max + 1)] : []),
  ];
  const words = ['alpha', 'bravo', 'charlie'];
  const quoted = (values: string[]): string[] => values.map((v) => JSON.stringify(v));
  let literals: string[];
  let unique: string | undefined;
  let invalid: string[];
  let sortable = SORTABLE.has(field.type);
  switch (field.type) {
    case 'str': {
      const [min, max] = [field.min ?? 0, field.max ?? STR_LENGTH];
      literals = quoted(words.map((w) => fitWord(w, min, max)));
      unique =
        min <= 6 && max >= 10 ? 'f"value-{n}"' : `f"{n:0${Math.min(max, Math.max(min, 4))}d}"`;
      invalid = [
        `"x" * ${max + 1}`,
        ...(min > 1 ? [`"x" * ${min - 1}`] : min === 1 ? ['""'] : []),
        '42',
        '"nul\\x00byte"',
      ];
      break;
    }
    case 'text':
      literals = quoted(['Some text', 'Other text', 'More text']);
      invalid = ['42', '"nul\\x00byte"'];
      break;
    case 'int':
      literals = numbers(field, 1, true).map(String);
      unique = uniqueNumber(field);
      invalid = [
        '"abc"',
        '1.5',
        ...outOfRange(String),
        // Past what an INTEGER column holds.
        ...(field.max === undefined ? ['2**31'] : []),
        ...(field.min === undefined ? ['-(2**31) - 1'] : []),
      ];
      break;
    case 'float':
      literals = numbers(field, 1.5, false).map(floatText);
      unique = uniqueNumber(field);
      invalid = ['"abc"', ...outOfRange(floatText)];
      break;
    case 'decimal':
      literals = numbers(field, 1.5, false).map(decimalText);
      unique = `f"{${uniqueNumber(field)}}.00"`;
      invalid = ['"abc"', '"1.234"', ...outOfRange(decimalText)];
      break;
    case 'bool':
      literals = ['True', 'False'];
      invalid = ['"maybe"'];
      break;
    case 'date':
      literals = quoted(['2026-01-02', '2026-02-03', '2026-03-04']);
      unique = 'str(date(2026, 1, 1) + timedelta(days=n))';
      invalid = ['"not-a-date"'];
      break;
    case 'datetime':
      literals = quoted(['2026-01-02T03:04:05Z', '2026-02-03T04:05:06Z', '2026-03-04T05:06:07Z']);
      unique = 'f"2026-01-02T03:04:05.{n:06d}Z"';
      invalid = ['"2026-01-02T03:04:05"', '"not-a-datetime"'];
      break;
    case 'uuid':
      literals = [1, 2, 3].map((n) => `str(UUID(int=${n}))`);
      unique = 'str(uuid4())';
      invalid = ['"not-a-uuid"'];
      break;
    case 'email':
      literals = quoted(words.map((w) => `${w}@example.com`));
      unique = 'f"user{n}@example.com"';
      invalid = ['"not-an-email"', '42'];
      break;
    case 'url':
      literals = quoted(words.map((w) => `https://example.com/${w}`));
      unique = 'f"https://example.com/{n}"';
      invalid = ['"not a url"', '"ftp://example.com/file"'];
      break;
    case 'enum': {
      const values = field.values ?? [];
      literals = quoted(values.slice(0, 3));
      unique = `${tupleLiteral(quoted(values))}[n % ${values.length}]`;
      invalid = ['"not-a-value"'];
      break;
    }
    case 'json':
      literals = ['{"key": "alpha"}', '{"key": "bravo"}', '{"key": "charlie"}'];
      invalid = ['[1, 2]', '"text"'];
      sortable = false;
      break;
    case 'ref':
      literals = [];
      invalid = ['"abc"', '0', '2**31'];
      break;
  }
  if (field.type === 'enum') {
    // Both databases must agree on the order: values whose first characters differ.
    const sorted = [...(field.values ?? [])].sort();
    const low = sorted[0] ?? '';
    const high = sorted.find((v) => v.charAt(0) !== low.charAt(0) && /^[a-z]/.test(v));
    sortable = high !== undefined && /^[a-z]/.test(low);
    if (high !== undefined) literals = [JSON.stringify(low), JSON.stringify(high), ...literals];
  }
  const sortPair: [string, string] | undefined =
    sortable && literals.length >= 2 ? [literals[0] ?? '', literals[1] ?? ''] : undefined;
  if (field.type === 'enum') literals = quoted((field.values ?? []).slice(0, 3));
  const defaultValue = field.default;
  let apiDefault: string | undefined;
  if (defaultValue !== undefined) {
    if (field.type === 'decimal') apiDefault = decimalText(Number(defaultValue));
    else if (field.type === 'bool') apiDefault = defaultValue === 'true' ? 'True' : 'False';
    else if (field.type === 'int' || field.type === 'float') apiDefault = defaultValue;
    else apiDefault = JSON.stringify(defaultValue);
  }
  return {
    valid: field.unique && unique ? unique : (literals[0] ?? 'None'),
    numbered: field.unique && unique !== undefined && /\bn\b/.test(unique),
    literals,
    sortPair,
    invalid: field.required ? [...invalid, 'None'] : invalid,
    roundTrips: field.type !== 'datetime',
    apiDefault,
  };
}
