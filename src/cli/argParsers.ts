import { InvalidArgumentError } from 'commander';

/** Node timers overflow past 2^31−1 ms (they then fire at once), so no duration may be longer. */
export const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** A duration flag: a number of seconds > 0 and ≤ {@link MAX_SECONDS} (about 24 days). */
export function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError(`must be a number of seconds > 0, got '${value}'`);
  if (n > MAX_SECONDS) throw new InvalidArgumentError(`must be at most ${MAX_SECONDS} seconds, got '${value}'`);
  return n;
}

/** A repeatable flag's values, each passed through `parse`. */
export const collect =
  (parse: (value: string) => string = (v) => v) =>
  (value: string, previous: string[] = []): string[] => [...previous, parse(value)];

/** A duration that may also be 0 ("off"). */
export function secondsOrOff(value: string): number {
  return value === '0' ? 0 : seconds(value);
}
