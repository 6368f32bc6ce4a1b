// Bundled in place of js-yaml, which gray-matter loads eagerly for its default YAML engine.
// We always pass our own engine (the `yaml` package), so js-yaml is never called: this saves
// loading it at every start, and keeps its known advisory out of the CLI.
function unused() {
  throw new Error('js-yaml is not bundled: pass a YAML engine to gray-matter');
}
module.exports = { safeLoad: unused, safeDump: unused, load: unused, dump: unused };
