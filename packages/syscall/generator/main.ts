import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emitCppHeader } from './emit-cpp-header.js';
import { emitTypeScript } from './emit-typescript.js';

/**
 * `npm run generate` (in packages/syscall): writes the addon's calling conventions from
 * generator/native-calls.ts into the C++ header and the TypeScript module that both sides use.
 */
function main(): void {
  const root = join(import.meta.dirname, '..');
  const files = {
    'native/src/generated/native-calls.h': emitCppHeader(),
    'src/generated/native-calls.ts': emitTypeScript(),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  process.stderr.write(`syscall: wrote ${Object.keys(files).join(', ')}\n`);
}

main();
