// Seeded mutations of payload bytes, shared by the fuzz test (npm test, a few thousand cases) and the long
// fuzz run (bench/fuzz.mjs, a million or more). Plain JS so the bench can import it without a build step.

/** mulberry32: a small, fast, seeded PRNG. Returns floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING_U32 = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
// Tags the decoder knows, so mutations reach deep code paths rather than stopping at `unknown_tag`.
const TAGS = [70, 77, 80, 88, 89, 90, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 118, 119, 120, 121];

/**
 * One mutated copy of `input`: 1–4 of byte set, bit flip, truncation, insertion, deletion, a 32-bit or 16-bit
 * length-field overwrite with an edge value (or the true length ± 1), a tag swap, a chunk duplication.
 * Byte 0 (the version) is mutated rarely, so most cases get past the version check.
 */
export function mutate(input, rand) {
  let b = Uint8Array.from(input);
  const int = (n) => Math.floor(rand() * n);
  const pos = () => (b.length <= 1 ? 0 : 1 + int(b.length - 1));
  const rounds = 1 + int(4);
  for (let r = 0; r < rounds; r++) {
    switch (int(9)) {
      case 0: // set a byte
        if (b.length) b[rand() < 0.02 ? 0 : pos()] = int(256);
        break;
      case 1: // flip a bit
        if (b.length) b[pos()] ^= 1 << int(8);
        break;
      case 2: // truncate
        b = b.subarray(0, int(b.length + 1));
        break;
      case 3: { // insert random bytes
        const at = pos();
        const ins = Uint8Array.from({ length: 1 + int(8) }, () => int(256));
        b = concat(b.subarray(0, at), ins, b.subarray(at));
        break;
      }
      case 4: { // delete a range
        const at = pos();
        b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(8))));
        break;
      }
      case 5: { // overwrite a 32-bit length field
        if (b.length < 5) break;
        const at = pos() % (b.length - 4);
        const v = rand() < 0.7 ? INTERESTING_U32[int(INTERESTING_U32.length)] : b.length - at + int(3) - 1;
        new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v >>> 0);
        break;
      }
      case 6: { // overwrite a 16-bit length field
        if (b.length < 3) break;
        const at = pos() % (b.length - 2);
        new DataView(b.buffer, b.byteOffset, b.byteLength).setUint16(at, [0, 1, 0xff, 0x100, 0xffff][int(5)]);
        break;
      }
      case 7: // swap in a known tag
        if (b.length) b[pos()] = TAGS[int(TAGS.length)];
        break;
      case 8: { // duplicate a chunk
        const at = pos();
        const len = 1 + int(16);
        b = concat(b.subarray(0, at), b.subarray(at, at + len), b.subarray(at));
        break;
      }
    }
  }
  return b;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
