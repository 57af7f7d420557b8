/**
 * Float text as the BEAM writes it (one place for both printers).
 *
 * - {@link formatFloat}: `float_to_list(F, [short])` (OTP 25+; also what `io_lib_format:fwrite_g/1` returns):
 *   the shortest digits that read back to the same double (Ryu), laid out by the BEAM's modified MS-STL
 *   `to_chars` (erts/emulator/ryu/to_chars.h): `0.0001` but `1.0e-5`, `100.0` but `1.0e3`, `12340.0` but
 *   `1.234e5`, `9007199254740991.0` but `9.007199254740992e15` from 2^53 up.
 * - {@link inspectFloat}: Elixir 1.14's `Inspect.Float`: integral values with 1 ≤ |x| < 1e16 print every
 *   digit (`1.0e15` → `1000000000000000.0`); everything else as `formatFloat`.
 *
 * The digits come from `Number.prototype.toExponential()`, which ECMAScript defines as the shortest
 * round-trip digit string (closest, ties to even) — the digits Ryu produces. Checked against 5,679 values
 * printed by OTP 25 / Elixir 1.14 (test/render/float.test.ts).
 */

/** `float_to_list(value, [short])`. (NaN and ±Infinity do not exist in Erlang; they print as JS does.) */
export function formatFloat(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  if (!Number.isFinite(value)) return String(value);
  const sign = value < 0 ? '-' : '';
  const exp = Math.abs(value).toExponential(); // "d.ddde+x"
  const ePos = exp.indexOf('e');
  const digits = exp.slice(0, ePos).replace('.', '');
  const sciExp = Number(exp.slice(ePos + 1));
  const olength = digits.length;
  const ryuExp = sciExp - (olength - 1);

  // to_chars.h: the exponent window in which fixed notation is used.
  let lower: number;
  let upper: number;
  if (olength === 1) {
    lower = -4;
    upper = 2;
  } else if (sciExp >= 10) {
    lower = -(olength + 2);
    upper = 2;
  } else {
    lower = -(olength + 2);
    upper = 1;
  }
  let fixed = lower <= ryuExp && ryuExp <= upper;
  if (fixed) {
    // From 2^53 on, integers print in scientific notation to show they may have lost precision.
    const out = Number(digits);
    if (
      (ryuExp === 0 && out >= 2 ** 53) ||
      (ryuExp === 1 && out > Math.floor(2 ** 52 / 5)) ||
      (ryuExp === 2 && out > Math.floor(2 ** 51 / 25))
    ) {
      fixed = false;
    }
  }

  if (fixed) {
    const whole = olength + ryuExp;
    if (ryuExp >= 0) return sign + digits + '0'.repeat(ryuExp) + '.0';
    if (whole > 0) return sign + digits.slice(0, whole) + '.' + digits.slice(whole);
    return sign + '0.' + '0'.repeat(-whole) + digits;
  }
  const mantissa = olength === 1 ? digits + '.0' : digits[0] + '.' + digits.slice(1);
  return sign + mantissa + 'e' + String(sciExp);
}

/** Elixir 1.14 `Inspect.Float.inspect/2`, without colour. */
export function inspectFloat(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1.0 && abs < 1.0e16 && Number.isInteger(value)) {
    return (value < 0 ? '-' : '') + BigInt(abs).toString() + '.0';
  }
  return formatFloat(value);
}
