/**
 * A port of Elixir's `Inspect.Algebra` (Wadler's "prettier printer" as Elixir extends it), taken from the
 * bytecode of Elixir 1.14.0 (`lib/elixir/lib/inspect/algebra.ex`): the same doc constructors, the same
 * `fits?` clauses in the same order, the same `:flat`, `:flat_no_break`, `:break` and `:break_no_flat` modes,
 * so a doc built the way Elixir builds it lays out byte for byte the same.
 *
 * Differences from Elixir, all deliberate:
 * - Docs that are plain strings are measured in UTF-8 bytes, as Elixir measures binaries (`byte_size`);
 *   {@link string} measures grapheme clusters (`String.length`) with `Intl.Segmenter`, whose Unicode
 *   version may differ from Elixir 1.14's (14.0) for new emoji.
 * - `format` and `fits` walk explicit stacks, never the JS call stack, so a doc nested 10⁶ deep lays out.
 * - `format` stops with a {@link DocTooLargeError} before its output would reach `maxLength` characters,
 *   instead of running out of memory (or into V8's string-length limit).
 * - A colour is an escape string rather than an `IO.ANSI` atom; see {@link color}.
 * - `:limit` handling inside `container_doc` (the `...` element) is absent: redis-print always prints
 *   with `limit: :infinity`. `no_limit/1` (`doc_limit`) is kept for completeness.
 *
 * Later Elixir versions changed this module (1.17/1.18 rework groups and `next_break_fits`); this port is
 * 1.14, which is what the ground-truth fixtures were printed with.
 */

export type Doc = string | DocNode;

export type DocNode =
  | DocNil
  | DocLine
  | DocCons
  | DocNest
  | DocBreak
  | DocGroup
  | DocForce
  | DocFits
  | DocCollapse
  | DocColor
  | DocString
  | DocLimit;

export interface DocNil {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'nil';
}
export interface DocLine {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'line';
}
export interface DocCons {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'cons';
  readonly left: Doc;
  readonly right: Doc;
}
export interface DocNest {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'nest';
  readonly doc: Doc;
  /** Columns to add, or `cursor` (the current column) or `reset` (column 0). */
  readonly indent: number | 'cursor' | 'reset';
  /** `always` nests in every mode, `break` only when the enclosing group broke. */
  readonly mode: 'always' | 'break';
}
export interface DocBreak {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'break';
  readonly text: string;
  readonly mode: 'strict' | 'flex';
}
export interface DocGroup {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'group';
  readonly doc: Doc;
  readonly mode: 'self' | 'inherit';
}
export interface DocForce {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'force';
  readonly doc: Doc;
}
export interface DocFits {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'fits';
  readonly doc: Doc;
  readonly mode: 'enabled' | 'disabled';
}
export interface DocCollapse {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'collapse';
  readonly max: number;
}
export interface DocColor {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'color';
  readonly doc: Doc;
  /** The escape sequence written before `doc`. Has no width. */
  readonly escape: string;
}
export interface DocString {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'string';
  readonly text: string;
  readonly width: number;
}
export interface DocLimit {
  /** Flat width, or -1 when the doc holds a break, line, force, collapse or limit (see {@link flatWidth}). */
  readonly fw: number;
  readonly kind: 'limit';
  readonly doc: Doc;
  readonly width: number;
}

const NIL: DocNil = Object.freeze({ kind: 'nil', fw: 0 });
const LINE: DocLine = Object.freeze({ kind: 'line', fw: -1 });

/** The empty doc (`doc_nil`). */
export function empty(): Doc {
  return NIL;
}

/** A forced newline (`doc_line`). */
export function line(): Doc;
/** `concat(left, concat(line(), right))`. */
export function line(left: Doc, right: Doc): Doc;
export function line(left?: Doc, right?: Doc): Doc {
  if (left === undefined || right === undefined) return LINE;
  return concat(left, concat(LINE, right));
}

/** Concatenates two docs, or a list of docs (right-folded as Elixir's `fold_doc`). */
export function concat(left: Doc, right: Doc): Doc;
export function concat(docs: readonly Doc[]): Doc;
export function concat(a: Doc | readonly Doc[], b?: Doc): Doc {
  if (Array.isArray(a)) return foldDoc(a as readonly Doc[], cons);
  return cons(a as Doc, b ?? NIL);
}

function cons(left: Doc, right: Doc): Doc {
  const l = flatWidth(left);
  const r = l < 0 ? -1 : flatWidth(right);
  return { kind: 'cons', left, right, fw: r < 0 ? -1 : l + r };
}

/** Right fold: `f(d0, f(d1, … f(dn-1, dn)))`; `[]` is `empty()`. Iterative. */
export function foldDoc(docs: readonly Doc[], f: (doc: Doc, acc: Doc) => Doc): Doc {
  const n = docs.length;
  if (n === 0) return NIL;
  let acc = docs[n - 1] as Doc;
  for (let i = n - 2; i >= 0; i--) acc = f(docs[i] as Doc, acc);
  return acc;
}

/** A text doc measured in graphemes (`string/1`, `doc_string`), not bytes. */
export function string(text: string): Doc {
  const width = graphemeLength(text);
  return { kind: 'string', text, width, fw: width };
}

/**
 * Nests `doc` by `level` columns (or at the `cursor`, or `reset` to column 0). `nest(doc, 0)` is `doc`.
 * With `mode` `break`, nesting applies only when the enclosing group is broken.
 */
export function nest(doc: Doc, level: number | 'cursor' | 'reset', mode: 'always' | 'break' = 'always'): Doc {
  if (level === 0) return doc;
  if (typeof level === 'number' && !(Number.isInteger(level) && level > 0)) {
    throw new RangeError(`nest level must be a non-negative integer, :cursor or :reset, got ${level}`);
  }
  return { kind: 'nest', doc, indent: level, mode, fw: flatWidth(doc) };
}

/** A break: `text` when the group fits, a newline when the group breaks. */
export function breakDoc(text = ' '): Doc {
  return { kind: 'break', text, mode: 'strict', fw: -1 };
}

/** A flex break: decides on its own, fitting as much as possible on each line. */
export function flexBreak(text = ' '): Doc {
  return { kind: 'break', text, mode: 'flex', fw: -1 };
}

/** `concat(left, concat(break(text), right))`. */
export function glue(left: Doc, right: Doc, text = ' '): Doc {
  return concat(left, concat(breakDoc(text), right));
}

/** `concat(left, concat(flex_break(text), right))`. */
export function flexGlue(left: Doc, right: Doc, text = ' '): Doc {
  return concat(left, concat(flexBreak(text), right));
}

/** `concat(left, concat(" ", right))`. */
export function space(left: Doc, right: Doc): Doc {
  return concat(left, concat(' ', right));
}

/** A group: its breaks all break or none does. `inherit` keeps breaking when the parent broke. */
export function group(doc: Doc, mode: 'self' | 'inherit' = 'self'): Doc {
  return { kind: 'group', doc, mode, fw: flatWidth(doc) };
}

/** Makes every enclosing group break. */
export function forceUnfit(doc: Doc): Doc {
  return { kind: 'force', doc, fw: -1 };
}

/** Considers the next break as fitting (`enabled`), or undoes an outer `next_break_fits` (`disabled`). */
export function nextBreakFits(doc: Doc, mode: 'enabled' | 'disabled' = 'enabled'): Doc {
  return { kind: 'fits', doc, mode, fw: flatWidth(doc) };
}

/** Collapses the line breaks that follow into at most `max` newlines. */
export function collapseLines(max: number): Doc {
  if (!(Number.isInteger(max) && max > 0)) throw new RangeError(`collapse_lines max must be a positive integer, got ${max}`);
  return { kind: 'collapse', max, fw: -1 };
}

/** Lays `doc` out without a width limit (`no_limit/1`). */
export function noLimit(doc: Doc): Doc {
  return { kind: 'limit', doc, width: Infinity, fw: -1 };
}

/** A raw colour node: writes `escape` (zero width) and then `doc`. */
export function colorDoc(doc: Doc, escape: string): Doc {
  return { kind: 'color', doc, escape, fw: flatWidth(doc) };
}

/**
 * Escape-sequence prefixes by syntax key, as `Inspect.Opts.syntax_colors` holds IO.ANSI colours.
 * A missing key means "no colour" for that key. `reset` (default `\x1b[0m`) ends every coloured doc.
 */
export interface Palette {
  readonly atom?: string;
  readonly binary?: string;
  readonly boolean?: string;
  readonly charlist?: string;
  readonly list?: string;
  readonly map?: string;
  readonly nil?: string;
  readonly number?: string;
  readonly regex?: string;
  readonly string?: string;
  readonly tuple?: string;
  readonly variable?: string;
  readonly reset?: string;
}

export type ColorKey = Exclude<keyof Palette, 'reset'>;

/**
 * Elixir's `color/3`: when the palette has `key`, `doc` is preceded by that escape and followed by the
 * palette's `reset` (default `\x1b[0m`). Like Elixir, it resets rather than restoring an enclosing colour.
 * Without a palette or the key, `doc` is returned unchanged — so stripping escapes gives the plain output.
 */
export function color(doc: Doc, key: ColorKey, palette: Palette | undefined): Doc {
  if (palette === undefined) return doc;
  const pre = palette[key];
  if (pre === undefined) return doc;
  return concat(colorDoc(doc, pre), colorDoc(NIL, palette.reset ?? '\x1b[0m'));
}

/** The join in `container_doc`: doc_nil on either side disappears. */
function join(left: Doc, right: Doc, flex: boolean, sep: Doc): Doc {
  if (left === NIL) return right;
  if (right === NIL) return left;
  return flex ? flexGlue(concat(left, sep), right) : glue(concat(left, sep), right);
}

/**
 * Elixir's `simple?/1`: text, colour and concatenations of those (no breaks or groups). Iterative.
 */
export function isSimple(doc: Doc): boolean {
  const stack: Doc[] = [doc];
  while (stack.length > 0) {
    const d = stack.pop() as Doc;
    if (typeof d === 'string') continue;
    switch (d.kind) {
      case 'cons':
        stack.push(d.right, d.left);
        break;
      case 'color':
        stack.push(d.doc);
        break;
      case 'string':
      case 'nil':
        break;
      default:
        return false;
    }
  }
  return true;
}

export interface ContainerOptions {
  /** Between elements. Default `","`. */
  readonly separator?: Doc;
  /**
   * `strict`: break after every element or none; `flex`: fill lines; `maybe` (default): `flex` when every
   * element is simple (text only), `strict` otherwise.
   */
  readonly break?: 'strict' | 'flex' | 'maybe';
}

/**
 * Elixir's `container_doc/6` for already-rendered element docs. `tail`, when given, is the doc of an
 * improper list's tail, joined to the last element with `" |"` as `container_each` does.
 */
export function containerDoc(
  left: Doc,
  docs: readonly Doc[],
  right: Doc,
  options: ContainerOptions = {},
  tail?: Doc,
): Doc {
  if (docs.length === 0 && tail === undefined) return concat(left, right);
  const brk = options.break ?? 'maybe';
  const sep = options.separator ?? ',';
  let simple = brk === 'maybe';
  if (simple) {
    for (const d of docs) {
      if (!isSimple(d)) {
        simple = false;
        break;
      }
    }
  }
  let items: readonly Doc[] = docs;
  if (tail !== undefined) {
    simple = simple && isSimple(tail);
    const last = docs[docs.length - 1];
    if (last === undefined) throw new RangeError('an improper list needs at least one element before its tail');
    items = [...docs.slice(0, -1), join(last, tail, simple, ' |')];
  }
  const flex = simple || brk === 'flex';
  const body = foldDoc(items, (d, acc) => join(d, acc, flex, sep));
  if (flex) return group(concat(concat(left, nest(body, 1)), right));
  return group(glue(nest(glue(left, body, ''), 2), right, ''));
}

/** Base of the typed errors a renderer throws when a term is too big or deep to print. */
export class RenderLimitError extends Error {
  override readonly name: string = 'RenderLimitError';
}

/** Thrown by {@link format} before its output would exceed `maxLength` characters. */
export class DocTooLargeError extends RenderLimitError {
  override readonly name = 'DocTooLargeError';
  constructor(readonly maxLength: number) {
    super(`formatted output would exceed ${maxLength} characters; too large to print`);
  }
}

export interface FormatOptions {
  /** Stop with {@link DocTooLargeError} past this many UTF-16 code units. Default 64 Mi. */
  readonly maxLength?: number;
}

export const DEFAULT_MAX_FORMAT_LENGTH = 64 * 1024 * 1024;

// Modes, as small integers for the stacks. TAIL marks `{:tail, b?, t}` in fits (saved b? in the indent slot).
const FLAT = 0;
const FLAT_NO_BREAK = 1;
const BREAK = 2;
const BREAK_NO_FLAT = 3;
const TAIL = 4;
type Mode = 0 | 1 | 2 | 3 | 4;

/**
 * Lays `doc` out in `width` columns (`Infinity` for `:infinity`), as `Inspect.Algebra.format/2` followed by
 * `IO.iodata_to_binary/1`.
 *
 * @throws {DocTooLargeError} when the output would exceed `options.maxLength` (default 64 Mi characters).
 * @throws {RangeError} when `width` is negative or not an integer.
 */
export function format(doc: Doc, width: number, options: FormatOptions = {}): string {
  if (!(width === Infinity || (Number.isInteger(width) && width >= 0))) {
    throw new RangeError(`width must be a non-negative integer or Infinity, got ${width}`);
  }
  return new Formatter(options.maxLength ?? DEFAULT_MAX_FORMAT_LENGTH).run(doc, width);
}

interface Collapse {
  readonly max: number;
  readonly indent: number;
  count: number;
}

class Formatter {
  // The format stack: entry n is (si[n], sm[n], sd[n]); the top is the end.
  private readonly si: number[] = [];
  private readonly sm: Mode[] = [];
  private readonly sd: Doc[] = [];
  // Scratch stack for fits (same layout), reused across calls.
  private readonly fi: number[] = [];
  private readonly fm: Mode[] = [];
  private readonly fd: Doc[] = [];
  private readonly out: string[] = [];
  private outLength = 0;
  private readonly collapses: Collapse[] = [];

  constructor(private readonly maxLength: number) {}

  run(doc: Doc, width: number): string {
    const { si, sm, sd } = this;
    let w = width;
    let k = 0;
    si.push(0);
    sm.push(FLAT);
    sd.push(doc);
    while (sd.length > 0) {
      const i = si.pop() as number;
      const m = sm.pop() as Mode;
      const d = sd.pop() as Doc;
      if (typeof d === 'string') {
        this.emit(d, false);
        k += byteWidth(d);
        continue;
      }
      switch (d.kind) {
        case 'nil':
          break;
        case 'line':
          this.emit(indent(i), false);
          k = i;
          break;
        case 'cons':
          si.push(i, i);
          sm.push(m, m);
          sd.push(d.right, d.left);
          break;
        case 'color':
          this.emit(d.escape, true);
          si.push(i);
          sm.push(m);
          sd.push(d.doc);
          break;
        case 'string':
          this.emit(d.text, false);
          k += d.width;
          break;
        case 'force':
        case 'fits':
          si.push(i);
          sm.push(m);
          sd.push(d.doc);
          break;
        case 'collapse':
          this.collapses.push({ max: d.max, indent: i, count: 0 });
          k = i;
          break;
        case 'break': {
          const s = d.text;
          if (d.mode === 'flex') {
            const k2 = k + byteWidth(s);
            if (w === Infinity || m === FLAT || this.fits(w, k2, true, -1, 0, FLAT, NIL)) {
              this.emit(s, false);
              k = k2;
            } else {
              this.emit(indent(i), false);
              k = i;
            }
          } else if (m === BREAK) {
            this.emit(indent(i), false);
            k = i;
          } else {
            this.emit(s, false);
            k += byteWidth(s);
          }
          break;
        }
        case 'nest':
          si.push(d.mode === 'always' || m === BREAK ? applyNesting(i, k, d.indent) : i);
          sm.push(m);
          sd.push(d.doc);
          break;
        case 'group': {
          let mode: Mode;
          if (m === BREAK && d.mode === 'inherit') mode = BREAK;
          // A group without breaks (fw >= 0) always fits: with b? false nothing in it can fail fits?.
          else mode = w === Infinity || d.fw >= 0 || this.fits(w, k, false, 0, i, FLAT, d.doc) ? FLAT : BREAK;
          si.push(i);
          sm.push(mode);
          sd.push(d.doc);
          break;
        }
        case 'limit':
          if (d.width === Infinity && w !== Infinity) {
            si.push(i, i);
            sm.push(m, FLAT);
            sd.push({ kind: 'limit', doc: NIL, width: w, fw: -1 }, d.doc);
            w = Infinity;
          } else {
            w = d.width;
            si.push(i);
            sm.push(m);
            sd.push(d.doc);
          }
          break;
      }
    }
    this.finishCollapses();
    return this.out.join('');
  }

  /**
   * Elixir's `fits?/4`. With `start === 0` the entries are just `[{i0, m0, d0}]`; with `start === -1`
   * they are the rest of the format stack (read, not consumed), as the flex-break clause passes `t`.
   */
  private fits(width: number, k0: number, b0: boolean, start: 0 | -1, i0: number, m0: Mode, d0: Doc): boolean {
    const { fi, fm, fd, si, sm, sd } = this;
    // fp is the scratch stack's height; entries above it are stale and get overwritten.
    let fp = 0;
    const push = (i: number, m: Mode, d: Doc): void => {
      fi[fp] = i;
      fm[fp] = m;
      fd[fp] = d;
      fp++;
    };
    let rest: number;
    if (start === 0) {
      push(i0, m0, d0);
      rest = -1;
    } else {
      rest = sd.length - 1;
    }
    let w = width;
    let k = k0;
    let b = b0;
    for (;;) {
      if (k > w && b) return false;
      let i: number;
      let m: Mode;
      let d: Doc;
      if (fp > 0) {
        fp--;
        i = fi[fp] as number;
        m = fm[fp] as Mode;
        d = fd[fp] as Doc;
      } else if (rest >= 0) {
        i = si[rest] as number;
        m = sm[rest] as Mode;
        d = sd[rest] as Doc;
        rest--;
      } else {
        return true;
      }
      if (m === TAIL) {
        b = i === 1;
        continue;
      }
      if (typeof d === 'string') {
        k += byteWidth(d);
        continue;
      }
      if (d.fw >= 0) {
        // No break, line, force, collapse or limit inside: b? cannot change and k only grows, so adding the
        // width at once gives the same answer as walking it (this keeps deep break-free nesting linear).
        k += d.fw;
        continue;
      }
      switch (d.kind) {
        case 'fits':
          push(i, d.mode === 'disabled' || m === FLAT_NO_BREAK ? FLAT_NO_BREAK : BREAK_NO_FLAT, d.doc);
          break;
        case 'force':
          if (m !== BREAK_NO_FLAT) return false;
          push(i, BREAK_NO_FLAT, d.doc);
          break;
        case 'break':
          if (m === BREAK_NO_FLAT || m === BREAK) return true;
          k += byteWidth(d.text);
          b = true;
          break;
        case 'line':
          if (m === BREAK_NO_FLAT || m === BREAK) return true;
          k = i;
          b = false;
          break;
        case 'group':
          push(b ? 1 : 0, TAIL, NIL);
          push(i, m === BREAK ? FLAT : m, d.doc);
          break;
        case 'nil':
          break;
        case 'collapse':
          k = i;
          break;
        case 'color':
          push(i, m, d.doc);
          break;
        case 'string':
          k += d.width;
          break;
        case 'nest':
          push(d.mode === 'break' ? i : applyNesting(i, k, d.indent), m, d.doc);
          break;
        case 'cons':
          push(i, m, d.right);
          push(i, m, d.left);
          break;
        case 'limit':
          if (d.width === Infinity && w !== Infinity) {
            push(i, m, { kind: 'limit', doc: NIL, width: w, fw: -1 });
            push(i, FLAT, d.doc);
            w = Infinity;
          } else {
            w = d.width;
            push(i, m, d.doc);
          }
          break;
      }
    }
  }

  /**
   * Writes a chunk, through any pending `collapse_lines`: like Elixir's `collapse/4` on the iodata of the
   * rest, it swallows chunks that start with a newline (counting them) and empty ones, then writes
   * min(max, count) newlines and the indent. Colour chunks are iolists in Elixir, so they end a collapse.
   */
  private emit(chunk: string, ansi: boolean): void {
    const n = this.collapses.length;
    if (n === 0) {
      this.push(chunk);
      return;
    }
    const top = this.collapses[n - 1] as Collapse;
    if (!ansi) {
      if (chunk.charCodeAt(0) === 10) {
        top.count++;
        return;
      }
      if (chunk === '') return;
    }
    // The collapse ends: its block, then this chunk, are what the next outer collapse (or the output) sees.
    this.collapses.pop();
    this.emit(collapseBlock(top), false);
    this.emit(chunk, ansi);
  }

  private finishCollapses(): void {
    while (this.collapses.length > 0) {
      const top = this.collapses.pop() as Collapse;
      this.emit(collapseBlock(top), false);
    }
  }

  private push(chunk: string): void {
    this.outLength += chunk.length;
    if (this.outLength > this.maxLength) throw new DocTooLargeError(this.maxLength);
    this.out.push(chunk);
  }
}

function collapseBlock(c: Collapse): string {
  return '\n'.repeat(Math.min(c.max, c.count)) + ' '.repeat(c.indent);
}

function applyNesting(i: number, k: number, j: number | 'cursor' | 'reset'): number {
  if (j === 'cursor') return k;
  if (j === 'reset') return 0;
  return i + j;
}

const indents: string[] = [];
function indent(i: number): string {
  if (i < 256) {
    let s = indents[i];
    if (s === undefined) indents[i] = s = '\n' + ' '.repeat(i);
    return s;
  }
  return '\n' + ' '.repeat(i);
}

/**
 * The width `doc` takes laid out flat, or -1 when it holds a break, line, force, collapse or limit —
 * i.e. when its layout could depend on the mode or the column. Computed once, when a node is built.
 */
export function flatWidth(doc: Doc): number {
  return typeof doc === 'string' ? byteWidth(doc) : doc.fw;
}

/** Width of a text doc the way Elixir measures a binary: its UTF-8 byte size. */
export function byteWidth(s: string): number {
  const n = s.length;
  // Fast path: plain ASCII, the common case, costs one pass and no native call.
  for (let j = 0; j < n; j++) {
    if (s.charCodeAt(j) > 0x7f) return Buffer.byteLength(s, 'utf8');
  }
  return n;
}

let segmenter: Intl.Segmenter | undefined;
function graphemeLength(s: string): number {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let n = 0;
  for (const _ of segmenter.segment(s)) n++;
  return n;
}
