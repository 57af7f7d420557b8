import { describe, expect, it } from 'vitest';
import { dropLine, dropRecord, gapLine, gapRecord, seconds } from '../../src/render/streamMarkers.js';
import { uiStyles } from '../../src/render/palette.js';
import { clock } from '../../src/render/view.js';

const plain = uiStyles(false);
const at = (iso: string) => Date.parse(iso);
const gap = { from: at('2026-01-02T12:00:01.234Z'), to: at('2026-01-02T12:00:03.456Z'), reason: 'closed by the server' };
const drop = { count: 1234, bytes: 1_234_000, total: 5678, from: at('2026-01-02T12:00:01.234Z'), to: at('2026-01-02T12:00:01.900Z') };

describe('gap and drop records', () => {
  it('have a fixed shape and field order', () => {
    expect(gapRecord(gap)).toBe('{"type":"gap","from":"2026-01-02T12:00:01.234Z","to":"2026-01-02T12:00:03.456Z","ms":2222,"reason":"closed by the server"}');
    expect(dropRecord(drop)).toBe('{"type":"drop","count":1234,"bytes":1234000,"total":5678,"from":"2026-01-02T12:00:01.234Z","to":"2026-01-02T12:00:01.900Z"}');
  });

  it('pretty: one line each, times on the local clock, dim when coloured', () => {
    const [a, b, c] = [gap.from, gap.to, drop.to].map((ms) => clock(new Date(ms)));
    expect(gapLine(gap, plain)).toBe(`── gap ${a} → ${b} (2.2 s, closed by the server): messages published meanwhile are lost ──`);
    expect(dropLine(drop, plain)).toBe(`── 1234 messages dropped ${a} → ${c}: output too slow (5678 in all) ──`);
    expect(dropLine({ ...drop, count: 1, to: drop.from }, plain)).toBe(`── 1 message dropped ${a}: output too slow (5678 in all) ──`);
    expect(gapLine(gap, uiStyles(true))).toMatch(/^\u001b\[2m── gap .* ──\u001b\[22m$/);
  });

  it('a reason with control characters stays on one line', () => {
    expect(gapLine({ ...gap, reason: 'bad\nthing\u001b[31m' }, plain)).not.toMatch(/[\n\u001b]/);
  });

  it('seconds', () => {
    expect([seconds(350), seconds(2222), seconds(12_345)]).toEqual(['0.35 s', '2.2 s', '12 s']);
  });
});
