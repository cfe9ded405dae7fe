// setDevmapEntry and the native mapUpdateInNetns under it: the kernel reads as many bytes as the map's
// own value_size, so a key or value buffer shorter than the map's sizes must never reach it.
import { BpfMap, ValidationError } from '@progrun/syscall';
import { native } from '@progrun/syscall/native';
import { describe, expect, test } from 'vitest';
import { setDevmapEntry } from '../src/index.js';

describe('devmap entries', { tags: ['privileged'] }, () => {
  test("mapUpdateInNetns refuses a value shorter than the map's value_size (no read past the buffer)", () => {
    using map = BpfMap.create({ type: 'DEVMAP', keySize: 4, valueSize: 8, maxEntries: 1 });
    const key = Buffer.alloc(4);
    const short = Buffer.alloc(4);
    short.writeUInt32LE(1); // lo
    expect(() => native.mapUpdateInNetns(-1, map.fd, key, short, 0)).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        code: 'ERR_OUT_OF_RANGE',
        message: "value must be at least 8 bytes (the map's value size)",
      }),
    );
    expect(() => native.mapUpdateInNetns(-1, map.fd, Buffer.alloc(2), Buffer.alloc(8), 0)).toThrow(
      "key must be at least 4 bytes (the map's key_size)",
    );
    // Nothing was written: the entry is still empty.
    expect(map.lookup(key)).toBeUndefined();
    const full = Buffer.alloc(8);
    full.writeUInt32LE(1);
    expect(native.mapUpdateInNetns(-1, map.fd, key, full, 0)).toBe(0);
    expect(map.lookup(key)?.readUInt32LE(0)).toBe(1);
  });

  test('setDevmapEntry with a DevmapRef that under-states the value size is a ValidationError', () => {
    using map = BpfMap.create({ type: 'DEVMAP', keySize: 4, valueSize: 8, maxEntries: 1 });
    const understated = { fd: map.fd, keySize: 4, valueSize: 4 };
    let error: unknown;
    try {
      setDevmapEntry(understated, 0, { name: 'lo' });
    } catch (caught) {
      error = caught;
    }
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ field: 'map.valueSize', rule: "the map's value_size (8)" });
    setDevmapEntry(map, 0, { name: 'lo' });
    expect(map.lookup(Buffer.alloc(4))?.readUInt32LE(0)).toBe(1);
  });
});
