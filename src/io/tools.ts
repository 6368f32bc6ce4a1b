/** What the build script and the benchmarks use from the edges (bundled as dist/build-tools.js). */
export { writePrecompiledTemplates } from './precompile.js';
export { loadTemplates } from './templates.js';
export { loadPythonFormatter } from './ruff.js';
export { writeFormatSeed } from './format-seed.js';
export { writeProjectAtomically } from './write-tree.js';
