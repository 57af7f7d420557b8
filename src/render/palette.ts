import { Chalk, type ChalkInstance } from 'chalk';
import type { Palette } from './algebra.js';

/**
 * Colour: whether it is on, and the styles. The only module that imports chalk.
 *
 * `Palette` holds the escape prefixes of `IO.ANSI.syntax_colors/0`, so coloured inspect output is what IEx
 * prints; `ui` styles everything around the terms (headers, channels, errors).
 */
export type { Palette } from './algebra.js';

/**
 * IO.ANSI.syntax_colors/0: atom cyan, string green, number and charlist yellow, boolean and nil magenta,
 * binary/list/map/tuple punctuation the default colour (IEx still wraps it, so the escapes are IEx's too).
 */
export const IEX_PALETTE: Palette = Object.freeze({
  binary: '\u001b[39m',
  list: '\u001b[39m',
  map: '\u001b[39m',
  tuple: '\u001b[39m',
  atom: '\u001b[36m',
  string: '\u001b[32m',
  number: '\u001b[33m',
  charlist: '\u001b[33m',
  boolean: '\u001b[35m',
  nil: '\u001b[35m',
  reset: '\u001b[0m',
});

/**
 * Decide colour: `--color`/`--no-color` win; then `NO_COLOR` (any non-empty value: off, see no-color.org);
 * then `FORCE_COLOR` (`0`/`false`: off, anything else: on); else on only when stdout is a terminal.
 */
export function colorEnabled(flag: boolean | undefined, env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return isTTY;
}

/** The styles around terms. With colour off every style is the identity, so text is identical minus escapes. */
export interface UiStyles {
  readonly enabled: boolean;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly error: (s: string) => string;
  readonly warn: (s: string) => string;
  readonly key: (s: string) => string;
  readonly string: (s: string) => string;
  readonly number: (s: string) => string;
  readonly literal: (s: string) => string;
  /** A stable colour per channel name, so interleaved channels are told apart. */
  readonly channel: (name: string) => string;
}

const CHANNEL_COLORS = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red', 'cyanBright', 'magentaBright', 'yellowBright', 'greenBright', 'blueBright'] as const;

export function uiStyles(enabled: boolean): UiStyles {
  const c: ChalkInstance = new Chalk({ level: enabled ? 1 : 0 });
  return {
    enabled,
    dim: (s) => c.dim(s),
    bold: (s) => c.bold(s),
    error: (s) => c.red(s),
    warn: (s) => c.yellow(s),
    key: (s) => c.blue(s),
    string: (s) => c.green(s),
    number: (s) => c.yellow(s),
    literal: (s) => c.magenta(s),
    channel: (name) => {
      let h = 0;
      for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
      return c[CHANNEL_COLORS[h % CHANNEL_COLORS.length]!](name);
    },
  };
}
