/**
 * The small cue tables detection reads a clause with, one row per language: what turns a mention
 * down (before it, or after it in the languages that put the verb last), what limits it to tests,
 * what labels a bad example, and which other systems a limit or a role can belong to. A cue
 * table, not a translation: each row holds the few words guidance files use for these.
 */

/** A word of a cue list, bounded as a word in any script (`\b` only knows ASCII letters). */
const word = (alternatives: string): string =>
  `(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`;

export type Language = 'en' | 'es' | 'pt' | 'fr' | 'de' | 'zh' | 'ja' | 'ko';

interface CueRow {
  /** Negation or rejection written before the mention, in its clause. */
  before: string;
  /** Negation written after the mention, in its clause (verb-final languages, "is not used"). */
  after?: string;
}

/** Words before a mention that turn it down. English is in practices-text.ts (NEGATION_BEFORE). */
const CUES: Record<Exclude<Language, 'en'>, CueRow> = {
  es: {
    before: word(
      'sin|nada de|ni|nunca|jamás|evita|evitar|evite|evitamos|prohibido|prohibida|en lugar de|en vez de|no usamos|no se usa|no usar',
    ),
    after: word('no se usa|no se usan|no está permitid[oa]|prohibid[oa]|fuera de alcance'),
  },
  pt: {
    before: word(
      'sem|não|nada de|nem|nunca|jamais|evite|evitar|evitamos|proibido|proibida|em vez de|ao invés de|não existe|não usamos|não use',
    ),
    after: word('não é usad[oa]|não são usad[oa]s|proibid[oa]|fora de escopo'),
  },
  fr: {
    before: word(
      "pas de|pas d['’]|sans|jamais|aucun|aucune|évitez|éviter|évite|interdit|interdite|au lieu de|plutôt que|n['’]utilisez|n['’]utilise|ne pas utiliser",
    ),
    after: word("n['’]est pas|ne sont pas|est interdite?|sont interdite?s"),
  },
  de: {
    before: word(
      'kein|keine|keinen|keiner|keinem|keines|nicht|nie|niemals|ohne|statt|anstatt|anstelle von|verboten|vermeide|vermeiden|verzichte auf',
    ),
    after: word(
      'ist nicht|sind nicht|nicht vorgesehen|nicht erlaubt|nicht verwenden|nicht benutzen|verboten|wird nicht|werden nicht',
    ),
  },
  // No word boundaries in Chinese and Japanese: the cues are matched as they are written.
  zh: {
    before:
      '(?:不使用|不用|不要|禁止|不需要|无需|不采用|避免|别用|不得|勿用|而不是|不再|没有|不引入)',
    after: '(?:不使用|不需要|禁止使用|除外)',
  },
  ja: {
    before: '(?:禁止)',
    after:
      '(?:は?使わない|は?使用しない|は?使いません|は?使用しません|を?使わない|を?使用しない|は不要|不要|禁止|なし|しない|ではなく|は採用しない)',
  },
  ko: {
    before: '(?:금지|없이)',
    after:
      '(?:사용하지 않|쓰지 않|사용 안|사용하지 마|쓰지 마|금지|없음|대신|하지 않|두지 않|도입하지 않)',
  },
};

/** Whether the file's languages include `language` (English is always read). */
export type Languages = ReadonlySet<Language>;

export const ALL_LANGUAGES: Languages = new Set<Language>([
  'en',
  'es',
  'pt',
  'fr',
  'de',
  'zh',
  'ja',
  'ko',
]);

/** Common words of each language that are not also common English: a cheap guess of a file's languages. */
const LATIN: Language[] = ['es', 'pt', 'fr', 'de'];
const MARKERS: Array<[Language, RegExp]> = [
  [
    'es',
    /(?<![\p{L}])(?:el|los|las|para|con|sin|usa|usamos|también|según|cada|una|del)(?![\p{L}])/gu,
  ],
  [
    'pt',
    /(?<![\p{L}])(?:não|são|com|para|uma|dos|das|também|cada|sem|usamos|neste|nesta|em)(?![\p{L}])/gu,
  ],
  ['fr', /(?<![\p{L}])(?:les|des|est|pour|avec|sans|une|dans|sont|aux|pas|du)(?![\p{L}])/gu],
  ['de', /(?<![\p{L}])(?:der|die|das|und|mit|für|nicht|ist|kein|keine|wird|über|nur)(?![\p{L}])/gu],
  ['zh', /[的是用在和不]/gu],
  ['ja', /[\u3040-\u309F]/gu],
  ['ko', /[\uAC00-\uD7AF]/gu],
];

/** How much of a file is read to guess its languages: the guess needs no more. */
const SAMPLE = 20000;

/**
 * The languages a file is written in, besides English: each one whose markers make at least 2%
 * of the words of the first SAMPLE characters. Linear, and bounded.
 */
export function fileLanguages(text: string): Languages {
  const sample = text.slice(0, SAMPLE);
  const words = Math.max(1, (sample.match(/\S+/g) ?? []).length);
  const found = new Set<Language>(['en']);
  // Of the languages written in Latin letters, only the one with the most markers: Spanish and
  // Portuguese share words, and "no" is a negation in one and "in the" in the other.
  let latin: { language: Language; count: number } | null = null;
  for (const [language, marker] of MARKERS) {
    const count = (sample.match(marker) ?? []).length;
    if (count / words < 0.02 || count < 2) continue;
    if (!LATIN.includes(language)) found.add(language);
    else if (!latin || count > latin.count) latin = { language, count };
  }
  if (latin) found.add(latin.language);
  // Japanese text holds Chinese characters too: kana decide.
  if (found.has('ja')) found.delete('zh');
  return found;
}

const compiled = new Map<string, { before: RegExp; after: RegExp | null }>();

/** The before and after cue patterns of a set of languages (English excluded), compiled once. */
export function cuesFor(languages: Languages): { before: RegExp | null; after: RegExp | null } {
  const rows = [...languages].filter((l): l is Exclude<Language, 'en'> => l !== 'en').sort();
  if (rows.length === 0) return { before: null, after: null };
  const key = rows.join(',');
  let entry = compiled.get(key);
  if (!entry) {
    const before = rows.map((l) => CUES[l].before).join('|');
    const after = rows
      .map((l) => CUES[l].after)
      .filter(Boolean)
      .join('|');
    entry = {
      // Before: the cue is among the last words before the mention.
      before: new RegExp(`(?:${before})[^.;:!?。；：]{0,24}$`, 'iu'),
      // After: the cue follows within a few words.
      after: after ? new RegExp(`^[^.;!?。；]{0,32}?(?:${after})`, 'iu') : null,
    };
    compiled.set(key, entry);
  }
  return entry;
}

/** "Only for tests" in each language: a mention in such a clause is not the project's practice. */
const TEST_ONLY_RULE = new RegExp(
  [
    '\\bonly (?:for|in|during|inside|within)\\b[^.;]{0,40}?\\btests?\\b',
    '\\b(?:tests?|testing)[- ]only\\b',
    '\\bonly (?:for|in) (?:unit |integration )?test(?:s|ing)\\b',
    word('solo (?:para|en) (?:las |los )?(?:pruebas|tests)|solamente (?:para|en) (?:las )?pruebas'),
    word(
      'apenas (?:para|em|nos) (?:os )?testes|somente (?:para|em|nos) (?:os )?testes|só (?:para|nos) testes',
    ),
    word('uniquement (?:pour|dans) les tests|seulement (?:pour|dans) les tests'),
    word('nur (?:für|in|bei) (?:den )?tests|nur im test'),
    '(?:仅用于测试|只用于测试|仅在测试|只在测试)',
    '(?:テストのみ|テスト専用|テストでのみ)',
    '(?:테스트에만|테스트 전용|테스트용으로만)',
  ].join('|'),
  'iu',
);

/** A word every TEST_ONLY match holds: a plain search that spares most clauses the rule. */
const TEST_WORD = /test|prueba|测试|テスト|테스트/i;

export const TEST_ONLY = {
  test: (text: string): boolean => TEST_WORD.test(text) && TEST_ONLY_RULE.test(text),
};

/**
 * A limit, a quota or a role that belongs to another system: an external or third-party API, a
 * provider's sandbox, a limit imposed on us. Read in the mention's clause.
 */
export const OTHER_SYSTEM = new RegExp(
  [
    "\\b(?:external|third[- ]party|upstream|vendor['’]s|provider['’]s|partner['’]s|sandbox)\\b",
    '\\b(?:rate[- ]?limits?|throttles?|limits?) us\\b',
    "\\b[A-Z][\\w-]*['’]s (?:own )?(?:api|rate|role|limit)",
    word('externen?|externer|des anbieters|externa|externo|externe|tiers'),
    '(?:外部|第三方|他社|외부)',
  ].join('|'),
  'u',
);

/**
 * A label that makes what follows a bad example: on a line of its own before a code block, at
 * the start of a line or as a code block's first comment ("❌", "Bad:", "Don't:", "Falsch:").
 */
export const BAD_LABEL = new RegExp(
  [
    '^\\W*(?:❌|⛔|🚫|✗|✘)',
    `^\\W*(?:bad|wrong|incorrect|don['’]?t|do not|avoid|never|anti-?pattern|not like this|mal|incorrecto|evitar|errado|ruim|mauvais|à éviter|falsch|schlecht|nicht so|vermeiden)(?![\\p{L}])[ \\t]*(?:example|examples|pattern|code|ejemplo|exemplo|exemple|beispiel)?[ \\t]*(?:[:：]|$)`,
    '^\\W*(?:错误|不好|反例|禁止)',
    '^\\W*(?:悪い例|NG例|NG[:：]|ダメな例|間違い)',
    '^\\W*(?:나쁜 예|잘못된 예|잘못된|금지)',
  ].join('|'),
  'iu',
);

/** A label that makes what follows a good example: it ends a bad example's reach. */
export const GOOD_LABEL =
  /^\W*(?:✅|✔|☑|good|right|correct|do\b|richtig|gut|bien|bom|correcto|correto|正确|良い例|좋은 예)/iu;

/** A table cell that says only "no" / "none" / "not used": the row's subject is turned down. */
export const NONE_CELL = new RegExp(
  `^\\W*(?:${[
    'no|none|n/a|not used|off|disabled|never',
    'ninguno|ninguna|no se usa|nenhum|nenhuma|não usado|não usamos|aucun|aucune|non|pas utilisé',
    'kein|keine|nicht genutzt|nicht verwendet',
    '无|不使用|不用|没有',
    'なし|使わない|使用しない|不要',
    '없음|사용하지 않음|사용 안 함|미사용',
  ].join('|')})\\W*$`,
  'iu',
);
