#!/usr/bin/env node
// The `harness-vm` executable. Kept outside dist so that the link npm makes at install time points at a
// file that exists (and is executable) before the package is built.
try {
  await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    process.stderr.write(
      'harness-vm: not built yet. Run `npm run build` at the repository root (or `bash scripts/setup.sh` on a fresh machine) and try again.\n',
    );
    process.exitCode = 1;
  } else {
    throw error;
  }
}
