/**
 * Redis-style globs (the rules of PSUBSCRIBE and `stringmatchlen`): `*` any run, `?` one character,
 * `[abc]`, `[^a]`/`[!a]`, `[a-z]` classes, `\x` a literal x. Compiled once to a RegExp.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '\\' && i + 1 < glob.length) re += escape(glob[++i]!);
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      let negate = '';
      if (body[0] === '^' || body[0] === '!') {
        negate = '^';
        body = body.slice(1);
      }
      re += `[${negate}${body.replace(/[\\\]^]/g, (x) => `\\${x}`)}]`;
      i = close;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`, 'u');
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? `\\${c}` : c;
}
