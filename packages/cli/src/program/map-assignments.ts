import type { BpfObject } from '@progrun/syscall';
import { usageError } from '../cli/cli-error.js';

/** One `--map NAME:KEY=VALUE` option, parsed. */
export interface MapAssignment {
  readonly map: string;
  readonly key: string;
  readonly value: string;
}

/** A map entry after the run, for the report. */
export interface MapEntryReport {
  readonly map: string;
  /** The key as given. */
  readonly key: string;
  /** The value after the run: a number for values of 8 bytes or less, else hex; undefined when gone. */
  readonly value: string | undefined;
}

/**
 * Reads `--map` options: `NAME:KEY=VALUE`, where KEY and VALUE are integers (`53`, `0x110035`) written
 * little-endian in the map's key or value size, or bytes as `hex:0200...` of exactly that size.
 * @throws CliError (usage) for a malformed option.
 */
export function parseMapAssignments(options: readonly string[], command: string): MapAssignment[] {
  return options.map((text) => {
    const match = /^([A-Za-z_][A-Za-z0-9_.]*):([^=]+)=(.+)$/.exec(text);
    if (!match) {
      throw usageError(
        '--map',
        'NAME:KEY=VALUE',
        `--map "${text}" is not NAME:KEY=VALUE (e.g. --map blocked_ports:0x110035=0)`,
        command,
      );
    }
    return { map: match[1]!, key: match[2]!.trim(), value: match[3]!.trim() };
  });
}

function encode(text: string, size: number, what: string, command: string): Buffer {
  if (text.startsWith('hex:')) {
    const hex = text.slice(4).replace(/[\s:]/g, '');
    if (!/^([0-9a-f]{2})*$/i.test(hex) || hex.length / 2 !== size) {
      throw usageError(
        '--map',
        `${size} bytes of hex`,
        `${what} "${text}" must be ${size} bytes of hex (${size * 2} digits)`,
        command,
      );
    }
    return Buffer.from(hex, 'hex');
  }
  let value: bigint;
  try {
    value = BigInt(text);
  } catch {
    throw usageError(
      '--map',
      'an integer or hex:BYTES',
      `${what} "${text}" is neither an integer nor hex:BYTES`,
      command,
    );
  }
  if (value < 0n || (size < 16 && value >= 1n << BigInt(size * 8))) {
    throw usageError(
      '--map',
      `an integer that fits in ${size} bytes`,
      `${what} ${text} does not fit in ${size} bytes`,
      command,
    );
  }
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size && value > 0n; i++) {
    bytes[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return bytes;
}

/** A map key or value as `--map` takes it: an integer for 8 bytes or less (little-endian), else hex. */
export function mapBytesText(bytes: Uint8Array): string {
  if (bytes.length > 8) return `hex:${Buffer.from(bytes).toString('hex')}`;
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value.toString();
}

function mapOf(object: BpfObject, name: string, command: string) {
  const found = object.maps.find((map) => map.name === name);
  if (!found) {
    const names = object.maps.map((map) => map.name).join(', ') || 'none';
    throw usageError(
      '--map',
      'the name of a map of the object',
      `the object has no map "${name}"; its maps are ${names}`,
      command,
    );
  }
  return found;
}

/**
 * Writes the entries into the loaded object's maps.
 * @throws CliError (usage) for an unknown map or a key/value that does not fit; BpfError from the update.
 */
export function applyMapAssignments(
  object: BpfObject,
  assignments: readonly MapAssignment[],
  command: string,
): void {
  for (const { map, key, value } of assignments) {
    const described = mapOf(object, map, command);
    using handle = described.toMap();
    handle.update(
      encode(key, described.keySize, `the key of ${map}`, command),
      encode(value, described.valueSize, `the value of ${map}`, command),
    );
  }
}

/** Reads back the entries that `--map` set, to show what the program made of them. */
export function readMapAssignments(
  object: BpfObject,
  assignments: readonly MapAssignment[],
  command: string,
): MapEntryReport[] {
  return assignments.map(({ map, key }) => {
    const described = mapOf(object, map, command);
    using handle = described.toMap();
    const value = handle.lookup(encode(key, described.keySize, `the key of ${map}`, command));
    return { map, key, value: value === undefined ? undefined : mapBytesText(value) };
  });
}
