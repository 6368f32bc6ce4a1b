/** The LLM layer's pure half: model choice, prompts, reply parsing, retry and fill loops. */
export * from './types.js';
export * from './models.js';
export * from './prompt.js';
export * from './reply.js';
export * from './test-reply.js';
export * from './retry.js';
export * from './fill.js';
export * from './concurrency.js';
export * from './secrets.js';
