// Bundles the CLI into one ES module: Node starts it several times faster than it resolves and
// loads the hundreds of small files of its dependencies. Type checking is `npm run typecheck`.
// Execa and inquirer stay external: they are loaded lazily, only when a post-step runs or a
// question is asked.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: ['execa', '@inquirer/prompts'],
  alias: { 'js-yaml': './scripts/js-yaml-unused.cjs' },
  // Bundled CommonJS dependencies (handlebars, gray-matter) call require() for Node built-ins.
  banner: {
    js: "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
