import { Program } from '@progrun/syscall';
import { usageError } from '../cli/cli-error.js';
import { programTypeName } from './program-type.js';

/** Which already loaded program to run, as the command line names it. */
export type LoadedSelection =
  /** `--pinned PATH`: a program pinned on a bpf filesystem. */
  | { readonly pinned: string; readonly command: string }
  /** `--prog-id N`: a loaded program by its kernel id. */
  | { readonly id: number; readonly command: string };

/** A program someone else loaded, opened to run. */
export interface OpenedProgram extends Disposable {
  readonly program: Program;
  /** Its name as the kernel keeps it (up to 15 characters). */
  readonly name: string;
  /** Its `BpfProgType` name, from the kernel's prog info. */
  readonly typeName: string;
  /** Its kernel id. */
  readonly id: number;
}

/**
 * Opens an already loaded program: pinned (BPF_OBJ_GET) or by id (BPF_PROG_GET_FD_BY_ID). Its type
 * and name come from the kernel's prog info, so it runs as it would from its object file.
 *
 * Minimum kernel: 4.13 (prog info, ids).
 * @throws CliError (usage) when nothing is pinned at the path, it is not a program, or no program has
 *   the id; BpfError for other refusals (EPERM without privilege).
 */
export function openLoadedProgram(selection: LoadedSelection): OpenedProgram {
  const program = open(selection);
  try {
    const { id } = program.info();
    return {
      program,
      name: program.name,
      typeName: programTypeName(program.type),
      id,
      [Symbol.dispose]() {
        program.close();
      },
    };
  } catch (error) {
    program.close();
    throw error;
  }
}

function open(selection: LoadedSelection): Program {
  const { command } = selection;
  try {
    return 'pinned' in selection ? Program.fromPin(selection.pinned) : Program.fromId(selection.id);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if ('pinned' in selection) {
      if (code === 'ENOENT') {
        throw usageError(
          '--pinned',
          'a path where a program is pinned',
          `nothing is pinned at ${selection.pinned}`,
          command,
        );
      }
      // BPF_OBJ_GET opens maps and links too; the fd is then not a program's.
      if (code === 'EINVAL' || code === 'ERR_PROGRUN_VALIDATION') {
        throw usageError(
          '--pinned',
          'a pinned program',
          `${selection.pinned} is not a pinned program (a map or a link, or not on a bpf filesystem)`,
          command,
        );
      }
    } else if (code === 'ENOENT') {
      throw usageError(
        '--prog-id',
        'the id of a loaded program',
        `no program has id ${selection.id} (bpftool prog list shows the loaded ones)`,
        command,
      );
    }
    throw error;
  }
}
