import type { BpfObject, Program } from '@progrun/syscall';
import { usageError } from '../cli/cli-error.js';
import { integerOption, stringOption, stringsOption } from '../cli/option-values.js';
import type { Style } from '../render/style.js';
import { openLoadedProgram } from './open-loaded-program.js';
import { loadProgramFromFile } from './open-program.js';

/** The program `progrun run` runs: loaded from a file now, or loaded before (pinned, by id). */
export interface RunTarget extends Disposable {
  readonly program: Program;
  readonly name: string;
  /** Its `BpfProgType` name. */
  readonly typeName: string;
  /** The ELF object, when it was loaded from one (its maps are what `--map` sets). */
  readonly object: BpfObject | undefined;
  /** Where it came from, for the JSON document's `program`. */
  readonly json: Readonly<Record<string, unknown>>;
  /** The first line of the text report: name, type and where it came from. */
  title(style: Style): string;
}

// Options that pick or build the program from a file, meaningless for one loaded before.
const fileOnly = ['prog', 'type', 'cflag', 'pin', 'map'] as const;

/**
 * Opens what the command line names: a file (`progrun run X.o`, compiled first when it is C), a
 * pinned program (`--pinned PATH`) or a loaded one (`--prog-id N`), whose type the kernel reports.
 * @throws CliError (usage) for no program, two of them, or a file-only option with a loaded program;
 *   what loading and opening throw.
 */
export async function openRunTarget(
  values: Record<string, unknown>,
  positionals: readonly string[],
): Promise<RunTarget> {
  const pinned = stringOption(values, 'pinned');
  const id = integerOption(values, 'prog-id', 'run', { min: 1, max: 0xffffffff });
  const given = [
    ...positionals.map((file) => `the file ${file}`),
    ...(pinned === undefined ? [] : ['--pinned']),
    ...(id === undefined ? [] : ['--prog-id']),
  ];
  if (given.length !== 1) {
    throw usageError(
      'file',
      'exactly one program: a file, --pinned or --prog-id',
      given.length === 0
        ? 'give the program to run: a .c source or a .o object (or --pinned PATH, --prog-id N)'
        : `give one program to run, not ${given.join(' and ')}`,
      'run',
    );
  }
  if (pinned !== undefined || id !== undefined) {
    const flag = pinned !== undefined ? '--pinned' : '--prog-id';
    for (const name of fileOnly) {
      if (values[name] !== undefined) {
        throw usageError(
          `--${name}`,
          `absent with ${flag}`,
          `--${name} applies to a program loaded from a file, and ${flag} runs one that is loaded already`,
          'run',
        );
      }
    }
    const opened = openLoadedProgram(
      pinned !== undefined ? { pinned, command: 'run' } : { id: id!, command: 'run' },
    );
    const where = pinned !== undefined ? `pinned at ${pinned}` : `loaded`;
    return {
      ...opened,
      object: undefined,
      json: {
        name: opened.name,
        type: opened.typeName,
        ...(pinned === undefined ? {} : { pinned }),
        id: opened.id,
      },
      title: (style) =>
        `${style.bold(opened.name)} ${style.cyan(opened.typeName)} ${where} ${style.dim(`(id ${opened.id})`)}`,
    };
  }
  const file = positionals[0]!;
  const loaded = await loadProgramFromFile({
    file,
    prog: stringOption(values, 'prog'),
    type: stringOption(values, 'type'),
    cflags: stringsOption(values, 'cflag'),
    command: 'run',
  });
  return {
    ...loaded,
    json: {
      name: loaded.name,
      type: loaded.typeName,
      file,
      object: loaded.objectPath,
      ...(loaded.compiled ? { compiled: loaded.compiled.cached ? 'cached' : 'now' } : {}),
    },
    title: (style) => {
      const compiled = loaded.compiled
        ? style.dim(loaded.compiled.cached ? ' (compiled earlier, from the cache)' : ' (compiled now)')
        : '';
      return `${style.bold(loaded.name)} ${style.cyan(loaded.typeName)} from ${file}${compiled}`;
    },
  };
}

/**
 * `--pin PATH`: pins the program on a bpf filesystem so that it outlives this process, for a next
 * `progrun run --pinned PATH` (its maps stay with it).
 * @throws CliError (usage) when the path is taken or not on a bpf filesystem, with the library's reason.
 */
export function pinProgram(program: Program, path: string): void {
  try {
    program.pin(path);
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: string };
    if (code === 'EEXIST') {
      throw usageError('--pin', 'a free path', `--pin ${path}: something is pinned there already`, 'run');
    }
    if (code === 'ENOENT' || code === 'EPERM' || code === 'EINVAL') {
      const reason = message?.split(`BPF_OBJ_PIN '${path}': `)[1] ?? code;
      throw usageError('--pin', 'a new path on a bpf filesystem', `--pin ${path}: ${reason}`, 'run');
    }
    throw error;
  }
}
