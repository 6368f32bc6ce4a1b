import { UserError } from './errors.js';
import { normaliseProjectName, projectTitle, snake } from './names.js';
import {
  OPTIONS,
  isOptionValue,
  optionValues,
  type OptionId,
  type OptionValues,
} from './options.js';
import type { PracticeSet } from './practices.js';

/** What the user chose, from flags or prompts; anything missing falls back to the practices. */
export interface Answers {
  /** Name as typed (or the target folder's base name). */
  name: string;
  db?: string;
  auth?: string;
}

/** The validated description of one project: everything rendering needs, and nothing else. */
export interface ProjectSpec extends OptionValues {
  /** Python distribution name, e.g. `my-api`. */
  name: string;
  title: string;
  description: string;
  /** Database name for server databases and the SQLite file name, e.g. `my_api`. */
  databaseName: string;
  /** 32 random bytes as hex, written only to the project's `.env`. */
  secretKey: string;
  generatorVersion: string;
  agent: { path: string; name: string; description: string; text: string };
}

export interface SpecInputs {
  answers: Answers;
  practices: PracticeSet;
  agent: ProjectSpec['agent'];
  /** Injected so the core stays pure: 32 random bytes as hex, from the edge. */
  secretKey: string;
  generatorVersion: string;
}

function optionValue<K extends OptionId>(id: K, value: string): OptionValues[K] {
  if (!isOptionValue(id, value)) {
    throw new UserError(
      `${id}: ${JSON.stringify(value)} is not one of ${optionValues(id).join(', ')}`,
    );
  }
  return value;
}

/** Answers win over practices, practices over the option defaults. Throws a one-line UserError. */
export function buildSpec(inputs: SpecInputs): ProjectSpec {
  const { answers, practices } = inputs;
  const name = normaliseProjectName(answers.name);
  if (!/^[0-9a-f]{64}$/.test(inputs.secretKey)) {
    throw new UserError('secretKey: must be 32 random bytes written as 64 hex characters');
  }
  const options = {} as Record<OptionId, string>;
  for (const option of OPTIONS) {
    options[option.id] = optionValue(
      option.id,
      answers[option.id] ?? practices.options[option.id].value,
    );
  }
  const title = projectTitle(answers.name, name);
  return {
    ...(options as OptionValues),
    name,
    title,
    description: `${title}: a FastAPI service`,
    databaseName: snake(name),
    secretKey: inputs.secretKey,
    generatorVersion: inputs.generatorVersion,
    agent: inputs.agent,
  };
}
