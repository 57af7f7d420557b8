import { InvalidArgumentError } from 'commander';
import { DEFAULT_QUEUE_BYTES, DEFAULT_QUEUE_LIMIT } from '../redis/MessageQueue.js';

/**
 * `--buffer`: how much may wait for a slow stdout before the oldest messages are dropped. A plain
 * number is messages; a number with a unit is bytes of payload. Units follow redis.conf: `k`/`m`/`g`
 * are powers of 1000, `kb`/`mb`/`gb` (and `kib`/`mib`/`gib`) powers of 1024, case-insensitive; `b` is bytes.
 * Repeatable: one value sets one of the two bounds, the other keeps its default.
 */
export interface BufferBounds {
  readonly messages: number;
  readonly bytes: number;
}

export const DEFAULT_BUFFER: BufferBounds = Object.freeze({ messages: DEFAULT_QUEUE_LIMIT, bytes: DEFAULT_QUEUE_BYTES });

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  k: 1e3,
  kb: 1024,
  kib: 1024,
  m: 1e6,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** A commander argument parser: folds one `--buffer` value into the bounds given so far. */
export function bufferBounds(value: string, previous: BufferBounds = DEFAULT_BUFFER): BufferBounds {
  const plain = /^\d+$/.exec(value);
  if (plain) {
    const messages = Number(value);
    if (!Number.isSafeInteger(messages) || messages < 1) throw bad(value);
    return Object.freeze({ ...previous, messages });
  }
  const sized = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(value.trim());
  const unit = UNITS[sized?.[2]?.toLowerCase() ?? ''];
  if (!sized || unit === undefined) throw bad(value);
  const bytes = Math.floor(Number(sized[1]) * unit);
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw bad(value);
  return Object.freeze({ ...previous, bytes });
}

function bad(value: string): InvalidArgumentError {
  return new InvalidArgumentError(`--buffer takes a number of messages (10000) or a size (512kb, 64mb), got '${value}'`);
}
