import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package directory (packages/uapi). */
export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The repository root, where scripts/private-apt.sh lives. */
export const repoRoot = resolve(packageDir, '..', '..');

/** Where the emitted TypeScript goes. */
export const generatedDir = join(packageDir, 'src', 'generated');

/**
 * Cache for downloaded .deb files and extracted headers. Shares PROGRUN_CACHE with
 * scripts/private-apt.sh so one variable moves every download of the project.
 */
export const cacheDir = join(process.env.PROGRUN_CACHE ?? join(repoRoot, '.cache'), 'uapi');
