import { FIXED_PRACTICES } from '../core/catalogue.js';
import type { AgentFile, GuidanceFormat, GuidanceMetadata } from '../core/agent.js';
import { renderedValue } from '../core/features.js';
import { OPTIONS, type OptionId } from '../core/options.js';
import type { PracticeSet, Source } from '../core/practices.js';

/** One row of `create-fastapi-agent practices`: the JSON shape tools read. */
export interface PracticeRow {
  option: string;
  value: string;
  source: Source;
  line: number | null;
  evidence: string | null;
  alternatives: string[];
  rejected: string[];
  /** The value `create` renders today (the nearest one when this value is not rendered yet). */
  renders: string;
}

export interface PracticesReport {
  agent: {
    name: string;
    model: string | null;
    path: string;
    /** The guidance format, by its shape, and where it applies (globs, applyTo, alwaysApply). */
    format: GuidanceFormat;
    metadata: GuidanceMetadata;
  };
  practices: PracticeRow[];
  warnings: string[];
}

/** The report for an agent file: every option, then the always-applied practices. Pure. */
export function practicesReport(agent: AgentFile, set: PracticeSet): PracticesReport {
  const rows: PracticeRow[] = [];
  for (const option of OPTIONS) {
    const id = option.id as OptionId;
    const resolution = set.options[id];
    // One row per value for options that take several (auth), else one row for the chosen value.
    const values =
      option.kind === 'multi'
        ? [...resolution.values, ...resolution.alternatives]
        : resolution.values;
    for (const value of values) {
      const evidence = resolution.evidence[value];
      // Each row offers the option's other values, never its own.
      const others = option.kind === 'multi' ? values : [value, ...resolution.alternatives];
      rows.push({
        option: id,
        value,
        source: resolution.source,
        line: evidence?.line ?? null,
        evidence: evidence?.text ?? null,
        alternatives: others.filter((v) => v !== value),
        rejected: resolution.rejected,
        renders: renderedValue(id, value),
      });
    }
  }
  for (const fixed of FIXED_PRACTICES) {
    const evidence = set.fixed[fixed.id];
    rows.push({
      option: fixed.id,
      value: 'true',
      source: evidence ? 'detected' : 'default',
      line: evidence?.line ?? null,
      evidence: evidence?.text ?? null,
      alternatives: [],
      rejected: [],
      renders: 'true',
    });
  }
  return {
    agent: {
      name: agent.name,
      model: agent.model ?? null,
      path: agent.path,
      format: agent.format,
      metadata: agent.metadata,
    },
    practices: rows,
    warnings: [...agent.warnings, ...set.warnings],
  };
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** The report as an aligned text table for people. */
export function formatPracticesTable(report: PracticesReport): string {
  const header = ['option', 'value', 'source', 'line', 'evidence'];
  const body = report.practices.map((row) => {
    const notes = [
      row.alternatives.length ? `also offered: ${row.alternatives.join(', ')}` : '',
      row.rejected.length ? `turned down: ${row.rejected.join(', ')}` : '',
      row.renders !== row.value ? `renders ${row.renders} for now` : '',
    ].filter(Boolean);
    const evidence = row.evidence ? `"${clip(row.evidence, 70)}"` : '';
    return [
      row.option,
      row.value,
      row.source,
      row.line === null ? '' : String(row.line),
      [evidence, ...notes.map((n) => `(${n})`)].filter(Boolean).join(' '),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const { format, metadata } = report.agent;
  const applies = Object.entries(metadata).map(
    ([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`,
  );
  const out = [
    `${report.agent.name}${report.agent.model ? ` (model: ${report.agent.model})` : ''}: ${report.agent.path}`,
    `format: ${format}${applies.length ? `; ${applies.join('; ')}` : ''}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ];
  if (report.warnings.length) out.push('', ...report.warnings.map((w) => `warning: ${w}`));
  return `${out.join('\n')}\n`;
}
