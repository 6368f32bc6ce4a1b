/**
 * Handlebars' compiler stays out of bundles: the CLI renders templates precompiled by the build
 * with the runtime (`handlebars/runtime`, bundled), and loads the compiler from node_modules only
 * for templates edited since. (esbuild's `external` would take `handlebars/runtime` too.)
 */
export const compilerStaysOutside = {
  name: 'handlebars-compiler-outside',
  setup(build) {
    build.onResolve({ filter: /^handlebars$/ }, () => ({ path: 'handlebars', external: true }));
  },
};
