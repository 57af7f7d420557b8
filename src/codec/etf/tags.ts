/**
 * ETF tags, in the order of erts/doc/guides/erl_ext_dist.md ("External Term Format").
 * Only what `term_to_binary/1,2` can produce is decoded; the rest is listed so an error can name it.
 */
export const VERSION = 131;

export const Tag = {
  /** 8-byte IEEE-754 float, big-endian. */
  NEW_FLOAT: 70,
  /** Len u32, Bits u8, Data: a bitstring whose last byte uses `Bits` (1..8) bits. */
  BIT_BINARY: 77,
  /** UncompressedSize u32, zlib stream of a term without the version byte. Top level only. */
  COMPRESSED: 80,
  /** Node atom, ID u32, Serial u32, Creation u32. */
  NEW_PID: 88,
  /** Node atom, ID u32, Creation u32. */
  NEW_PORT: 89,
  /** Len u16, Node atom, Creation u32, Len × ID u32. */
  NEWER_REFERENCE: 90,
  /** u8. */
  SMALL_INTEGER: 97,
  /** i32 big-endian. */
  INTEGER: 98,
  /** 31-byte "%.20e" text (deprecated; `minor_version: 0`). */
  FLOAT: 99,
  /** Len u16, Latin-1 text (deprecated for UTF-8 atoms). */
  ATOM: 100,
  /** Node atom, ID u32, Creation u8 (deprecated). */
  REFERENCE: 101,
  /** Node atom, ID u32, Creation u8 (deprecated). */
  PORT: 102,
  /** Node atom, ID u32, Serial u32, Creation u8 (deprecated). */
  PID: 103,
  /** Arity u8, elements. */
  SMALL_TUPLE: 104,
  /** Arity u32, elements. */
  LARGE_TUPLE: 105,
  /** The empty list. */
  NIL: 106,
  /** Len u16, bytes: a list of small integers. */
  STRING: 107,
  /** Len u32, elements, tail. */
  LIST: 108,
  /** Len u32, bytes. */
  BINARY: 109,
  /** n u8, Sign u8, n little-endian digit bytes. */
  SMALL_BIG: 110,
  /** n u32, Sign u8, n little-endian digit bytes. */
  LARGE_BIG: 111,
  /** Size u32, Arity u8, Uniq 16 B, Index u32, NumFree u32, Module, OldIndex, OldUniq, Pid, free vars. */
  NEW_FUN: 112,
  /** Module atom, Function atom, Arity small integer. */
  EXPORT: 113,
  /** Len u16, Node atom, Creation u8, Len × ID u32 (deprecated). */
  NEW_REFERENCE: 114,
  /** Len u8, Latin-1 text (deprecated for UTF-8 atoms). */
  SMALL_ATOM: 115,
  /** Arity u32, Arity × (key, value). */
  MAP: 116,
  /** Len u16, UTF-8 text. */
  ATOM_UTF8: 118,
  /** Len u8, UTF-8 text. */
  SMALL_ATOM_UTF8: 119,
  /** Node atom, ID u64, Creation u32. */
  V4_PORT: 120,
  /** Opaque, produced only with the `local` option (OTP 26+). */
  LOCAL: 121,
} as const;

/** Tags that exist but never appear in `term_to_binary` output; named in errors. */
const FOREIGN: Record<number, string> = {
  68: 'DIST_HEADER (distribution only)',
  69: 'DIST_FRAG_HEADER (distribution only)',
  82: 'ATOM_CACHE_REF (distribution only)',
  117: 'FUN_EXT (removed in OTP 23)',
};

const NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(Tag).map(([name, tag]) => [tag, `${name}_EXT`]),
);

/** A human name for a tag byte, for error messages. */
export function tagName(tag: number): string {
  return NAMES[tag] ?? FOREIGN[tag] ?? `tag ${tag}`;
}
