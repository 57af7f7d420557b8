/**
 * Atom and string text as Elixir 1.14 writes it: `Macro.inspect_atom/2` (with the identifier rules of
 * `String.Tokenizer`, tables in identifierTables.ts), `Code.Identifier.escape/2`, `String.printable?/1`
 * and `List.ascii_printable?/1`.
 *
 * Escaping is also what keeps the terminal safe: every C0 and C1 control, DEL, U+FEFF and the
 * non-characters U+FFFE/U+FFFF leave as escapes (`\e`, `\x01`, `\x9B`, `\uFEFF`, `\x{FFFE}`); a binary
 * holding any other control is not "printable" and prints as `<<…>>` numbers.
 */
import { UNICODE_CONTINUE, UNICODE_START, UNICODE_UPPER } from './identifierTables.js';

// ---- escaping (Code.Identifier.escape/2 with its default escape_map/1) ----

const ESCAPE_MAP: Record<number, string> = {
  0: '\\0',
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
  27: '\\e',
  92: '\\\\',
  127: '\\d',
};

const NEEDS_ESCAPE_DQ = /["\\\x00-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]|#\{/;
const NEEDS_ESCAPE_SQ = /['\\\x00-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]|#\{/;

/**
 * `Code.Identifier.escape(text, quote)`: the quote, `\`, `#{` and non-printable code points escaped.
 * `quote` is `"` or `'`.
 */
export function escapeText(text: string, quote: '"' | "'"): string {
  if (!(quote === '"' ? NEEDS_ESCAPE_DQ : NEEDS_ESCAPE_SQ).test(text)) return text;
  const q = quote.charCodeAt(0);
  const parts: string[] = [];
  let from = 0;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const cp = text.codePointAt(i) as number;
    const len = cp > 0xffff ? 2 : 1;
    let rep: string | undefined;
    if (cp === q) rep = '\\' + quote;
    else if (cp === 35 && text.charCodeAt(i + 1) === 123) {
      parts.push(text.slice(from, i), '\\#{');
      i += 2;
      from = i;
      continue;
    } else rep = ESCAPE_MAP[cp] ?? escapeChar(cp);
    if (rep !== undefined) {
      parts.push(text.slice(from, i), rep);
      from = i + len;
    }
    i += len;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/** `escape_char/1`: `undefined` when the code point passes through. */
function escapeChar(cp: number): string | undefined {
  if (cp === 0xfeff) return '\\uFEFF';
  if ((cp >= 32 && cp <= 126) || (cp >= 160 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000) {
    return undefined;
  }
  const hex = cp.toString(16).toUpperCase();
  if (cp < 256) return '\\x' + hex.padStart(2, '0');
  return '\\x{' + hex.padStart(4, '0') + '}';
}

// ---- printable? ----

/**
 * `String.printable?/1`: the binary decoded, when it is valid UTF-8 made only of printable code points
 * (32..126, `\a\b\t\n\v\f\r\e`, DEL, U+00A0..U+D7FF, U+E000..U+FFFD, U+10000..); `undefined` otherwise.
 */
export function printableText(bytes: Uint8Array): string | undefined {
  const n = bytes.length;
  let ascii = true;
  for (let i = 0; i < n; ) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      if (b < 32 && !((b >= 7 && b <= 13) || b === 27)) return undefined;
      i++;
      continue;
    }
    ascii = false;
    // Strict UTF-8 as Erlang's <<c::utf8>> matches it: no overlongs, no surrogates, nothing past U+10FFFF.
    let cp: number;
    let need: number;
    if (b >= 0xc2 && b <= 0xdf) {
      cp = b & 0x1f;
      need = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      cp = b & 0x0f;
      need = 2;
    } else if (b >= 0xf0 && b <= 0xf4) {
      cp = b & 0x07;
      need = 3;
    } else return undefined;
    for (let j = 1; j <= need; j++) {
      const c = bytes[i + j];
      if (c === undefined || (c & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (need === 2 && cp < 0x800) return undefined;
    if (need === 3 && (cp < 0x10000 || cp > 0x10ffff)) return undefined;
    if (!((cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000)) return undefined;
    i += need + 1;
  }
  if (ascii) return latin1(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** `List.ascii_printable?/1` for one element: 7..13, 27, 32..126. */
export function isAsciiPrintable(c: number): boolean {
  return (c >= 32 && c <= 126) || (c >= 7 && c <= 13) || c === 27;
}

// ---- Macro.inspect_atom/2 ----

const NOT_CALLABLE = new Set(['%', '%{}', '{}', '<<>>', '...', '..', '.', '..//', '->']);
const QUOTED_OPERATORS = new Set(['::', '^^^', '~~~', '<|>']);
const UNARY_OPERATORS = ['&', '!', '^', 'not', '+', '-', '~~~', '@'];
const BINARY_OPERATORS = [
  '<-', '\\\\', 'when', '::', '|', '=', '||', '|||', 'or', '&&', '&&&', 'and',
  '==', '!=', '=~', '===', '!==', '<', '<=', '>=', '>',
  '|>', '<<<', '>>>', '<~', '~>', '<<~', '~>>', '<~>', '<|>', 'in', '^^^', // '//' excluded, as operator?/2 does
  '++', '--', '..', '<>', '+++', '---', '+', '-', '*', '/', '**', '.',
];
const OPERATORS = new Set([...UNARY_OPERATORS, ...BINARY_OPERATORS]);

type Classification = 'not_callable' | 'quoted_operator' | 'unquoted_operator' | 'alias' | 'identifier' | 'other';

const classCache = new Map<string, Classification>();

/** `Macro.inner_classify/1`. */
function innerClassify(name: string): Classification {
  let c = classCache.get(name);
  if (c === undefined) {
    c = classifyUncached(name);
    if (classCache.size > 10_000) classCache.clear();
    classCache.set(name, c);
  }
  return c;
}

function classifyUncached(name: string): Classification {
  if (NOT_CALLABLE.has(name)) return 'not_callable';
  if (QUOTED_OPERATORS.has(name)) return 'quoted_operator';
  if (OPERATORS.has(name)) return 'unquoted_operator';
  if (isValidAlias(name)) return 'alias';
  const t = tokenize(name);
  if (t === undefined || !t.complete) return 'other';
  if (t.kind !== 'identifier' || t.at) return 'not_callable';
  if (t.nfkc) return 'other';
  return 'identifier';
}

/** `Macro.valid_alias?/1`: `Elixir` followed by `.Upper[A-Za-z0-9_]*` pieces. */
function isValidAlias(name: string): boolean {
  return /^Elixir(?:\.[A-Z][A-Za-z0-9_]*)*$/.test(name);
}

interface Token {
  kind: 'alias' | 'identifier' | 'atom';
  /** The whole name was consumed (the tokenizer's `rest` is empty). */
  complete: boolean;
  at: boolean;
  nfkc: boolean;
}

const ALL_SCRIPTS = 2 ** 44 - 1;
/** Latin+Han+Hiragana+Katakana, Latin+Han+Bopomofo, Latin+Han+Hangul: String.Tokenizer's highly restrictive sets. */
const HIGHLY_RESTRICTIVE = [1048577, 65537, 67108865];

/** `String.Tokenizer.tokenize/1` (+ `validate/2`), reduced to what `inner_classify` reads. */
function tokenize(name: string): Token | undefined {
  const cps = Array.from(name, (ch) => ch.codePointAt(0) as number);
  const first = cps[0];
  if (first === undefined) return undefined;
  let kind: Token['kind'];
  let ascii = true;
  let ss: number;
  let nfkc = false;
  const acc: number[] = [first];
  if (first >= 65 && first <= 90) {
    kind = 'alias';
    ss = 1;
  } else if (first >= 97 && first <= 122) {
    kind = 'identifier';
    ss = 1;
  } else if (first === 95) {
    kind = 'identifier';
    ss = ALL_SCRIPTS;
  } else {
    ascii = false;
    const up = lookup(UNICODE_UPPER, first);
    const st = up === 0 ? lookup(UNICODE_START, first) : 0;
    if (up !== 0) {
      kind = 'atom';
      ss = up;
    } else if (st !== 0) {
      kind = 'identifier';
      ss = st;
    } else if (first === 181) {
      kind = 'identifier';
      ss = ALL_SCRIPTS;
      acc[0] = 956;
      nfkc = true;
    } else return undefined;
  }
  let at = false;
  let complete = true;
  for (let i = 1; i < cps.length; i++) {
    const c = cps[i] as number;
    if (c === 33 || c === 63) {
      acc.push(c);
      complete = i === cps.length - 1;
      break;
    }
    if (c === 64) {
      at = true;
      acc.push(c);
      continue;
    }
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
      acc.push(c);
      ss = and(ss, 1);
      continue;
    }
    if (c === 95 || (c >= 48 && c <= 57)) {
      acc.push(c);
      continue;
    }
    if (c <= 127) {
      complete = false;
      break;
    }
    ascii = false;
    let s = lookup(UNICODE_START, c);
    if (s === 0) s = lookup(UNICODE_UPPER, c);
    if (s === 0) s = lookup(UNICODE_CONTINUE, c);
    if (s !== 0) {
      ss = and(ss, s);
      acc.push(c);
    } else if (c === 181) {
      ss = and(ss, ALL_SCRIPTS);
      nfkc = true;
      acc.push(956);
    } else return undefined;
  }
  if (!ascii) {
    const original = String.fromCodePoint(...acc);
    const normalized = original.normalize('NFC');
    if (normalized !== original) nfkc = true;
    if (ss === 0 && !highlyRestrictive(Array.from(normalized, (ch) => ch.codePointAt(0) as number))) return undefined;
  }
  return { kind, complete, at, nfkc };
}

function highlyRestrictive(cps: readonly number[]): boolean {
  const sets = cps.map(codepointScriptset);
  return HIGHLY_RESTRICTIVE.some((r) => sets.every((s) => and(s, r) !== 0));
}

function codepointScriptset(c: number): number {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return 1;
  if (c === 95 || (c >= 48 && c <= 57)) return ALL_SCRIPTS;
  let s = lookup(UNICODE_START, c);
  if (s === 0) s = lookup(UNICODE_UPPER, c);
  if (s === 0) s = lookup(UNICODE_CONTINUE, c);
  return s === 0 ? ALL_SCRIPTS : s;
}

/** Bitwise AND of two scriptsets (up to 44 bits, beyond JS's 32-bit operators). */
function and(a: number, b: number): number {
  const hi = (Math.floor(a / 2 ** 32) & Math.floor(b / 2 ** 32)) >>> 0;
  const lo = ((a >>> 0) & (b >>> 0)) >>> 0;
  return hi * 2 ** 32 + lo;
}

/** Binary search of a [first, count - 1, scriptset] table; 0 when `c` is not in it. */
function lookup(table: readonly number[], c: number): number {
  let lo = 0;
  let hi = table.length / 3 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const first = table[mid * 3] as number;
    if (c < first) hi = mid - 1;
    else if (c > first + (table[mid * 3 + 1] as number)) lo = mid + 1;
    else return table[mid * 3 + 2] as number;
  }
  return 0;
}

/** `Macro.classify_atom/1`. */
function classifyAtom(name: string): 'alias' | 'identifier' | 'unquoted' | 'quoted' {
  const c = innerClassify(name);
  if (c === 'alias' || c === 'identifier') return c;
  if (c === 'unquoted_operator' || c === 'not_callable') return 'unquoted';
  return 'quoted';
}

/** `Macro.inspect_atom(:literal, atom)`: `:ok`, `nil`, `Chat.PubSub`, `:"with space"`. */
export function inspectAtomLiteral(name: string): string {
  if (name === 'nil' || name === 'true' || name === 'false') return name;
  switch (classifyAtom(name)) {
    case 'alias':
      if (name === 'Elixir' || name === 'Elixir.Elixir' || name.startsWith('Elixir.Elixir.')) return name;
      return name.slice('Elixir.'.length);
    case 'quoted':
      return ':"' + escapeText(name, '"') + '"';
    default:
      return ':' + name;
  }
}

/** `Macro.inspect_atom(:key, atom)`: `ok:`, `"with space":`. */
export function inspectAtomKey(name: string): string {
  switch (classifyAtom(name)) {
    case 'alias':
      return '"' + name + '":';
    case 'quoted':
      return '"' + escapeText(name, '"') + '":';
    default:
      return name + ':';
  }
}

/** `Macro.inspect_atom(:remote_call, atom)`: the function name in `&Mod.fun/1`. */
export function inspectAtomRemoteCall(name: string): string {
  const c = innerClassify(name);
  if (c === 'identifier' || c === 'unquoted_operator' || c === 'quoted_operator') return name;
  if (c === 'not_callable' || c === 'alias') return '"' + name + '"';
  return '"' + escapeText(name, '"') + '"';
}
