import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFiles } from './generate.js';
import { generatedDir } from './paths.js';

/** `npm run generate`: regenerate src/generated, removing files the generator no longer writes. */
function main(): void {
  const files = generateFiles((line) => process.stderr.write(`${line}\n`));
  mkdirSync(generatedDir, { recursive: true });
  for (const stale of readdirSync(generatedDir)) {
    if (!(stale in files)) rmSync(join(generatedDir, stale));
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(generatedDir, name), text);
  process.stderr.write(`uapi: wrote ${Object.keys(files).length} files to ${generatedDir}\n`);
}

main();
