import { existsSync, statSync } from 'node:fs';
import type { CompiledObject } from '@progrun/compile';
import { BpfObject, type ObjectProgram, type Program } from '@progrun/syscall';
import { usageError } from '../cli/cli-error.js';
import { parseProgramType, programTypeName } from './program-type.js';

/** What to load, as the command line says it. */
export interface ProgramSelection {
  /** A BPF C source (`.c`) or an ELF object. */
  readonly file: string;
  /** `--prog`: the program's C function name; needed when the object has several. */
  readonly prog?: string;
  /** `--type`: overrides the type the section name implies. */
  readonly type?: string;
  /** Extra clang flags for C sources. */
  readonly cflags?: readonly string[];
  /** The command, for usage messages. */
  readonly command: string;
}

/** A program loaded from a file, with the object that holds its maps. */
export interface LoadedProgram extends Disposable {
  /** The ELF object (maps, other programs); closed with the LoadedProgram. */
  readonly object: BpfObject;
  /** The program, ready to run. */
  readonly program: Program;
  /** Its C function name. */
  readonly name: string;
  /** Its `BpfProgType` name (`XDP`, `SCHED_CLS`...). */
  readonly typeName: string;
  /** The ELF object's path (in the compile cache for C sources). */
  readonly objectPath: string;
  /** How the C source was compiled, when it was one. */
  readonly compiled: CompiledObject | undefined;
}

/**
 * Compiles (for C, through the cache), opens and loads the program the command line names, with only
 * that program set to load, so that another program of the object cannot fail the load.
 * @throws CliError (usage) for a missing file, an ambiguous or unknown `--prog`, or a program whose
 *   type neither the section nor `--type` says; CompileError, BpfError (verifier), BpfObjectError.
 */
export async function loadProgramFromFile(selection: ProgramSelection): Promise<LoadedProgram> {
  const { file, command } = selection;
  if (!existsSync(file)) {
    throw usageError('file', 'an existing file', `no such file: ${file}`, command);
  }
  if (!statSync(file).isFile())
    throw usageError(
      'file',
      'a regular file',
      `${file} is not a file; give a .c source or a .o object`,
      command,
    );
  // The compiler package is loaded only for C sources: a run of an object file starts without it.
  const compiled = file.endsWith('.c')
    ? await (await import('@progrun/compile')).compileBpfC(file, { cflags: selection.cflags ?? [] })
    : undefined;
  const objectPath = compiled?.objectPath ?? file;
  const object = BpfObject.open(objectPath);
  try {
    const chosen = chooseProgram(object.programs, selection);
    for (const candidate of object.programs) candidate.autoload = candidate === chosen;
    if (selection.type !== undefined) chosen.setType(parseProgramType(selection.type));
    if (chosen.type === 0) {
      throw usageError(
        '--type',
        'given when the section does not name the type',
        `the section "${chosen.section}" of program ${chosen.name} does not say its type; pass --type (e.g. --type xdp)`,
        command,
      );
    }
    object.load();
    const program = chosen.toProgram();
    const typeName = programTypeName(chosen.type);
    return {
      object,
      program,
      name: chosen.name,
      typeName,
      objectPath,
      compiled,
      [Symbol.dispose]() {
        program.close();
        object.close();
      },
    };
  } catch (error) {
    object.close();
    throw error;
  }
}

function chooseProgram(programs: readonly ObjectProgram[], selection: ProgramSelection): ObjectProgram {
  const names = programs.map((p) => p.name);
  if (programs.length === 0)
    throw usageError(
      'file',
      'an object with a BPF program',
      `${selection.file} holds no BPF programs`,
      selection.command,
    );
  if (selection.prog !== undefined) {
    const found = programs.find((p) => p.name === selection.prog);
    if (!found) {
      throw usageError(
        '--prog',
        'the name of a program of the object',
        `${selection.file} has no program "${selection.prog}"; it has ${names.join(', ')}`,
        selection.command,
      );
    }
    return found;
  }
  if (programs.length > 1) {
    throw usageError(
      '--prog',
      'given when the object holds several programs',
      `${selection.file} holds ${programs.length} programs (${names.join(', ')}); choose one with --prog`,
      selection.command,
    );
  }
  return programs[0]!;
}
