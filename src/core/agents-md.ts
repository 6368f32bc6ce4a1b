/**
 * The project's AGENTS.md: the guidance it was generated from, as it was (the README cites its
 * lines, which stay where they were), then a section for the next agent or engineer: where this
 * project applies each practice, and what was asked for and not rendered.
 */
import type { ProjectSpec } from './spec.js';

/** A table cell: one line, no column break. */
const cell = (text: string): string => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

export function agentsMarkdown(spec: ProjectSpec): string {
  const lines = [
    '',
    '<!-- Written by create-fastapi-agent below this line; the guidance above is as it was given. -->',
    '',
    '## Where this project applies it',
    '',
    '| Practice | Where it lives | Why |',
    '|---|---|---|',
    ...spec.applied.map((p) => `| ${cell(p.practice)} | ${cell(p.where)} | ${cell(p.reason)} |`),
  ];
  if (spec.notRendered.length > 0) {
    lines.push(
      '',
      'Asked for and not rendered by the generator (the nearest value was used instead):',
      '',
      ...spec.notRendered.map((n) => `- ${cell(n)}`),
    );
  }
  return `${spec.agent.text.replace(/\n*$/, '\n')}${lines.join('\n')}\n`;
}
