import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { usageError } from '../../cli/cli-error.js';
import { stringsOption } from '../../cli/option-values.js';

/** What a `--report FILE` holds, chosen by the file's extension. */
export type ReportFormat = 'json' | 'junit' | 'markdown';

const extensions: Readonly<Record<string, ReportFormat>> = {
  '.json': 'json',
  '.xml': 'junit',
  '.md': 'markdown',
};
const extensionOf = (format: ReportFormat) =>
  Object.keys(extensions).find((ext) => extensions[ext] === format);

/** A report file asked for with `--report`. */
export interface ReportFile {
  readonly path: string;
  readonly format: ReportFormat;
}

/**
 * The `--report` files and their formats, checked before the run so that a typo costs no boot.
 *
 * @throws CliError (usage) for an extension the command does not write, naming the ones it does.
 */
export function reportFiles(
  values: Record<string, unknown>,
  command: string,
  offered: readonly ReportFormat[],
): ReportFile[] {
  return stringsOption(values, 'report').map((path) => {
    const format = extensions[extname(path).toLowerCase()];
    if (format === undefined || !offered.includes(format)) {
      const names = offered.map((name) => `${extensionOf(name)} (${name})`).join(', ');
      throw usageError(
        '--report',
        `a file name ending in ${names}`,
        `--report ${path}: the file's extension picks the format, one of ${names}`,
        command,
      );
    }
    return { path, format };
  });
}

/** Writes text to a file, creating its directory. */
export function writeTextFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Writes every report file in its format. */
export function writeReports(files: readonly ReportFile[], render: (format: ReportFormat) => string): void {
  for (const file of files) writeTextFile(file.path, render(file.format));
}
