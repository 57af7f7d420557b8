/**
 * The cluster hash slot of a key or shard channel, as Redis computes it (cluster spec, "Keys
 * distribution model"): CRC16-XMODEM of the name, or of its hash tag, modulo 16384.
 */

export const SLOT_COUNT = 16384;

/** CRC16-CCITT/XMODEM (polynomial 0x1021, initial value 0), one table entry per byte value. */
const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] ?? 0);
  return crc;
}

/**
 * The slot of `name` (its UTF-8 bytes). When the name holds `{…}` with at least one byte between
 * the first `{` and the first `}` after it, only those bytes are hashed, so `{user1}.a` and
 * `{user1}.b` share a slot.
 */
export function keySlot(name: string | Uint8Array): number {
  const bytes = typeof name === 'string' ? Buffer.from(name, 'utf8') : name;
  const open = bytes.indexOf(0x7b); // {
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1); // }
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) % SLOT_COUNT;
  }
  return crc16(bytes) % SLOT_COUNT;
}
