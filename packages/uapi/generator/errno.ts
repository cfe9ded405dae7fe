import { readFileSync } from 'node:fs';
import { evaluateIntegerConstants } from './evaluate-constants.js';
import { type FetchedHeaderSet, headerPath } from './fetch-headers.js';
import { collectMacros } from './macros.js';

/** An errno as the headers define it; `message` is empty for uncommented aliases. */
export interface ErrnoDefinition {
  readonly name: string;
  readonly errno: number;
  readonly message: string;
  readonly header: string;
}

const ERRNO_HEADERS = ['asm-generic/errno-base.h', 'asm-generic/errno.h'];

/**
 * Kernel-internal codes from the kernel's include/linux/errno.h, which is not part of the UAPI
 * headers. They are meant never to reach userspace, yet some do: bpf() returns ENOTSUPP (524)
 * from several paths. The values are fixed kernel ABI in practice and predate every header set.
 */
export const KERNEL_INTERNAL_ERRNOS: readonly { name: string; errno: number; message: string }[] = [
  { name: 'ERESTARTSYS', errno: 512, message: 'Restart the system call' },
  { name: 'ERESTARTNOINTR', errno: 513, message: 'Restart the system call, not interruptible' },
  { name: 'ERESTARTNOHAND', errno: 514, message: 'Restart if no signal handler' },
  { name: 'ENOIOCTLCMD', errno: 515, message: 'No ioctl command' },
  { name: 'ERESTART_RESTARTBLOCK', errno: 516, message: 'Restart by calling restart_syscall' },
  { name: 'EPROBE_DEFER', errno: 517, message: 'Driver requests probe retry' },
  { name: 'EOPENSTALE', errno: 518, message: 'Open found a stale dentry' },
  { name: 'ENOPARAM', errno: 519, message: 'Parameter not supported' },
  { name: 'EBADHANDLE', errno: 521, message: 'Illegal NFS file handle' },
  { name: 'ENOTSYNC', errno: 522, message: 'Update synchronization mismatch' },
  { name: 'EBADCOOKIE', errno: 523, message: 'Cookie is stale' },
  { name: 'ENOTSUPP', errno: 524, message: 'Operation is not supported' },
  { name: 'ETOOSMALL', errno: 525, message: 'Buffer or request is too small' },
  { name: 'ESERVERFAULT', errno: 526, message: 'An untranslatable error occurred' },
  { name: 'EBADTYPE', errno: 527, message: 'Type not supported by server' },
  { name: 'EJUKEBOX', errno: 528, message: 'Request initiated, but will not complete before timeout' },
  { name: 'EIOCBQUEUED', errno: 529, message: 'iocb queued, will get completion event' },
  { name: 'ERECALLCONFLICT', errno: 530, message: 'Conflict with recalled state' },
];

/** Message comments of `#define EXXX value /* message *\/` lines, read from the header text. */
function messagesOf(path: string): Map<string, string> {
  const messages = new Map<string, string>();
  for (const m of readFileSync(path, 'utf8').matchAll(
    /^#define\s+(E[A-Z0-9]+)\s+\S+\s*\/\*\s*(.*?)\s*\*\//gm,
  )) {
    messages.set(m[1] ?? '', m[2] ?? '');
  }
  return messages;
}

/** The errno codes of the header set: names and values from the compiler, messages from the header comments. */
export function collectErrnos(set: FetchedHeaderSet): ErrnoDefinition[] {
  const macros = collectMacros(set, ERRNO_HEADERS).filter((m) => /^E[A-Z0-9]+$/.test(m.name));
  const values = evaluateIntegerConstants(
    set,
    ERRNO_HEADERS,
    macros.map((m) => m.name),
  );
  const messages = new Map<string, string>();
  for (const header of ERRNO_HEADERS) {
    for (const [name, message] of messagesOf(headerPath(set, header))) messages.set(name, message);
  }
  return macros.map((m) => {
    const value = values.get(m.name);
    if (value === undefined) throw new Error(`${m.name} in ${m.header} is not an integer constant`);
    // Aliases (EDEADLOCK) have no comment; the emitter gives them their target's message.
    return { name: m.name, errno: Number(value), message: messages.get(m.name) ?? '', header: m.header };
  });
}
