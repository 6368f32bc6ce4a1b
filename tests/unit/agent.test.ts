import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { decodeAgentBytes, parseAgentFile } from '../../src/core/agent.js';
import { UserError } from '../../src/core/errors.js';
import { BUNDLED_AGENT, PACKAGE_ROOT } from '../../src/io/paths.js';

const SEED = path.resolve(PACKAGE_ROOT, '..', 'shared', 'seed', 'fastapi-backend-developer.md');

describe('parseAgentFile', () => {
  test('reads strict YAML front matter and the body, with file line numbers', () => {
    const agent = parseAgentFile(
      '---\nname: api-dev\ndescription: Builds APIs\nmodel: opus\ntools: [Read, Write]\n---\n# Title\nUse JWT.\n',
      'a.md',
    );
    expect(agent).toMatchObject({
      name: 'api-dev',
      description: 'Builds APIs',
      model: 'opus',
      tools: ['Read', 'Write'],
      body: '# Title\nUse JWT.\n',
      bodyStartLine: 7,
      warnings: [],
    });
    expect(agent.text.split('\n')[agent.bodyStartLine - 1]).toBe('# Title');
  });

  test('tools as a comma list or a map of booleans', () => {
    expect(parseAgentFile('---\ntools: Read, Bash , Grep\n---\n', 'a.md').tools).toEqual([
      'Read',
      'Bash',
      'Grep',
    ]);
    expect(
      parseAgentFile('---\ntools:\n  Read: true\n  Bash: false\n  Write: true\n---\n', 'a.md')
        .tools,
    ).toEqual(['Read', 'Write']);
  });

  test('no front matter: name from the file name, whole text is the body', () => {
    const agent = parseAgentFile('# Backend\nUse PostgreSQL.\n', 'dir/my-agent.md');
    expect(agent.name).toBe('my-agent');
    expect(agent.bodyStartLine).toBe(1);
    expect(agent.body).toContain('Use PostgreSQL.');
  });

  test('BOM and Windows line endings are normalised', () => {
    const agent = parseAgentFile('\uFEFF---\r\nname: win\r\n---\r\nbody line\r\n', 'w.md');
    expect(agent.name).toBe('win');
    expect(agent.body).toBe('body line\n');
    expect(agent.text.startsWith('---\nname: win')).toBe(true);
  });

  test('near-YAML front matter is read leniently, with a warning naming the line', () => {
    const agent = parseAgentFile(
      '---\nname: x\ndescription: Use it when: you need an API.\\nExample: "hi"\nmodel:\n---\nbody\n',
      'near.md',
    );
    expect(agent.name).toBe('x');
    expect(agent.description).toBe('Use it when: you need an API.\nExample: "hi"');
    expect(agent.model).toBeUndefined();
    expect(agent.warnings).toHaveLength(1);
    expect(agent.warnings[0]).toMatch(/near\.md: front matter is not strict YAML \(line 3/);
  });

  test('a description that runs on over lines of its own, with <example> blocks, is read whole', () => {
    const agent = parseAgentFile(
      [
        '---',
        'name: api-helper',
        'description: Use this agent for API work. Examples:',
        '<example>',
        'user: "Add an endpoint"',
        'assistant: "I will use the api-helper agent"',
        '</example>',
        'model: opus',
        'version: 3',
        '---',
        'Body.',
      ].join('\n'),
      'multi.md',
    );
    expect(agent.name).toBe('api-helper');
    expect(agent.model).toBe('opus');
    expect(agent.frontMatter.version).toBe(3);
    expect(agent.description).toBe(
      'Use this agent for API work. Examples:\n<example>\nuser: "Add an endpoint"\nassistant: "I will use the api-helper agent"\n</example>',
    );
    expect(agent.warnings[0]).toMatch(/multi\.md: front matter is not strict YAML/);
  });

  test('front matter that cannot be read at all names the file line', () => {
    const bad = '---\nname: x\nthis line is not yaml at all\n---\nbody\n';
    expect(() => parseAgentFile(bad, 'bad.md')).toThrow(UserError);
    expect(() => parseAgentFile(bad, 'bad.md')).toThrow(/^bad\.md:3: front matter cannot be read/);
  });

  test('front matter that is a list, not a mapping, is refused', () => {
    expect(() => parseAgentFile('---\n- a\n- b\n---\n', 'l.md')).toThrow(
      /l\.md:2: front matter must be/,
    );
  });

  test('unclosed front matter and empty files are refused', () => {
    expect(() => parseAgentFile('---\nname: x\nbody\n', 'u.md')).toThrow(/u\.md:1: .*never closed/);
    expect(() => parseAgentFile('  \n\n', 'e.md')).toThrow(
      /e\.md: the agent guidance file is empty/,
    );
  });

  test('the bundled agent file is strict YAML and loads without warnings', () => {
    const agent = parseAgentFile(readFileSync(BUNDLED_AGENT, 'utf8'), BUNDLED_AGENT);
    expect(agent.name).toBe('fastapi-backend-developer');
    expect(agent.warnings).toEqual([]);
    expect(agent.tools).toContain('Bash');
  });

  const seedTest = existsSync(SEED) ? test : test.skip;
  if (!existsSync(SEED)) console.warn(`skipped: the seed agent file is not at ${SEED}`);
  seedTest('the seed agent file loads (leniently) with its name, model and color', () => {
    const agent = parseAgentFile(readFileSync(SEED, 'utf8'), SEED);
    expect(agent).toMatchObject({
      name: 'fastapi-backend-developer',
      model: 'sonnet',
      color: 'red',
    });
    expect(agent.description).toMatch(/^Use this agent when you need to design/);
    expect(agent.description).toContain('\n');
    expect(agent.warnings[0]).toMatch(/not strict YAML \(line 3:/);
  });
});

describe('decodeAgentBytes', () => {
  test('accepts UTF-8 text', () => {
    expect(decodeAgentBytes(new TextEncoder().encode('héllo'), 'a.md')).toBe('héllo');
  });
  test('refuses binary and non-UTF-8 bytes', () => {
    expect(() =>
      decodeAgentBytes(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1]), 'p.png'),
    ).toThrow(/binary/);
    expect(() => decodeAgentBytes(Uint8Array.from([0x61, 0xe9, 0x62]), 'l1.md')).toThrow(
      /not UTF-8/,
    );
  });
});
