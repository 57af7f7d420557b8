import type { UiStyles } from './palette.js';
import { jsonSafe } from './text.js';

/**
 * Re-layout of JSON text that is already known to be valid (it passed JSON.parse), working on the text
 * so that big numbers keep their digits and objects keep their key order and duplicates — what JSON.parse
 * would lose. Linear and non-recursive, whatever the nesting.
 */

type Token = { kind: 'punct'; text: '{' | '}' | '[' | ']' | ':' | ',' } | { kind: 'string' | 'number' | 'literal'; text: string };

function* tokens(text: string): Generator<Token> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\ufeff') {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      yield { kind: 'string', text: jsonSafe(text.slice(i, j + 1)) };
      i = j + 1;
    } else if (c === '{' || c === '}' || c === '[' || c === ']' || c === ':' || c === ',') {
      yield { kind: 'punct', text: c };
      i++;
    } else {
      let j = i;
      while (j < n && /[-+.0-9eEa-z]/.test(text[j]!)) j++;
      yield { kind: c === 't' || c === 'f' || c === 'n' ? 'literal' : 'number', text: text.slice(i, j) };
      i = j;
    }
  }
}

/** The JSON text on one line, without insignificant whitespace. */
export function minifyJson(text: string): string {
  let out = '';
  for (const t of tokens(text)) out += t.text;
  return out;
}

/** The JSON text indented the way `jq` shows it (2 spaces, `{}`/`[]` for empty), coloured by `ui`. */
export function prettyJson(text: string, ui: UiStyles): string {
  const parts: string[] = [];
  let depth = 0;
  let pendingOpen: string | undefined;
  // Whether the next string is an object key: tracked per open container.
  const inObject: boolean[] = [];
  let expectKey = false;
  const newline = () => '\n' + '  '.repeat(depth);
  for (const t of tokens(text)) {
    if (pendingOpen !== undefined) {
      if ((pendingOpen === '{' && t.text === '}') || (pendingOpen === '[' && t.text === ']')) {
        parts.push(pendingOpen + t.text);
        pendingOpen = undefined;
        depth--;
        inObject.pop();
        expectKey = false;
        continue;
      }
      parts.push(pendingOpen, newline());
      pendingOpen = undefined;
    }
    if (t.kind === 'punct') {
      switch (t.text) {
        case '{':
        case '[':
          depth++;
          inObject.push(t.text === '{');
          expectKey = t.text === '{';
          pendingOpen = t.text;
          break;
        case '}':
        case ']':
          depth--;
          inObject.pop();
          parts.push(newline(), t.text);
          break;
        case ':':
          parts.push(': ');
          expectKey = false;
          break;
        case ',':
          parts.push(',', newline());
          expectKey = inObject[inObject.length - 1] === true;
          break;
      }
    } else if (t.kind === 'string') {
      parts.push(expectKey ? ui.key(t.text) : ui.string(t.text));
    } else if (t.kind === 'number') {
      parts.push(ui.number(t.text));
    } else {
      parts.push(ui.literal(t.text));
    }
  }
  if (pendingOpen !== undefined) parts.push(pendingOpen);
  return parts.join('');
}
