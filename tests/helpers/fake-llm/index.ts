/** Fake model providers for tests and benchmarks: see server.ts (HTTP APIs) and claude.ts (the CLI). */
export * from './server.js';
export * from './claude.js';
export * from './clock.js';
