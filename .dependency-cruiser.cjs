// The layering of the @progrun packages, checked by `npm run lint:deps` (a turbo task, run in CI).
// LAYERS is the one statement of which package may import which; the rules below are derived from it.
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Each package and the packages its published code (src/, bin/) may import. `type-only` allows
 * `import type` alone: the edge exists for the compiler, not at run time.
 */
const LAYERS = {
  uapi: {},
  compile: { uapi: 'runtime' },
  syscall: { uapi: 'runtime' },
  'ctx-builders': { uapi: 'runtime', syscall: 'type-only' },
  'xdp-live': { uapi: 'runtime', syscall: 'runtime', 'ctx-builders': 'runtime' },
  // syscall is an optional dependency: only the probe suite imports it, in the guests (and runMatrix's
  // check before booting them), so the host side installs and runs without it or its native addon.
  'harness-vm': { uapi: 'runtime', syscall: 'runtime' },
  cli: {
    uapi: 'runtime',
    compile: 'runtime',
    syscall: 'runtime',
    'ctx-builders': 'runtime',
    'xdp-live': 'runtime',
    'harness-vm': 'runtime',
  },
};

const packagesDir = join(__dirname, 'packages');
const packages = readdirSync(packagesDir).filter((name) =>
  existsSync(join(packagesDir, name, 'package.json')),
);
const unplaced = packages.filter((name) => !(name in LAYERS));
if (unplaced.length > 0) {
  throw new Error(
    `.dependency-cruiser.cjs: place ${unplaced.join(', ')} in LAYERS (which packages may it import?)`,
  );
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
const inPackage = (name) => `^packages/${escapeRegExp(name)}/`;

/** The @progrun packages that `name`'s package.json lists as dependencies a user's install brings. */
function declared(name) {
  const manifest = require(join(packagesDir, name, 'package.json'));
  const lists = [manifest.dependencies, manifest.peerDependencies, manifest.optionalDependencies];
  return new Set(
    lists.flatMap((list) => Object.keys(list ?? {})).map((dep) => dep.replace(/^@progrun\//, '')),
  );
}

const forbidden = [];
for (const from of packages) {
  const deps = declared(from);
  const beyond = [...deps].filter((to) => packages.includes(to) && !(to in LAYERS[from]));
  if (beyond.length > 0) {
    throw new Error(
      `packages/${from}/package.json depends on ${beyond.join(', ')}, which LAYERS does not allow`,
    );
  }
  // An edge the layering allows but package.json does not declare would break a user's install.
  const allowed = Object.fromEntries(Object.entries(LAYERS[from]).filter(([to]) => deps.has(to)));
  const denied = packages.filter((to) => to !== from && !(to in allowed));
  if (denied.length > 0) {
    forbidden.push({
      name: `layering: ${from}`,
      comment: `${from} may import only ${Object.keys(allowed).join(', ') || 'node builtins and its own files'} (LAYERS in .dependency-cruiser.cjs, and its package.json dependencies)`,
      severity: 'error',
      from: { path: inPackage(from) },
      to: { path: `^packages/(${denied.map(escapeRegExp).join('|')})/` },
    });
  }
  const typeOnly = Object.entries(allowed)
    .filter(([, kind]) => kind === 'type-only')
    .map(([to]) => to);
  if (typeOnly.length > 0) {
    forbidden.push({
      name: `layering: ${from} (types only)`,
      comment: `${from} may import only types from ${typeOnly.join(', ')}`,
      severity: 'error',
      from: { path: inPackage(from) },
      to: { path: `^packages/(${typeOnly.map(escapeRegExp).join('|')})/`, dependencyTypesNot: ['type-only'] },
    });
  }
}

module.exports = {
  forbidden: [
    ...forbidden,
    {
      name: 'through the front door',
      comment: 'another package is reached through its package name and exports map, never by a path into it',
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/([^/]+)/src/', pathNot: '^packages/$1/' },
    },
    {
      name: 'published code uses declared dependencies',
      comment: 'a package imports only what its package.json lists in dependencies (or node builtins)',
      severity: 'error',
      from: { path: '^packages/[^/]+/(src|bin)/' },
      // A declared peer (harness-vm's optional vitest) counts as declared.
      to: { dependencyTypes: ['npm-dev', 'npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['npm-peer'] },
    },
    {
      name: 'resolvable',
      comment: 'every import resolves (run the build first: packages are resolved through their dist/)',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no cycles between files',
      comment:
        'A cycle of imports that exist at run time. Type-only imports vanish when compiled, so a class may name ' +
        'the type of the object that refers back to it (BpfMap.typed() and TypedMap.map).',
      severity: 'error',
      from: { path: '^packages/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^packages/[^/]+/dist/'] },
    exclude: { path: ['/src/generated/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
