/**
 * The small cue tables detection reads a clause with, one row per language: what turns a mention
 * down (before it, or after it in the languages that put the verb last), what limits it to tests,
 * what labels a bad example, and which other systems a limit or a role can belong to. A cue
 * table, not a translation: each row holds the few words guidance files use for these.
 */
import type { TextTest } from './text-tests.js';

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
      'sin|nada de|ni|nunca|jamás|evita|evitar|evite|evitamos|prohibido|prohibida|en lugar de|en vez de|no usamos|no se usa|no usar|no hace falta|no necesitamos',
    ),
    after: word(
      'no se usa|no se usan|no está permitid[oa]|prohibid[oa]|fuera de alcance|rompe|rompen|rompió|(?:nos )?(?:ha dado|dio|causó|causa)(?: \\p{L}+){0,2}? (?:problemas|errores|fallos)',
    ),
  },
  pt: {
    before: word(
      'sem|não|nada de|nem|nunca|jamais|evite|evitar|evitamos|proibido|proibida|em vez de|ao invés de|não existe|não usamos|não use',
    ),
    after: word(
      'não é usad[oa]|não são usad[oa]s|proibid[oa]|fora de escopo|quebra|quebram|quebrou|(?:causou|causa|deu)(?: \\p{L}+){0,2}? (?:problemas|erros|falhas)',
    ),
  },
  fr: {
    before: word(
      "pas de|pas d['’]|pas besoin d(?:e|['’])|inutile d(?:e|['’])|sans|ni|jamais|aucun|aucune|évitez|éviter|évite|interdit|interdite|au lieu de|plutôt que|(?:ne|n['’]) ?\\p{L}+ (?:pas|jamais|plus)(?: d(?:e|['’]))?|ne pas utiliser",
    ),
    after: word(
      "n['’]est pas|ne sont pas|est interdite?|sont interdite?s|casse|cassent|a cassé|pose(?:nt)? (?:des )?problèmes|(?:a causé|cause)(?: \\p{L}+){0,2}? (?:problèmes|erreurs|pannes)",
    ),
  },
  de: {
    before: word(
      'kein|keine|keinen|keiner|keinem|keines|nicht|nie|niemals|ohne|statt|anstatt|anstelle von|verboten|vermeide|vermeiden|verzichte auf',
    ),
    after: word(
      'ist nicht|sind nicht|nicht vorgesehen|nicht erlaubt|nicht verwenden|nicht benutzen|verboten|wird nicht|werden nicht|bricht|brechen|(?:verursacht|verursachte)(?: \\p{L}+){0,2}? (?:probleme|fehler|ausfälle)',
    ),
  },
  // No word boundaries in Chinese and Japanese: the cues are matched as they are written.
  zh: {
    before:
      '(?:不(?:使用|用|要|需要|提供|支持|做|实现|开放|引入|添加|加|采用|允许|打算|考虑|再|能|可|应|应该|可以|得|会)|禁止|无需|避免|别用|勿用|而不是|没有)',
    after: '(?:不使用|不需要|禁止使用|除外|会导致|导致.{0,8}(?:问题|故障|错误)|破坏)',
  },
  ja: {
    before: '(?:禁止)',
    after:
      '(?:は?使わない|は?使用しない|は?使いません|は?使用しません|を?使わない|を?使用しない|は不要|不要|禁止|なし|しない|ではなく|は採用しない|ません(?!か)|(?:入れ|導入し|実装し|採用し|行わ|かけ|持た|置か|作ら|用い|頼ら)(?:ない|ず)|ないでください|壊れ|壊す|問題が起き)',
  },
  ko: {
    before: '(?:금지|없이)',
    after:
      '(?:지 않|지 말|지 마|사용 안|안 (?:함|합니다|씀|써)|금지|없음|없(?:습니다|다|고|으며|어요|이)|불필요|필요 없|대신|두지 않|도입하지 않|깨지|깨뜨|문제가 생)',
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
      // Before: the cue (group 1) is among the last words before the mention.
      before: new RegExp(`(${before})[^.;:!?。；：]{0,24}$`, 'iu'),
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
    '(?:仅|只)(?:用于|在|限于)?(?:单元|集成)?测试',
    '(?:単体|結合|ユニット)?テスト(?:で|の時|時|環境)?(?:のみ|だけ)|テスト専用',
    '테스트(?:에서|할 때|용으로|환경에서)?만|테스트 전용',
  ].join('|'),
  'iu',
);

/** A word every TEST_ONLY and TEST_SUBJECT match holds: a plain search that spares most texts. */
const TEST_WORD = /test|prueba|测试|テスト|테스트/i;

export const TEST_ONLY = {
  test: (text: string): boolean => TEST_WORD.test(text) && TEST_ONLY_RULE.test(text),
};

/**
 * A sentence whose subject or scope is the tests, in each language: "Unit tests use ...", "In
 * tests, ...", "Las pruebas usan ...", "单元测试使用 ...", "テストでは ...", "테스트에서는 ...".
 * What its first clauses name is the tests' practice, not the project's. Read at the sentence's
 * start (after a list marker or emphasis).
 */
const TEST_SUBJECT_RULE = new RegExp(
  `^[\\s>*+\\-\\d.)#\`_]*(?:${[
    '(?:the |our |all |every )?(?:unit |integration |e2e |end-to-end )?(?:tests?|test suites?|test runs?) (?:use|uses|run (?:on|against|with)|runs (?:on|against|with)|need|needs|spin up|spins up|rely on|relies on)\\b',
    '(?:in|for|during) (?:the )?(?:unit |integration )?(?:tests?|testing)\\b',
    '(?:las |los )?(?:pruebas|tests)(?: unitarias| de integración)? (?:usan|utilizan|emplean|corren (?:con|sobre|contra))(?![\\p{L}])',
    '(?:en|para) (?:las )?pruebas(?![\\p{L}])',
    '(?:os )?testes(?: unitários| de integração)? (?:usam|utilizam|rodam (?:com|em|contra))(?![\\p{L}])',
    '(?:nos|para (?:os )?) ?testes(?![\\p{L}])',
    "(?:les )?tests(?: unitaires| d['’]intégration)? (?:utilisent|tournent (?:sur|avec|contre))(?![\\p{L}])",
    '(?:dans|pour) les tests(?![\\p{L}])',
    '(?:die )?(?:unit-?|integrations)?tests (?:verwenden|nutzen|benutzen|laufen (?:gegen|mit|auf))(?![\\p{L}])',
    '(?:in|für) (?:den |die )?tests(?![\\p{L}])',
    '(?:单元|集成)?测试(?:中|时|里)?(?:使用|用|采用)|在(?:单元|集成)?测试(?:中|时|里)',
    '(?:単体|結合|ユニット)?テスト(?:では|で|時は|の際は|には)',
    '(?:단위 |통합 )?테스트(?:에서는|에서|시에는|할 때는|용으로는)',
  ].join('|')})`,
  'iu',
);

/** How much of a sentence's start TEST_SUBJECT reads. */
const SUBJECT_REACH = 80;

export const TEST_SUBJECT = {
  test: (sentence: string): boolean => {
    const start = sentence.slice(0, SUBJECT_REACH);
    return TEST_WORD.test(start) && TEST_SUBJECT_RULE.test(start);
  },
};

/** A clause about production or the application itself: a test scope does not reach into it. */
export const PRODUCTION = new RegExp(
  [
    '\\b(?:production|prod|the app|the application|the service|otherwise)\\b',
    word(
      "producción|en prod|la aplicación|produção|em prod|a aplicação|en production|l['’]application|produktion|produktiv|die anwendung",
    ),
    '生产|线上|本番|운영|프로덕션|애플리케이션',
  ].join('|'),
  'iu',
);

/** What sits in front of an application and can limit, version or filter for it. */
const EDGE =
  '(?:api[- ]?)?(?:ingress|gateway|reverse[- ]proxy|proxy|load ?balancer|nginx|traefik|envoy|kong|cloudflare|waf|cdn|service mesh|mesh|istio)';

/**
 * The infrastructure in front of the application does it, not the application: "done by the
 * API gateway in front of us", "Rate Limiting macht der Ingress vor der Anwendung", "由网关限流".
 * The edge must be the one doing it: an application can itself be a gateway.
 */
const INFRASTRUCTURE = new RegExp(
  [
    `\\b(?:done|handled|enforced|applied|performed|managed|implemented|taken care of|terminated) (?:by|at|in) (?:the |our |an? )?(?:[\\w-]+ )?${EDGE}\\b`,
    `\\b${EDGE} (?:does|handles|enforces|applies|takes care of|versions|limits|rate[- ]limits|throttles)\\b`,
    '\\bin front of (?:us|the app|the application|the service|the api)\\b',
    word(
      `(?:lo hace|se encarga|lo gestiona|lo aplica|lo controla)(?: \\p{L}+){0,2} (?:el |la )?(?:pasarela|balanceador|${EDGE})|delante de la (?:aplicación|api)`,
    ),
    word(
      `(?:feito|tratado|aplicado|controlado)(?: \\p{L}+){0,1} (?:pelo|pela|no|na) (?:${EDGE}|balanceador)|na frente da (?:aplicação|api)`,
    ),
    word(
      `(?:fait|faite|géré|gérée|appliqué|appliquée|assuré|assurée) (?:par|dans) (?:le |la |l['’])(?:passerelle|répartiteur|${EDGE})|devant l['’](?:application|api)`,
    ),
    word(
      `(?:macht|übernimmt|erledigt|regelt) (?:der|das|die) (?:${EDGE}|lastverteiler)|vor der anwendung|vor dem (?:dienst|service)`,
    ),
    `由(?:API ?)?(?:网关|反向代理|负载均衡|${EDGE})|在(?:API ?)?(?:网关|${EDGE})(?:层|上)`,
    `(?:ゲートウェイ|リバースプロキシ|ロードバランサ|${EDGE})(?:側)?(?:で|が)(?:行|実施|処理|担当)`,
    `(?:게이트웨이|인그레스|리버스 프록시|로드 ?밸런서|${EDGE})(?:에서|가) (?:처리|담당|적용)`,
  ].join('|'),
  'iu',
);

/** Several patterns read as one test. */
const either = (...patterns: TextTest[]): TextTest => ({
  test: (text) => patterns.some((p) => p.test(text)),
});

/**
 * `rule`, run only on a text holding one of the plain words of `words`: a rule of many
 * alternatives in several scripts is slow on a long text, and most texts hold none of its words.
 */
const prefiltered = (words: RegExp, rule: RegExp): TextTest => ({
  test: (text) => words.test(text) && rule.test(text),
});

/** Words every OTHER_SYSTEM rule match holds (see prefiltered). */
const OTHER_WORD =
  /extern|third|upstream|vendor|provider|partner|sandbox| us\b|proveedor|limita|provedor|fournisseur|limite|anbieter|begrenzt|外部|第三方|他社|외부|供应商|提供商/i;
/** Words every INFRASTRUCTURE match holds. */
const EDGE_WORD =
  /ingress|gateway|proxy|balanc|nginx|traefik|envoy|kong|cloudflare|waf|cdn|mesh|istio|in front of|na frente|delante|devant|vor de[mr]|pasarela|passerelle|répartiteur|lastverteiler|网关|代理|负载|ゲートウェイ|プロキシ|ロードバランサ|イングレス|게이트웨이|인그레스|프록시|밸런서/i;

/**
 * A limit, a quota, a role or a version that belongs to another system: an external or
 * third-party API, a provider's sandbox, a limit imposed on us, or the infrastructure in front of
 * the application (an ingress, a gateway, a proxy) that does it instead. Read in the mention's
 * clauses.
 */
export const OTHER_SYSTEM = either(
  prefiltered(
    OTHER_WORD,
    new RegExp(
      [
        "\\b(?:external|third[- ]party|upstream|vendor['’]s|provider['’]s|partner['’]s|sandbox)\\b",
        '\\b(?:rate[- ]?limits?|throttles?|limits?) us\\b',
        word(
          'externen?|externer|des anbieters|externa|externo|externe|tiers|proveedor|proveedores|nos limita|provedor|fournisseur|nous limite|anbieter|begrenzt uns',
        ),
        '(?:外部|第三方|他社|외부|供应商|提供商)',
      ].join('|'),
      'iu',
    ),
  ),
  /\b[A-Z][\w-]*['’]s (?:own )?(?:api|rate|role|limit)/u,
  prefiltered(EDGE_WORD, INFRASTRUCTURE),
);

/**
 * A role that is the database's, not the application's: database accounts, grants, a DBA's
 * roles ("the `readonly` role is a database account managed by the DBA").
 */
const DATABASE_ROLE_RULE = new RegExp(
  [
    '\\b(?:database|db|postgres(?:ql)?|mysql|warehouse)[- ](?:roles?|users?|accounts?|grants?|logins?)\\b',
    '\\bdbas?\\b',
    word(
      'roles? (?:de|en) (?:la )?base de datos|cuentas? de (?:la )?base de datos|papéis do banco(?: de dados)?|contas? do banco(?: de dados)?|rôles? (?:de|dans) la base(?: de données)?|comptes? de (?:la )?base de données|datenbank-?(?:rollen|konten|benutzer)',
    ),
    '(?:数据库|資料庫)(?:账号|账户|用户|角色)|データベース(?:ロール|アカウント|ユーザー)|(?:데이터베이스|DB) (?:계정|사용자)',
  ].join('|'),
  'iu',
);

export const DATABASE_ROLE = prefiltered(
  /database|db|postgres|mysql|warehouse|base de|banco|datenbank|数据库|資料庫|データベース|데이터베이스/i,
  DATABASE_ROLE_RULE,
);

/**
 * Something another team owns ("the Redis cluster belongs to the data team", "appartient à
 * l'équipe data"): not the project's, whatever the option. Read in the mention's own clause.
 */
const ANOTHER_TEAM_RULE = new RegExp(
  [
    "\\b(?:belongs? to|owned by) (?:the |another |a different )?[\\w-]+(?: [\\w-]+)? team\\b|\\b(?:another|a different) team['’]s\\b",
    word(
      "pertenece al? (?:otro )?equipo|es de otro equipo|pertence (?:à|a|ao) (?:outra )?(?:equipe|time)|é de outra equipe|appartient à (?:l['’]|une autre )?équipe|gehört (?:dem|zum|einem anderen) (?:\\p{L}+[- ])?team",
    ),
    '属于.{0,12}团队|(?:其他|别的)团队的|チームのもの|別チームの|팀 소유|다른 팀의',
  ].join('|'),
  'iu',
);

/** A word every ANOTHER_TEAM match holds: a plain search that spares most clauses the rule. */
const TEAM_WORD = /team|equipo|equipe|équipe|[ao] time|团队|チーム|팀/i;

export const ANOTHER_TEAM = {
  test: (text: string): boolean => TEAM_WORD.test(text) && ANOTHER_TEAM_RULE.test(text),
};

/**
 * The project's own, said against another system's ("our own endpoints", "the application
 * itself", "このアプリ自身"): in the mention's own clause it overrules OTHER_SYSTEM.
 */
export const OWN_SYSTEM = new RegExp(
  [
    '\\b(?:our own|ourselves|itself|this (?:app|application|service|api))\\b',
    word(
      'selbst|propio|propia|propios|propias|próprio|própria|próprios|nous-mêmes|lui-même|elle-même',
    ),
    '自身|自己的|本服务|本应用|このアプリ|自体|자체',
  ].join('|'),
  'iu',
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
