import { inflateSync } from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import { DecodeError } from '../DecodeError.js';
import { Tag, VERSION, tagName } from './tags.js';
import {
  Atom,
  BitBinary,
  Charlist,
  ErlMap,
  ExportFun,
  Float,
  Fun,
  ImproperList,
  LocalTerm,
  Pid,
  Port,
  Reference,
  Tuple,
  type Term,
} from './term.js';

/** Limits on what a payload may make the decoder build. Every count is also checked against the bytes left. */
export interface EtfDecodeOptions {
  /**
   * Largest bignum magnitude, in bytes. Default 1 MiB (2.5 million decimal digits): it decodes in ~10 ms, but
   * printing it in decimal takes V8 over a second, and 4 MiB over seven, so a payload could stall the stream.
   */
  readonly maxBigBytes?: number;
  /** Largest size a COMPRESSED term may declare (and inflate to). Default 64 MiB. */
  readonly maxInflatedBytes?: number;
  /** Accept bytes after the term instead of failing with `trailing_bytes`. Default false. */
  readonly allowTrailing?: boolean;
}

export const DEFAULT_MAX_BIG_BYTES = 1024 * 1024;
export const DEFAULT_MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/**
 * Deflate cannot expand input by more than ~1032:1, so a declared size beyond this for the bytes present
 * is a lie we can reject before inflating anything.
 */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Decode one `term_to_binary` payload (starting with the version byte 131).
 *
 * Iterative (an explicit stack), so nesting depth is bounded only by the input size.
 * Binaries in the result are views into `bytes`, not copies.
 *
 * @throws {DecodeError} (format `etf`) for every malformed input; nothing else is thrown.
 */
export function decodeEtf(bytes: Uint8Array, options: EtfDecodeOptions = {}): Term {
  const buf = asBuffer(bytes);
  if (buf.length === 0) throw new DecodeError('etf', 'truncated', 0, 'empty payload: expected version byte 131');
  if (buf[0] !== VERSION) {
    throw new DecodeError('etf', 'bad_version', 0, `expected version byte 131, got ${buf[0]}`);
  }
  const maxBig = options.maxBigBytes ?? DEFAULT_MAX_BIG_BYTES;
  let reader: EtfReader;
  let offsetBase = 0;
  if (buf[1] === Tag.COMPRESSED) {
    reader = new EtfReader(inflate(buf, options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES), 0, maxBig);
    offsetBase = 6;
  } else {
    reader = new EtfReader(buf, 1, maxBig);
  }
  try {
    const term = reader.readTerm();
    if (reader.pos !== reader.end && !options.allowTrailing) {
      const left = reader.end - reader.pos;
      throw new DecodeError('etf', 'trailing_bytes', reader.pos, `the term ends here but ${left} more byte${left === 1 ? '' : 's'} follow`);
    }
    return term;
  } catch (e) {
    if (e instanceof DecodeError) {
      if (offsetBase === 0) throw e;
      throw new DecodeError('etf', e.code, e.offset, `${e.detail} (offset within the inflated term)`);
    }
    // Anything else is a bug in this decoder; still surface it as the one error type callers handle.
    throw new DecodeError('etf', 'invalid', reader.pos + offsetBase, `internal decoder error: ${(e as Error)?.message ?? String(e)}`);
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** COMPRESSED (tag 80): UncompressedSize u32, zlib stream. `buf` starts at the version byte. */
function inflate(buf: Buffer, maxInflated: number): Buffer {
  if (buf.length < 6) {
    throw new DecodeError('etf', 'truncated', 1, `COMPRESSED at offset 1 needs a 4-byte size, ${buf.length - 2} bytes remain`);
  }
  const declared = buf.readUInt32BE(2);
  const compressed = buf.subarray(6);
  if (declared === 0) throw new DecodeError('etf', 'bad_compressed', 2, 'COMPRESSED declares an uncompressed size of 0');
  if (declared > maxInflated) {
    throw new DecodeError('etf', 'too_large', 2, `COMPRESSED declares ${declared} bytes, over the ${maxInflated}-byte limit`);
  }
  if (declared > compressed.length * MAX_DEFLATE_RATIO + 64) {
    throw new DecodeError('etf', 'bad_compressed', 2, `COMPRESSED declares ${declared} bytes, more than ${compressed.length} compressed bytes can hold`);
  }
  let out: Buffer;
  try {
    out = inflateSync(compressed, { maxOutputLength: declared });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DecodeError('etf', 'bad_compressed', 2, `COMPRESSED inflates to more than the declared ${declared} bytes`);
    }
    throw new DecodeError('etf', 'bad_compressed', 6, `COMPRESSED data is not a valid zlib stream (${(e as Error).message})`);
  }
  if (out.length !== declared) {
    throw new DecodeError('etf', 'bad_compressed', 2, `COMPRESSED inflates to ${out.length} bytes but declares ${declared}`);
  }
  return out;
}

const enum Frame {
  Tuple,
  List,
  ListTail,
  Map,
  Fun,
}

/** A container being filled. `items` collects elements (for maps: keys and values alternate). */
interface Pending {
  kind: Frame;
  /** Offset of the container's tag, for messages. */
  at: number;
  /** Elements still to read (maps: keys + values). */
  left: number;
  items: Term[];
  values: Term[] | null;
  fun: FunHead | null;
}

interface FunHead {
  sizeStart: number;
  size: number;
  arity: number;
  uniq: string;
  index: number;
  numFree: number;
  module: Atom;
  oldIndex: number;
  oldUniq: number;
  pid: Pid;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const EMPTY: Term[] = [];

/** A cursor over one term's bytes. Every read goes through `need`. */
class EtfReader {
  pos: number;
  readonly end: number;

  constructor(
    private readonly buf: Buffer,
    start: number,
    private readonly maxBig: number,
  ) {
    this.pos = start;
    this.end = buf.length;
  }

  /**
   * Fails unless `n` more bytes exist. Written as `n > end - pos` so it cannot overflow. `what` is a tag
   * (named only when failing, off the hot path) or a label.
   */
  private need(n: number, at: number, what: number | string): void {
    if (n > this.end - this.pos) {
      const left = this.end - this.pos;
      const name = typeof what === 'number' ? tagName(what) : what;
      throw new DecodeError('etf', 'truncated', at, `${name} at offset ${at} needs ${n} bytes, ${left} remain`);
    }
  }

  /** Fails unless `count` elements could still follow, each taking at least one byte (`bytes` in all). */
  private needElements(count: number, at: number, tag: number, bytes = count): void {
    if (bytes > this.end - this.pos) {
      const left = this.end - this.pos;
      throw new DecodeError(
        'etf',
        'truncated',
        at,
        `${tagName(tag)} at offset ${at} declares ${count} element${count === 1 ? '' : 's'}, ${left} byte${left === 1 ? '' : 's'} remain`,
      );
    }
  }

  private u8(): number {
    return this.buf[this.pos++]!;
  }
  private u16(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }
  private u32(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }
  private i32(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
  }

  /** Read one complete term. The loop reads a tag, then either yields a value or opens a container. */
  readTerm(): Term {
    const stack: Pending[] = [];
    let value: Term;
    for (;;) {
      const at = this.pos;
      this.need(1, at, 'a term');
      const tag = this.u8();
      switch (tag) {
        // SMALL_INTEGER_EXT: u8
        case Tag.SMALL_INTEGER:
          this.need(1, at, Tag.SMALL_INTEGER);
          value = this.u8();
          break;
        // INTEGER_EXT: i32
        case Tag.INTEGER:
          this.need(4, at, Tag.INTEGER);
          value = this.i32();
          break;
        // SMALL_BIG_EXT: n u8, sign u8, n digits
        case Tag.SMALL_BIG: {
          this.need(2, at, Tag.SMALL_BIG);
          const n = this.u8();
          value = this.big(n, at, tag);
          break;
        }
        // LARGE_BIG_EXT: n u32, sign u8, n digits
        case Tag.LARGE_BIG: {
          this.need(5, at, Tag.LARGE_BIG);
          const n = this.u32();
          value = this.big(n, at, tag);
          break;
        }
        // NEW_FLOAT_EXT: IEEE-754 binary64, big-endian
        case Tag.NEW_FLOAT:
          this.need(8, at, Tag.NEW_FLOAT);
          value = new Float(this.buf.readDoubleBE(this.pos));
          // Erlang has no NaN or infinity; binary_to_term refuses them, and so must we (JSON has none either).
          if (!Number.isFinite(value.value)) throw new DecodeError('etf', 'invalid', at, `NEW_FLOAT_EXT at offset ${at} is ${value.value}, not an Erlang float`);
          this.pos += 8;
          break;
        // FLOAT_EXT: 31 bytes of "%.20e" text, NUL padded
        case Tag.FLOAT:
          value = this.oldFloat(at);
          break;
        // ATOM_EXT, SMALL_ATOM_EXT, ATOM_UTF8_EXT, SMALL_ATOM_UTF8_EXT
        case Tag.ATOM:
        case Tag.SMALL_ATOM:
        case Tag.ATOM_UTF8:
        case Tag.SMALL_ATOM_UTF8:
          value = this.atomBody(tag, at);
          break;
        // SMALL_TUPLE_EXT: arity u8, elements · LARGE_TUPLE_EXT: arity u32, elements
        case Tag.SMALL_TUPLE:
        case Tag.LARGE_TUPLE: {
          const small = tag === Tag.SMALL_TUPLE;
          this.need(small ? 1 : 4, at, tag);
          const n = small ? this.u8() : this.u32();
          if (n === 0) {
            value = new Tuple([]);
            break;
          }
          this.needElements(n, at, tag);
          stack.push({ kind: Frame.Tuple, at, left: n, items: new Array<Term>(n), values: null, fun: null });
          continue;
        }
        // MAP_EXT: arity u32, arity × (key, value)
        case Tag.MAP: {
          this.need(4, at, Tag.MAP);
          const n = this.u32();
          if (n === 0) {
            value = new ErlMap([], []);
            break;
          }
          this.needElements(n, at, tag, n * 2);
          stack.push({ kind: Frame.Map, at, left: n * 2, items: new Array<Term>(n), values: new Array<Term>(n), fun: null });
          continue;
        }
        // NIL_EXT
        case Tag.NIL:
          value = [];
          break;
        // STRING_EXT: len u16, bytes (a list of small integers)
        case Tag.STRING: {
          this.need(2, at, Tag.STRING);
          const n = this.u16();
          this.need(n, at, Tag.STRING);
          value = new Charlist(this.buf.subarray(this.pos, this.pos + n));
          this.pos += n;
          break;
        }
        // LIST_EXT: len u32, elements, tail
        case Tag.LIST: {
          this.need(4, at, Tag.LIST);
          const n = this.u32();
          this.needElements(n, at, tag, n + 1);
          const top = stack[stack.length - 1];
          if (top !== undefined && top.kind === Frame.ListTail) {
            // A list as another list's tail is the same list, longer: keep one flat array (linear, not quadratic).
            top.kind = Frame.List;
            top.left = n;
            if (n === 0) top.kind = Frame.ListTail;
            continue;
          }
          stack.push({ kind: n === 0 ? Frame.ListTail : Frame.List, at, left: n, items: [], values: null, fun: null });
          continue;
        }
        // BINARY_EXT: len u32, bytes
        case Tag.BINARY: {
          this.need(4, at, Tag.BINARY);
          const n = this.u32();
          this.need(n, at, Tag.BINARY);
          value = new Uint8Array(this.buf.buffer, this.buf.byteOffset + this.pos, n);
          this.pos += n;
          break;
        }
        // BIT_BINARY_EXT: len u32, bits u8, bytes
        case Tag.BIT_BINARY:
          value = this.bitBinary(at);
          break;
        // NEW_PID_EXT / PID_EXT
        case Tag.NEW_PID:
        case Tag.PID:
          value = this.pidBody(tag, at);
          break;
        // NEW_PORT_EXT / PORT_EXT / V4_PORT_EXT
        case Tag.NEW_PORT:
        case Tag.PORT:
        case Tag.V4_PORT:
          value = this.portBody(tag, at);
          break;
        // NEWER_REFERENCE_EXT / NEW_REFERENCE_EXT / REFERENCE_EXT
        case Tag.NEWER_REFERENCE:
        case Tag.NEW_REFERENCE:
        case Tag.REFERENCE:
          value = this.referenceBody(tag, at);
          break;
        // EXPORT_EXT: module atom, function atom, arity small integer
        case Tag.EXPORT: {
          const module = this.atom('EXPORT_EXT module');
          const fun = this.atom('EXPORT_EXT function');
          const arityAt = this.pos;
          this.need(2, arityAt, 'EXPORT_EXT arity');
          if (this.u8() !== Tag.SMALL_INTEGER) {
            throw new DecodeError('etf', 'invalid', arityAt, `EXPORT_EXT at offset ${at}: arity must be a SMALL_INTEGER_EXT`);
          }
          value = new ExportFun(module, fun, this.u8());
          break;
        }
        // NEW_FUN_EXT: see funHead
        case Tag.NEW_FUN: {
          const head = this.funHead(at);
          if (head.numFree === 0) {
            value = this.finishFun(head, EMPTY, at);
            break;
          }
          stack.push({ kind: Frame.Fun, at, left: head.numFree, items: [], values: null, fun: head });
          continue;
        }
        // LOCAL_EXT: an undocumented encoding that runs to the end of the payload
        case Tag.LOCAL:
          if (stack.length !== 0 || at !== 1) {
            throw new DecodeError('etf', 'invalid', at, 'LOCAL_EXT inside a term: its length is not encoded, so the rest cannot be read');
          }
          value = new LocalTerm(this.buf.subarray(at, this.end));
          this.pos = this.end;
          break;
        case Tag.COMPRESSED:
          throw new DecodeError('etf', 'invalid', at, 'COMPRESSED is only allowed right after the version byte');
        default:
          throw new DecodeError('etf', 'unknown_tag', at, `unknown tag ${tag} (${tagName(tag)}) at offset ${at}`);
      }

      // Hand the finished value to the containers waiting for it, closing each one that completes.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return value;
        if (top.kind === Frame.ListTail) {
          stack.pop();
          value = closeList(top.items, value);
          continue;
        }
        if (top.kind === Frame.Map) {
          // Preallocated (the count was checked against the bytes left): pair i is filled key, then value.
          const i = top.items.length - ((top.left + 1) >> 1);
          if ((top.left & 1) === 0) top.items[i] = value;
          else top.values![i] = value;
        } else if (top.kind === Frame.Tuple) {
          top.items[top.items.length - top.left] = value;
        } else {
          top.items.push(value);
        }
        if (--top.left !== 0) break;
        if (top.kind === Frame.List) {
          top.kind = Frame.ListTail;
          break;
        }
        stack.pop();
        if (top.kind === Frame.Tuple) value = new Tuple(top.items);
        else if (top.kind === Frame.Map) value = new ErlMap(top.items, top.values!);
        else value = this.finishFun(top.fun!, top.items, top.at);
      }
    }
  }

  private big(n: number, at: number, tag: number): number | bigint {
    if (n > this.maxBig) {
      throw new DecodeError('etf', 'too_large', at, `${tagName(tag)} at offset ${at} has ${n} digit bytes, over the ${this.maxBig}-byte limit`);
    }
    this.need(1 + n, at, tag);
    const negative = this.u8() !== 0;
    const b = this.buf;
    const start = this.pos;
    this.pos += n;
    if (n <= 6) {
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + b[start + i]!;
      return negative && v !== 0 ? -v : v;
    }
    // Linear: hex text of the little-endian digits, most significant first, parsed once.
    let v = BigInt('0x' + Buffer.from(b.subarray(start, start + n)).reverse().toString('hex'));
    if (negative) v = -v;
    return v >= -0x1fffffffffffffn && v <= 0x1fffffffffffffn ? Number(v) : v;
  }

  private oldFloat(at: number): Float {
    this.need(31, at, Tag.FLOAT);
    const raw = this.buf.toString('latin1', this.pos, this.pos + 31);
    this.pos += 31;
    const nul = raw.indexOf('\0');
    const text = (nul === -1 ? raw : raw.slice(0, nul)).trim();
    const v = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(v)) {
      throw new DecodeError('etf', 'invalid', at, `FLOAT_EXT at offset ${at} holds ${JSON.stringify(text)}, not a finite float`);
    }
    return new Float(v);
  }

  /** The body of an atom whose tag byte has been read. */
  private atomBody(tag: number, at: number): Atom {
    const small = tag === Tag.SMALL_ATOM || tag === Tag.SMALL_ATOM_UTF8;
    this.need(small ? 1 : 2, at, tag);
    const n = small ? this.u8() : this.u16();
    this.need(n, at, tag);
    const start = this.pos;
    this.pos += n;
    const b = this.buf;
    const utf8Tag = tag === Tag.ATOM_UTF8 || tag === Tag.SMALL_ATOM_UTF8;
    // The slot from the length and three sampled bytes: cheap, and a hit is confirmed by comparing every byte,
    // which is then the only pass over the atom (its text and validity come with the cached atom).
    const slot = n === 0 ? 0 : (Math.imul(n, 0x9e3779b1) ^ Math.imul(b[start]!, 0x85ebca6b) ^ Math.imul(b[start + n - 1]!, 0xc2b2ae35) ^ Math.imul(b[start + (n >> 1)]!, 0x27d4eb2f) ^ (utf8Tag ? 1 : 0)) >>> (32 - ATOM_CACHE_BITS);
    const cached = atomCache[slot];
    if (cached !== undefined && cached.utf8 === utf8Tag && sameBytes(cached.bytes, b, start, n)) return cached.atom;
    let high = 0;
    for (let i = start; i < start + n; i++) high |= b[i]!;
    let atom: Atom;
    if (high < 0x80 || !utf8Tag) {
      atom = new Atom(latin1(b, start, start + n));
    } else {
      if (!isUtf8(b.subarray(start, start + n))) throw new DecodeError('etf', 'invalid', at, `${tagName(tag)} at offset ${at} is not valid UTF-8`);
      atom = new Atom(b.toString('utf8', start, start + n));
    }
    if (n <= ATOM_CACHE_MAX_BYTES) atomCache[slot] = { bytes: Uint8Array.prototype.slice.call(b, start, start + n), utf8: utf8Tag, atom };
    return atom;
  }

  /** An atom term in a fixed position (node names, fun modules). */
  private atom(what: string): Atom {
    const at = this.pos;
    this.need(1, at, what);
    const tag = this.u8();
    if (tag !== Tag.ATOM && tag !== Tag.SMALL_ATOM && tag !== Tag.ATOM_UTF8 && tag !== Tag.SMALL_ATOM_UTF8) {
      throw new DecodeError('etf', 'invalid', at, `${what} at offset ${at} must be an atom, found ${tagName(tag)}`);
    }
    return this.atomBody(tag, at);
  }

  private smallOrInt(what: string): number {
    const at = this.pos;
    this.need(1, at, what);
    const tag = this.u8();
    if (tag === Tag.SMALL_INTEGER) {
      this.need(1, at, what);
      return this.u8();
    }
    if (tag === Tag.INTEGER) {
      this.need(4, at, what);
      return this.i32();
    }
    throw new DecodeError('etf', 'invalid', at, `${what} at offset ${at} must be an integer, found ${tagName(tag)}`);
  }

  private pid(what: string): Pid {
    const at = this.pos;
    this.need(1, at, what);
    const tag = this.u8();
    if (tag !== Tag.NEW_PID && tag !== Tag.PID) {
      throw new DecodeError('etf', 'invalid', at, `${what} at offset ${at} must be a pid, found ${tagName(tag)}`);
    }
    return this.pidBody(tag, at);
  }

  // NEW_PID_EXT: Node, ID u32, Serial u32, Creation u32 · PID_EXT: … Creation u8
  private pidBody(tag: number, at: number): Pid {
    const node = this.atom(`${tagName(tag)} node`);
    const wide = tag === Tag.NEW_PID;
    this.need(wide ? 12 : 9, at, tagName(tag));
    const id = this.u32();
    const serial = this.u32();
    return new Pid(node, id, serial, wide ? this.u32() : this.u8());
  }

  // NEW_PORT_EXT: Node, ID u32, Creation u32 · PORT_EXT: … Creation u8 · V4_PORT_EXT: Node, ID u64, Creation u32
  private portBody(tag: number, at: number): Port {
    const node = this.atom(`${tagName(tag)} node`);
    if (tag === Tag.V4_PORT) {
      this.need(12, at, tagName(tag));
      const hi = this.u32();
      const lo = this.u32();
      const id = hi < 0x200000 ? hi * 0x100000000 + lo : (BigInt(hi) << 32n) | BigInt(lo);
      return new Port(node, id, this.u32());
    }
    const wide = tag === Tag.NEW_PORT;
    this.need(wide ? 8 : 5, at, tagName(tag));
    const id = this.u32();
    return new Port(node, id, wide ? this.u32() : this.u8());
  }

  // NEWER_REFERENCE_EXT: Len u16, Node, Creation u32, Len × u32 · NEW_REFERENCE_EXT: … Creation u8 ·
  // REFERENCE_EXT: Node, ID u32, Creation u8
  private referenceBody(tag: number, at: number): Reference {
    if (tag === Tag.REFERENCE) {
      const node = this.atom('REFERENCE_EXT node');
      this.need(5, at, 'REFERENCE_EXT');
      const id = this.u32();
      return new Reference(node, this.u8(), [id]);
    }
    this.need(2, at, tagName(tag));
    const len = this.u16();
    if (len === 0 || len > 5) {
      throw new DecodeError('etf', 'invalid', at, `${tagName(tag)} at offset ${at} has ${len} id words (1 to 5 are valid)`);
    }
    const node = this.atom(`${tagName(tag)} node`);
    const wide = tag === Tag.NEWER_REFERENCE;
    this.need((wide ? 4 : 1) + 4 * len, at, tagName(tag));
    const creation = wide ? this.u32() : this.u8();
    const ids: number[] = [];
    for (let i = 0; i < len; i++) ids.push(this.u32());
    return new Reference(node, creation, ids);
  }

  // BIT_BINARY_EXT: Len u32, Bits u8 (used bits of the last byte, 1..8; 0 only when Len is 0), Data
  private bitBinary(at: number): Uint8Array | BitBinary {
    this.need(5, at, Tag.BIT_BINARY);
    const n = this.u32();
    const bits = this.u8();
    if (bits > 8 || (bits === 0) !== (n === 0)) {
      throw new DecodeError('etf', 'invalid', at, `BIT_BINARY_EXT at offset ${at} has ${n} bytes with ${bits} bits used in the last`);
    }
    this.need(n, at, Tag.BIT_BINARY);
    const data = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    if (bits === 8 || n === 0) return data;
    // Keep the value canonical: the unused low bits of the last byte are not part of it.
    const copy = Uint8Array.from(data);
    copy[n - 1] = copy[n - 1]! & ((0xff << (8 - bits)) & 0xff);
    return new BitBinary(copy, bits);
  }

  // NEW_FUN_EXT: Size u32, Arity u8, Uniq 16 bytes, Index u32, NumFree u32, Module, OldIndex, OldUniq, Pid, Free vars
  // Reads everything before the free variables.
  private funHead(at: number): FunHead {
    this.need(29, at, 'NEW_FUN_EXT');
    const sizeStart = this.pos;
    const size = this.u32();
    const arity = this.u8();
    let uniq = '';
    for (let i = 0; i < 16; i++) uniq += HEX[this.u8()]!;
    const index = this.u32();
    const numFree = this.u32();
    this.needElements(numFree, at, Tag.NEW_FUN);
    const module = this.atom('NEW_FUN_EXT module');
    const oldIndex = this.smallOrInt('NEW_FUN_EXT OldIndex');
    const oldUniq = this.smallOrInt('NEW_FUN_EXT OldUniq');
    const pid = this.pid('NEW_FUN_EXT Pid');
    return { sizeStart, size, arity, uniq, index, numFree, module, oldIndex, oldUniq, pid };
  }

  /** Completes a fun once its free variables are read, checking the declared Size. */
  private finishFun(head: FunHead, free: Term[], at: number): Fun {
    if (this.pos - head.sizeStart !== head.size) {
      throw new DecodeError('etf', 'invalid', at, `NEW_FUN_EXT at offset ${at} declares ${head.size} bytes but holds ${this.pos - head.sizeStart}`);
    }
    return new Fun(head.module, head.arity, head.uniq, head.index, head.oldIndex, head.oldUniq, head.pid, free);
  }
}


/**
 * Atoms repeat in every message (`:except`, struct names, keys), so the last atom seen in each of a fixed
 * number of slots is kept: bounded by construction (slots × max bytes), and atoms are immutable values.
 * A hostile payload can only make it miss.
 */
const ATOM_CACHE_BITS = 10;
const ATOM_CACHE_SLOTS = 1 << ATOM_CACHE_BITS;
const ATOM_CACHE_MAX_BYTES = 64;
const atomCache: Array<{ bytes: Uint8Array; utf8: boolean; atom: Atom } | undefined> = new Array(ATOM_CACHE_SLOTS);

function sameBytes(a: Uint8Array, b: Uint8Array, start: number, n: number): boolean {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[start + i]) return false;
  return true;
}

/** Latin-1 text; short atoms (the common case) skip Buffer#toString's argument handling. */
function latin1(b: Buffer, start: number, end: number): string {
  if (end - start > 24) return b.toString('latin1', start, end);
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** `[items | tail]` in canonical form: a proper tail extends the array; `[] ++ tail` is the tail. */
function closeList(items: Term[], tail: Term): Term {
  if (Array.isArray(tail)) {
    // Only NIL gets here as an array (a LIST tail is merged while reading), so `tail` is [].
    for (const t of tail) items.push(t);
    return items;
  }
  if (items.length === 0) return tail;
  if (tail instanceof Charlist) {
    for (const b of tail.bytes) items.push(b);
    return items;
  }
  return new ImproperList(items, tail);
}
