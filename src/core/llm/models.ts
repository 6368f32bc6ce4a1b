import { UserError } from '../errors.js';
import { PROVIDERS, type ProviderName } from './types.js';

/** The aliases a guidance file's `model:` may name, as Claude Code agents do. */
export const MODEL_ALIASES = ['sonnet', 'opus', 'haiku', 'inherit'] as const;
export type ModelAlias = (typeof MODEL_ALIASES)[number];

/**
 * What each alias means for each provider today: the one table to edit when models change
 * (docs/llm.md repeats it for users). `undefined` lets the provider choose: for claude-code,
 * `inherit` passes no `--model`, so the CLI uses the model it is set up with. For claude-code the
 * aliases go to the CLI as they are, so it resolves them for the backend it is logged in to
 * (the Claude API, Bedrock, Vertex...). For the APIs, `inherit` means the provider's everyday
 * model, the same as `sonnet`.
 */
export const MODEL_TABLE: Readonly<
  Record<ProviderName, Readonly<Record<ModelAlias, string | undefined>>>
> = {
  anthropic: {
    opus: 'claude-opus-5-5',
    sonnet: 'claude-sonnet-5-5',
    haiku: 'claude-haiku-5-5',
    inherit: 'claude-sonnet-5-5',
  },
  openai: {
    opus: 'gpt-5.6-sol',
    sonnet: 'gpt-5.6-terra',
    haiku: 'gpt-5.6-luna',
    inherit: 'gpt-5.6-terra',
  },
  'claude-code': { opus: 'opus', sonnet: 'sonnet', haiku: 'haiku', inherit: undefined },
};

/** The environment variable that overrides the guidance file's `model:` (and `--model` it). */
export const MODEL_ENV = 'CFA_MODEL';

export type ModelSource = 'flag' | 'env' | 'guidance' | 'default';

export interface ModelChoice {
  provider: ProviderName;
  /** What the user wrote (or `inherit` by default). */
  requested: string;
  source: ModelSource;
  /** The id sent to the provider; undefined lets it choose (claude-code's `inherit`). */
  id: string | undefined;
}

const SOURCE_NAMES: Record<ModelSource, string> = {
  flag: '--model',
  env: MODEL_ENV,
  guidance: "the guidance file's `model:`",
  default: 'the default',
};

/** `--llm NAME`, checked. */
export function parseProvider(name: string): ProviderName {
  const found = PROVIDERS.find((p) => p === name.trim().toLowerCase());
  if (!found) {
    throw new UserError(
      `unknown LLM provider ${JSON.stringify(name)}: use one of ${PROVIDERS.join(', ')}`,
    );
  }
  return found;
}

/**
 * The model to ask: `--model`, else CFA_MODEL, else the guidance file's `model:`, else `inherit`.
 * A word of letters only is an alias and must be in MODEL_TABLE; anything else (it has a digit,
 * a dash, a dot, a colon or a slash: `claude-sonnet-5-5`, `qwen2.5-coder:7b`) is a full id and
 * goes to the provider as it is. Throws a UserError naming where a bad value came from.
 */
export function resolveModel(
  provider: ProviderName,
  sources: { flag?: string | undefined; env?: string | undefined; guidance?: string | undefined },
): ModelChoice {
  const candidates: Array<[ModelSource, string | undefined]> = [
    ['flag', sources.flag],
    ['env', sources.env],
    ['guidance', sources.guidance],
  ];
  const [source, raw] = candidates.find(
    ([, value]) => value !== undefined && value.trim() !== '',
  ) ?? ['default', 'inherit'];
  const requested = (raw ?? 'inherit').trim();
  const where = SOURCE_NAMES[source];
  const alias = MODEL_ALIASES.find((a) => a === requested.toLowerCase());
  if (alias) return { provider, requested, source, id: MODEL_TABLE[provider][alias] };
  if (/^[A-Za-z]+$/.test(requested)) {
    throw new UserError(
      `unknown model alias ${JSON.stringify(requested)} (from ${where}): use ${MODEL_ALIASES.join(', ')} ` +
        `or a full model id such as ${MODEL_TABLE[provider].sonnet ?? 'claude-sonnet-5-5'}`,
    );
  }
  // It goes into an HTTP body or a command line: one token, no option look-alike.
  if (!/^[A-Za-z0-9_][\w.:/@+-]{0,199}$/.test(requested)) {
    throw new UserError(
      `invalid model id ${JSON.stringify(requested)} (from ${where}): a model id is one word of ` +
        'letters, digits and . : / @ + - _',
    );
  }
  return { provider, requested, source, id: requested };
}
