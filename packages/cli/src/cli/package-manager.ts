import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The package managers whose commands progrun's messages give. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Lockfiles, in the order a directory is checked, and the manager each belongs to. */
const lockfiles: readonly (readonly [string, PackageManager])[] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/**
 * The package manager the user runs progrun with: the one that started it (`npm_config_user_agent`,
 * which npm, pnpm, yarn and bun set for `npx`/`pnpm exec`/`yarn`/`bunx` and scripts), else the one whose
 * lockfile is nearest above `cwd`, else npm.
 */
export function detectPackageManager(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): PackageManager {
  const agent = env.npm_config_user_agent?.split('/')[0];
  if (agent === 'npm' || agent === 'pnpm' || agent === 'yarn' || agent === 'bun') return agent;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const found = lockfiles.find(([file]) => existsSync(join(dir, file)));
    if (found) return found[1];
    if (dirname(dir) === dir) return 'npm';
  }
}

/**
 * The command that runs the install script of an installed package, which those managers skip
 * when scripts are disabled (`npm install --ignore-scripts`; pnpm 10 and bun for every dependency not
 * approved): `npm rebuild`, `pnpm add --allow-build`, `yarn rebuild`, `bun pm trust`.
 */
export function runInstallScriptCommand(manager: PackageManager, packageName: string): string {
  switch (manager) {
    case 'npm':
      return `npm rebuild ${packageName}`;
    case 'pnpm':
      return `pnpm add ${packageName} --allow-build=${packageName}`;
    case 'yarn':
      return `yarn rebuild ${packageName}`;
    case 'bun':
      return `bun pm trust ${packageName}`;
  }
}
