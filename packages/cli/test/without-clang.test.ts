import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileBpfC } from '@progrun/compile';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exampleSource, progrun } from './helpers/run-progrun.js';

// Compiling BPF C needs clang; nothing else does. With clang hidden from PATH (a PATH holding only
// node), C sources fail in one line naming the packages to install, while ELF objects and programs
// built from instructions still load and run.
const work = mkdtempSync(join(tmpdir(), 'progrun-no-clang-'));
const bin = join(work, 'bin');
const noClang = { PATH: bin, PROGRUN_CLANG: '' };
let object: string;

beforeAll(async () => {
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  object = (await compileBpfC(exampleSource('xdp-reflector'), { cacheDir: join(work, 'objects') }))
    .objectPath;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('progrun where clang is missing', () => {
  test.each(['run', 'demo'])(
    'progrun %s of C: one line with the packages to install, exit 5',
    async (command) => {
      const result = await progrun(
        command === 'run' ? ['run', exampleSource('xdp-reflector')] : ['demo'],
        noClang,
      );
      expect(result.code).toBe(5);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toEqual([
        "progrun: no clang was found to compile BPF C. Install clang and libbpf's headers (Debian/Ubuntu: `apt-get install clang libbpf-dev`, Fedora: `dnf install clang libbpf-devel`, Alpine: `apk add clang libbpf-dev`), set PROGRUN_CLANG to a clang binary, or pass a compiled .o file instead.",
      ]);
    },
  );

  test('progrun run of an ELF object runs it', { tags: ['privileged'] }, async () => {
    const result = await progrun(['run', object, '--json'], noClang);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, runs: [{ verdict: 'XDP_TX' }] });
  });

  test('a program built from instructions loads and runs', { tags: ['privileged'] }, () => {
    const script = `
      import { asm, Program } from '@progrun/syscall';
      const prog = Program.load({ type: 'XDP', instructions: asm.assemble([asm.mov64('r0', 2), asm.exit()]), license: 'GPL' });
      console.log(prog.run({ data: Buffer.alloc(64) }).retval);
      prog.close();
    `;
    const out = execFileSync(join(bin, 'node'), ['--input-type=module', '-e', script], {
      cwd: resolve(import.meta.dirname, '..'),
      env: { PATH: bin },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('2');
  });
});
