import { Decoder, ExtensionCodec, decodeTimestampToTimeSpec, type ExtData } from '@msgpack/msgpack';
import { DecodeError } from './DecodeError.js';

/**
 * MessagePack, through @msgpack/msgpack (the only module that imports it).
 *
 * The value model: `null`, booleans, numbers (floats and integers that fit ±2^53), `bigint` (64-bit
 * integers beyond that, exact), strings, `Uint8Array` (bin), arrays, {@link MsgpackMap}, {@link MsgpackExt}.
 */
export type MsgpackValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | MsgpackValue[]
  | MsgpackMap
  | MsgpackExt;

/** A map in wire order with typed keys (the library gives objects, which would reorder and stringify keys). */
export class MsgpackMap {
  constructor(
    readonly keys: MsgpackValue[],
    readonly values: MsgpackValue[],
  ) {}
}

/** An extension value: its type number and bytes; for the timestamp type (−1), the decoded time too. */
export class MsgpackExt {
  constructor(
    readonly type: number,
    readonly data: Uint8Array,
    readonly timestamp?: { readonly sec: number | bigint; readonly nsec: number },
  ) {}
}

/**
 * Keys arrive one at a time through `mapKeyConverter`; each becomes a token string that cannot look like an
 * array index (so the object keeps insertion order) and that remembers the original key.
 */
const KEY_MARK = '\u0001';
const keyStore: MsgpackValue[] = [];

function keyToken(key: unknown): string {
  keyStore.push(key as MsgpackValue);
  return KEY_MARK + (keyStore.length - 1);
}

const extensionCodec = new ExtensionCodec();
// Keep the timestamp as an extension (type shown), with its time decoded when the bytes allow.
extensionCodec.register({
  type: -1,
  encode: () => null,
  decode: (data: Uint8Array) => {
    let ts: { sec: number; nsec: number } | undefined;
    try {
      ts = decodeTimestampToTimeSpec(data);
    } catch {
      ts = undefined;
    }
    return ts ? new MsgpackExt(-1, data, ts) : new MsgpackExt(-1, data);
  },
});

/**
 * Decoders by size class: limits are the smallest power of two ≥ the payload length, so no declared length
 * can make the library allocate more than twice what the payload paid for. At most 33 decoders.
 */
const decoders = new Map<number, Decoder>();

function decoderFor(length: number): Decoder {
  let cls = 16;
  while (cls < length) cls *= 2;
  let d = decoders.get(cls);
  if (d === undefined) {
    d = new Decoder({
      extensionCodec,
      useBigInt64: true,
      maxStrLength: cls,
      maxBinLength: cls,
      maxArrayLength: cls,
      maxMapLength: cls,
      maxExtLength: cls,
      mapKeyConverter: keyToken,
    });
    decoders.set(cls, d);
  }
  return d;
}

/**
 * Decode exactly one MessagePack value filling `bytes`.
 * @throws {DecodeError} (format `msgpack`) on malformed input, trailing bytes, or a `__proto__` map key
 *   (the library refuses that key; the message says so).
 */
export function decodeMsgpack(bytes: Uint8Array): MsgpackValue {
  const decoder = decoderFor(bytes.length);
  keyStore.length = 0;
  let raw: unknown;
  try {
    raw = decoder.decode(bytes);
  } catch (e) {
    keyStore.length = 0;
    throw toDecodeError(e, decoder, bytes.length);
  }
  try {
    return rebuild(raw);
  } finally {
    keyStore.length = 0;
  }
}

function toDecodeError(e: unknown, decoder: Decoder, length: number): DecodeError {
  const message = e instanceof Error ? e.message : String(e);
  // The library keeps its cursor in `pos`; it is the best offset there is.
  const pos = (decoder as unknown as { pos?: number }).pos ?? 0;
  if (/^Extra (\d+)/.test(message)) {
    return new DecodeError('msgpack', 'trailing_bytes', pos, `the value ends here but ${length - pos} more bytes follow`);
  }
  if (/Insufficient data|outside the bounds/.test(message)) return new DecodeError('msgpack', 'truncated', pos, 'the payload ends inside a value');
  if (/Max length exceeded/.test(message)) return new DecodeError('msgpack', 'truncated', pos, `${message.replace(/^Max length exceeded: /, '')}: longer than the payload`);
  if (/__proto__/.test(message)) return new DecodeError('msgpack', 'invalid', pos, 'a map has the key "__proto__", which @msgpack/msgpack refuses');
  return new DecodeError('msgpack', 'invalid', pos, message);
}

/**
 * Turn the library's output into the value model: objects with token keys become MsgpackMap, ExtData
 * becomes MsgpackExt. Iterative, since the library itself decodes arbitrarily deep input.
 */
function rebuild(root: unknown): MsgpackValue {
  const fix = (v: unknown): { value: MsgpackValue; children: Array<[unknown, (x: MsgpackValue) => void]> } => {
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof MsgpackExt) {
      return { value: v as MsgpackValue, children: [] };
    }
    if (Array.isArray(v)) {
      const out: MsgpackValue[] = new Array<MsgpackValue>(v.length);
      return { value: out, children: v.map((c, i) => [c, (x: MsgpackValue) => void (out[i] = x)]) };
    }
    if (isExtData(v)) return { value: new MsgpackExt(v.type, v.data as Uint8Array), children: [] };
    const obj = v as Record<string, unknown>;
    const names = Object.keys(obj);
    const m = new MsgpackMap(new Array<MsgpackValue>(names.length), new Array<MsgpackValue>(names.length));
    const children: Array<[unknown, (x: MsgpackValue) => void]> = [];
    names.forEach((name, i) => {
      const key = name.startsWith(KEY_MARK) ? keyStore[Number(name.slice(1))] : name;
      children.push([key, (x) => void (m.keys[i] = x)]);
      children.push([obj[name], (x) => void (m.values[i] = x)]);
    });
    return { value: m, children };
  };
  const top = fix(root);
  const work = [...top.children];
  while (work.length > 0) {
    const [raw, set] = work.pop()!;
    const r = fix(raw);
    set(r.value);
    for (const c of r.children) work.push(c);
  }
  return top.value;
}

function isExtData(v: object): v is ExtData {
  return 'type' in v && 'data' in v && (v as ExtData).data instanceof Uint8Array && typeof (v as ExtData).type === 'number';
}
