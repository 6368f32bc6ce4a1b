import { parseAgentFile } from '../../src/core/agent.js';
import { detectPractices } from '../../src/core/practices.js';
import { buildSpec, type Answers, type ProjectSpec } from '../../src/core/spec.js';

/** A valid spec for tests, built through the real pipeline. */
export function testSpec(options: NonNullable<Answers['options']> = {}): ProjectSpec {
  const agent = parseAgentFile(
    '---\nname: test-agent\n---\nUse SQLite and JWT.\n',
    'test-agent.md',
  );
  return buildSpec({
    answers: { name: 'demo-api', options },
    practices: detectPractices(agent),
    agent: { path: agent.path, name: agent.name, description: agent.description, text: agent.text },
    secretKey: '0123456789abcdef'.repeat(4),
    generatorVersion: '9.9.9',
  });
}
