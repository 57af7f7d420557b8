import { describe, expect, it } from 'vitest';
import { decodeEtf } from '../../src/codec/etf/decode.js';
import { Charlist, ErlMap, ImproperList, Tuple, type Term } from '../../src/codec/etf/term.js';
import { inspectTerm } from '../../src/render/inspect.js';
import { fixtureBytes, inspectText, loadInspectMeta, type InspectText } from '../fixtures/etf/corpus.js';

// Every text in test/fixtures/etf was printed by Elixir 1.14.0 on OTP 25 (see its README). Our output must be
// identical byte for byte, with two inputs the bytes cannot carry:
// - charlists: Elixir 1.14 printed '…', so these run with charlists: 'quotes';
// - the node numbers that VM gave foreign nodes (inspect.meta.json vm_nodes), passed as nodeNumber.
// Maps of more than 32 keys (large_map) Elixir printed in its own VM's hash order, which the wire does not
// carry (for atom keys it follows that VM's atom table); those compare modulo the order of their lines.
const meta = loadInspectMeta();

function render(t: InspectText, charlists: 'quotes' | 'sigil'): string {
  return inspectTerm(decodeEtf(fixtureBytes(t.name)), {
    width: t.width,
    charlists,
    nodeNumber: (node) => t.vm_nodes[node],
  });
}

/** Lines without their trailing comma, sorted: the same multiset means "the same modulo entry order". */
function unordered(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/,$/, ''))
    .sort();
}

describe('inspectTerm matches Elixir 1.14 on every fixture text', () => {
  it('has texts to check', () => {
    expect(meta.texts.length).toBeGreaterThan(300);
  });

  it.each(meta.texts.map((t) => [t.file, t] as const))('%s', (_file, t) => {
    const expected = inspectText(t);
    const got = render(t, 'quotes');
    if (t.large_map) expect(unordered(got)).toEqual(unordered(expected));
    else expect(got).toBe(expected);
  });
});

describe('the ~c sigil form (Elixir ≥ 1.15)', () => {
  // Only charlists print differently (and, being 2 columns wider, may move line breaks), so every text of a
  // term without a printable charlist must come out the same; inspect.test.ts checks the sigil itself.
  const withoutCharlists = meta.texts.filter((t) => !t.large_map && !hasPrintableCharlist(decodeEtf(fixtureBytes(t.name))));

  it('leaves most texts alone', () => {
    expect(withoutCharlists.length).toBeGreaterThan(300);
  });

  it.each(withoutCharlists.map((t) => [t.file, t] as const))('%s', (_file, t) => {
    expect(render(t, 'sigil')).toBe(inspectText(t));
  });
});

function hasPrintableCharlist(term: Term): boolean {
  const stack: Term[] = [term];
  while (stack.length > 0) {
    const t = stack.pop() as Term;
    if (t instanceof Charlist) {
      if (t.bytes.length > 0 && t.bytes.every((b) => (b >= 32 && b <= 126) || (b >= 7 && b <= 13) || b === 27)) return true;
    } else if (Array.isArray(t)) {
      if (t.length > 0 && t.every((x) => typeof x === 'number' && ((x >= 32 && x <= 126) || (x >= 7 && x <= 13) || x === 27))) {
        return true;
      }
      stack.push(...t);
    } else if (t instanceof Tuple) stack.push(...t.items);
    else if (t instanceof ImproperList) stack.push(...t.items, t.tail);
    else if (t instanceof ErlMap) stack.push(...t.keys, ...t.values);
  }
  return false;
}
