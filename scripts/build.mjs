// Bundles the CLI into one ES module: Node starts it several times faster than it resolves and
// loads the hundreds of small files of its dependencies. Type checking is `npm run typecheck`.
// Execa, inquirer and the model SDKs stay external: they are loaded lazily, only when a post-step
// runs, a question is asked or a model is asked for a body. `dist/llm.js` is the LLM layer on its
// own (the CLI imports it only with --llm; bench/llm.mjs measures it).
import { build } from 'esbuild';
import { compilerStaysOutside } from './esbuild-plugins.mjs';

await build({
  entryPoints: {
    cli: 'src/cli/main.ts',
    core: 'src/core/index.ts',
    'build-tools': 'src/io/tools.ts',
    llm: 'src/llm/index.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  // Smaller code parses faster: start-up is the budget here (bench/generate.mjs).
  minify: true,
  // Ruff's WebAssembly build finds its .wasm file beside its own module.
  // The SDKs are large and load their own files: bundled, they would be parsed on every start.
  external: [
    'execa',
    '@inquirer/prompts',
    '@astral-sh/ruff-wasm-nodejs',
    '@anthropic-ai/sdk',
    'openai',
  ],
  plugins: [compilerStaysOutside],
  alias: { 'js-yaml': './scripts/js-yaml-unused.cjs' },
  // Bundled CommonJS dependencies (handlebars, gray-matter) call require() for Node built-ins.
  banner: {
    js: "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// Every template compiled ahead of time: compiling them was most of a run's time.
const { writePrecompiledTemplates, writeFormatSeed } = await import('../dist/build-tools.js');
await writePrecompiledTemplates('templates', 'dist/templates.js');

// The usual new projects' Python, formatted: a first run formats only what its name changes.
await writeFormatSeed(
  'templates',
  'dist/templates.js',
  'agents/fastapi-backend-developer.md',
  'dist/format-seed.json',
);
