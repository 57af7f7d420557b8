/**
 * How long to wait before each reconnect attempt: exponential, capped, with jitter.
 *
 * The jitter is "equal jitter" (half fixed, half random): a fleet of watchers that all lost the same
 * server do not come back in lockstep, and no attempt comes sooner than half the nominal delay, so a
 * server that is restarting is not hammered.
 */

export interface ReconnectPolicy {
  /** Nominal delay before the first attempt, in ms. */
  readonly initialDelayMs: number;
  /** The nominal delay doubles per attempt up to this, in ms. */
  readonly maxDelayMs: number;
}

/** 100 ms, 200 ms, 400 ms … 5 s, 5 s, … (each between half and all of that). */
export const DEFAULT_RECONNECT: ReconnectPolicy = Object.freeze({ initialDelayMs: 100, maxDelayMs: 5_000 });

/**
 * The delay before attempt `attempt` (1 for the first), in whole ms:
 * `d/2 + random() * d/2` where `d = min(maxDelayMs, initialDelayMs * 2^(attempt-1))`.
 */
export function reconnectDelay(attempt: number, policy: ReconnectPolicy = DEFAULT_RECONNECT, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30); // 2^30 is past any cap; avoids Infinity
  const nominal = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
  return Math.round(nominal / 2 + random() * (nominal / 2));
}
