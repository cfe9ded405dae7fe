/**
 * Reading libbpf's messages (captured per call by the addon). libbpf reports a program the kernel refused
 * as `prog '<name>': BPF program load failed: <strerror>` and, when it fetched the verifier log itself,
 * prints it between `-- BEGIN PROG LOAD LOG --` and `-- END PROG LOAD LOG --`.
 * @internal
 */

const FAILED = /^libbpf: prog '([^']+)': BPF program load failed: /m;
const BEGIN = /^libbpf: prog '([^']+)': -- BEGIN PROG LOAD LOG --\n/m;
const END = '-- END PROG LOAD LOG --\n';

/** The program whose load the kernel refused, if libbpf says so. */
export function failedProgram(log: string): string | undefined {
  return FAILED.exec(log)?.[1];
}

/** The verifier log libbpf printed for `program`, if any. */
export function printedVerifierLog(log: string, program: string): string | undefined {
  const begin = BEGIN.exec(log);
  if (begin === null || begin[1] !== program) return undefined;
  const start = begin.index + begin[0].length;
  const end = log.indexOf(END, start);
  return log.slice(start, end < 0 ? undefined : end);
}

/** libbpf's messages without the verifier log blocks (they travel in `verifierLog` instead). */
export function withoutVerifierLogs(log: string): string {
  let out = log;
  for (let begin = BEGIN.exec(out); begin !== null; begin = BEGIN.exec(out)) {
    const end = out.indexOf(END, begin.index);
    out = out.slice(0, begin.index) + (end < 0 ? '' : out.slice(end + END.length));
  }
  return out;
}

/** The last meaningful libbpf message, for an error's one-line detail. */
export function lastMessage(log: string): string {
  const lines = withoutVerifierLogs(log)
    .split('\n')
    .map((line) => line.replace(/^libbpf: /, '').trim())
    .filter(
      (line) => line !== '' && !/^failed to load object/.test(line) && !/failed to load: -?\d+$/.test(line),
    );
  return lines.at(-1) ?? '';
}
