/**
 * The project options, declared once. The same declaration gives the CLI flag (`--db`), the
 * prompt (message and choices), the practice vocabulary and the spec's validation.
 */
export interface OptionChoice {
  value: string;
  label: string;
}

export interface OptionDeclaration {
  id: string;
  flag: string;
  message: string;
  /** First choice is the default when the guidance file states nothing. */
  choices: readonly OptionChoice[];
}

export const OPTIONS = [
  {
    id: 'db',
    flag: '--db <kind>',
    message: 'Database',
    choices: [
      { value: 'sqlite', label: 'SQLite (aiosqlite): runs with no server' },
      { value: 'postgresql', label: 'PostgreSQL (asyncpg)' },
    ],
  },
  {
    id: 'auth',
    flag: '--auth <kind>',
    message: 'Authentication',
    choices: [
      { value: 'jwt', label: 'OAuth2 password flow with JWT access tokens, users and roles' },
      { value: 'none', label: 'None' },
    ],
  },
] as const satisfies readonly OptionDeclaration[];

export type OptionId = (typeof OPTIONS)[number]['id'];
export type OptionValue<K extends OptionId> = Extract<
  (typeof OPTIONS)[number],
  { id: K }
>['choices'][number]['value'];

export type OptionValues = { [K in OptionId]: OptionValue<K> };

export function optionDeclaration(id: OptionId): OptionDeclaration {
  const found = OPTIONS.find((o) => o.id === id);
  if (!found) throw new Error(`unknown option ${id}`);
  return found;
}

export function optionValues(id: OptionId): string[] {
  return optionDeclaration(id).choices.map((c) => c.value);
}

export function isOptionValue<K extends OptionId>(id: K, value: string): value is OptionValues[K] {
  return optionValues(id).includes(value);
}
