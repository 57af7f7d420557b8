import { IEX_PALETTE, colorEnabled, uiStyles } from '../render/palette.js';
import { analyze, errorDump, toPretty, toRecord } from '../render/view.js';
import { safeLine } from '../render/text.js';
import type { DecodeOptions } from './program.js';
import type { Io } from './io.js';
import { decodeInput, readInput } from './input.js';
import { ExitCode } from './exitCodes.js';

/** `redis-print decode [FILE]`: one payload in, its decoded form out. Exit 0, or 1 when it does not decode. */
export async function runDecode(o: DecodeOptions, io: Io): Promise<number> {
  const bytes = decodeInput(await readInput(o.file, io.stdin), o.input);
  const view = analyze(bytes, o.format, o.envelope);
  const color = colorEnabled(o.color, io.env, io.stdout.isTTY === true);
  if (o.json) io.stdout.write(toRecord(view, {}, false) + '\n');
  if (!view.outcome.ok) {
    const { format, error } = view.outcome;
    io.stderr.write(`redis-print: cannot decode as ${format}: ${error.code} at offset ${error.offset}: ${safeLine(error.detail)}\n`);
    io.stderr.write(errorDump(bytes, error.offset) + '\n');
    return ExitCode.DECODE_FAILED;
  }
  if (!o.json) {
    const ui = uiStyles(color);
    io.stdout.write(toPretty(view, {}, { width: o.width, charlists: o.charlists, palette: color ? IEX_PALETTE : undefined, ui }, true) + '\n');
  }
  return ExitCode.OK;
}
