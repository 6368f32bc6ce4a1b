/**
 * `practices --explain OPTION`: every place the file mentions the option, and what became of it:
 * counted (it set or turned down a value), overruled (another statement decided) or ignored (not
 * a statement of the project's practice: a question, another system, tests only, no context).
 */
import type { AgentFile } from './agent.js';
import { UserError } from './errors.js';
import { OPTION_IDS, isOptionId, type OptionId } from './options.js';
import { decidePractices, findMentions, type Ignored, type Mention } from './practices.js';

export interface Explanation {
  line: number;
  text: string;
  status: 'counted' | 'overruled' | 'ignored';
  why: string;
}

export interface OptionExplanation {
  option: OptionId;
  values: string[];
  source: string;
  /** The file-level judgement, when it is not backend guidance. */
  judgement: string | null;
  mentions: Explanation[];
}

/** The explanation of one option for a file. Pure. Throws a UserError for an unknown option. */
export function explainOption(agent: AgentFile, option: string): OptionExplanation {
  if (!isOptionId(option)) {
    throw new UserError(
      `--explain: ${option}: unknown option; options are ${OPTION_IDS.join(', ')}`,
    );
  }
  const ignored: Ignored[] = [];
  const mentions = findMentions(agent, false, ignored);
  const set = decidePractices(agent, mentions);
  const resolution = set.options[option];
  const stated = [...resolution.values, ...resolution.alternatives];
  const { judgement } = set;
  const first = new Map<string, Mention>();
  const explain = (m: Mention): Explanation => {
    const { practice } = m;
    const base = { line: m.line, text: m.text };
    const value = m.negated ? practice.negatedValue : practice.value;
    const negation = m.why ? ` (${m.why})` : '';
    if (!judgement.backend) {
      return { ...base, status: 'ignored', why: 'the file is not guidance for a Python backend' };
    }
    if (resolution.source === 'frontmatter') {
      return { ...base, status: 'overruled', why: 'the scaffold: block sets this option' };
    }
    if (m.negated && !practice.negatedValue && practice.value) {
      const earlier = first.get(practice.value);
      if (resolution.rejected.includes(practice.value) && (!earlier || earlier === m)) {
        return { ...base, status: 'counted', why: `turns down ${practice.value}${negation}` };
      }
      return {
        ...base,
        status: 'overruled',
        why: `turns down ${practice.value}${negation}, but the file stated it first at line ${earlier?.line ?? '?'}`,
      };
    }
    if (!value) {
      return {
        ...base,
        status: 'ignored',
        why: `names the topic (${practice.label}) without a value${negation}`,
      };
    }
    // A value with no evidence was not stated, even when it is the default ("statt Poetry
    // verwenden wir uv" turning both down leaves uv as the default, not as stated).
    const evidence = stated.includes(value) ? resolution.evidence[value] : undefined;
    const said = `${m.negated ? 'negated' : 'states'} ${practice.label}${negation}: ${value}`;
    if (evidence?.line === m.line) {
      return { ...base, status: 'counted', why: said };
    }
    if (evidence) {
      return { ...base, status: 'counted', why: `${said}, stated first at line ${evidence.line}` };
    }
    if (resolution.rejected.includes(value)) {
      return { ...base, status: 'overruled', why: `${said}, but ${value} was turned down first` };
    }
    if (practice.weak) {
      return {
        ...base,
        status: 'overruled',
        why: `${said}, but a more specific statement decides`,
      };
    }
    return { ...base, status: 'overruled', why: `${said}, but other values are stated` };
  };
  const own = mentions.filter((m) => m.practice.option === option);
  for (const m of own) {
    if (m.practice.value && !m.practice.weak && !first.has(m.practice.value)) {
      first.set(m.practice.value, m);
    }
  }
  const lines: Explanation[] = [
    ...own.map(explain),
    ...ignored
      .filter((i) => i.practice.option === option)
      .map((i) => ({ line: i.line, text: i.text, status: 'ignored' as const, why: i.reason })),
  ].sort((a, b) => a.line - b.line);
  return {
    option,
    values: stated,
    source: resolution.source,
    judgement: judgement.backend
      ? null
      : `not guidance for a Python backend: it reads as ${judgement.kind ?? 'other'} work (${(judgement.names ?? []).join(', ')})`,
    mentions: lines,
  };
}

/** The explanation as text for people. */
export function formatExplanation(agentPath: string, e: OptionExplanation): string {
  const out = [
    `${e.option}: ${e.values.join(', ')} (${e.source}) — ${agentPath}`,
    ...(e.judgement ? [`file: ${e.judgement}`] : []),
    '',
  ];
  if (e.mentions.length === 0) out.push('no mention of this option in the file');
  for (const m of e.mentions) {
    out.push(`line ${m.line}: ${m.status}: ${m.why}`, `    "${m.text.slice(0, 100)}"`);
  }
  return `${out.join('\n')}\n`;
}
