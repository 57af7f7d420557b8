/**
 * Terminal safety for text that is not an Erlang term (text payloads, channel names, header fields).
 * Tab and newline pass; every other C0 control, DEL, C1 controls and bidi/line-separator characters are
 * written as escapes (`\r`, `\e`, `\x00`, `\u{202E}`), so a payload cannot move the cursor or hide lines.
 */
/**
 * The character classes every escaper here is built from, so they cannot drift apart:
 * bidi controls and line/paragraph separators (a terminal may reorder or hide text around them), and DEL
 * plus the C1 controls (some terminals act on them, e.g. U+009B is CSI).
 */
export const BIDI_AND_SEPARATOR_CLASS = '\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069';
export const DEL_AND_C1_CLASS = '\u007f-\u009f';

const UNSAFE = new RegExp(`[\u0000-\u0008\u000b-\u001f${DEL_AND_C1_CLASS}${BIDI_AND_SEPARATOR_CLASS}\ufeff]`, 'g');

const NAMED: Record<string, string> = {
  '\r': '\\r',
  '\u001b': '\\e',
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
  '\0': '\\0',
};

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u{${code.toString(16).toUpperCase()}}`;
}

/** `text` with unsafe characters escaped; newlines and tabs kept. */
export function safeText(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/** Like {@link safeText} but for one-line fields: newlines and tabs are escaped too. */
export function safeLine(text: string): string {
  return safeText(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/**
 * Characters JSON allows raw inside strings (and JSON.stringify leaves raw) that a terminal may act on:
 * DEL, C1 controls, line/paragraph separators, bidi controls. Escaped as `\uXXXX`, JSON stays valid.
 */
const UNSAFE_IN_JSON = new RegExp(`[${DEL_AND_C1_CLASS}${BIDI_AND_SEPARATOR_CLASS}]`, 'g');

/** JSON text (or a JSON string literal) with terminal-unsafe characters escaped. */
export function jsonSafe(json: string): string {
  UNSAFE_IN_JSON.lastIndex = 0;
  return UNSAFE_IN_JSON.test(json) ? json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/**
 * Characters Elixir's `inspect` leaves raw inside strings and atoms that can reorder or hide what a terminal
 * shows (bidi controls, line/paragraph separators). A deliberate difference from IEx (README): the CLI writes
 * them as `\uXXXX`, which Elixir reads back as the same string. Only quoted text can hold them, so the
 * replacement is safe on the finished inspect output.
 */
const BIDI_AND_SEPARATORS = new RegExp(`[${BIDI_AND_SEPARATOR_CLASS}]`, 'g');

export function hardenInspect(text: string): string {
  BIDI_AND_SEPARATORS.lastIndex = 0;
  return BIDI_AND_SEPARATORS.test(text) ? text.replace(BIDI_AND_SEPARATORS, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase()}`) : text;
}
