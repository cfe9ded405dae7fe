#!/usr/bin/env node
// The `progrun` executable. Kept outside dist so that the link npm makes at install time points at a
// file that exists (and is executable) before the package is built.
try {
  await import('../dist/cli/entry.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/entry.js')) {
    process.stderr.write(
      'progrun: the CLI is not built yet. Run `npm run build` at the repository root (or `bash scripts/setup.sh` on a fresh machine) and try again.\n',
    );
    process.exitCode = 1;
  } else {
    throw error;
  }
}
