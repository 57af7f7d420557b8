/**
 * A hex dump in the layout of `xxd`: offset, 16 bytes as 8 groups of 2, then the bytes as ASCII
 * (non-printable as `.`). `start`/`end` select a window; offsets stay those of the whole payload.
 */
export function hexdump(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const lines: string[] = [];
  const from = Math.max(0, start - (start % 16));
  const to = Math.min(bytes.length, end);
  for (let off = from; off < to; off += 16) {
    let hex = '';
    let ascii = '';
    for (let i = 0; i < 16; i++) {
      const p = off + i;
      if (p < to) {
        const b = bytes[p]!;
        hex += b.toString(16).padStart(2, '0');
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        hex += '  ';
      }
      if (i % 2 === 1) hex += ' ';
    }
    lines.push(`${off.toString(16).padStart(8, '0')}: ${hex} ${ascii}`);
  }
  return lines.join('\n');
}

/** Hex of the first `max` bytes, space-separated pairs, with `…` when cut. For one-line error records. */
export function hexHead(bytes: Uint8Array, max = 32): string {
  const n = Math.min(bytes.length, max);
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? ' ' : '') + bytes[i]!.toString(16).padStart(2, '0');
  return bytes.length > max ? `${s} …` : s;
}
