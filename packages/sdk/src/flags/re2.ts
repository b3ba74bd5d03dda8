/**
 * Unleash's REGEX operator uses RE2 syntax (the Node SDK runs re2js). This translates an RE2 pattern into an
 * equivalent JavaScript RegExp (flag `u`, so `.` and classes work on code points like RE2's runes) and rejects what
 * RE2 rejects (lookaround, backreferences) — an invalid pattern never matches. Differences handled here:
 * POSIX classes (`[[:alpha:]]`), `\Q…\E`, `\A` / `\z`, `\x{…}`, `\pN` / `\p{Greek}`, octal escapes, literal `{`,
 * RE2's ASCII `\s`, and the inline flags `(?i)` `(?m)` `(?s)`: `m` and `s` anywhere (they are compiled into the
 * anchors and dots, so they follow RE2's group scoping), `i` only before the first character that case can affect
 * (JavaScript has no scoped flags on Node 20), `U` (ungreedy) not at all. Known gap: with `i`, JavaScript's `\w`/`\b`
 * also fold U+017F and U+212A.
 */

export type Re2Result =
  | { ok: true; source: string; flags: string; nestedRepetition: boolean }
  | { ok: false; error: string };

const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`\\{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};
const GENERAL_CATEGORY = /^(?:[CLMNPSZ]|C[cfnos]|L[lmotu]|M[cen]|N[dlo]|P[cdefios]|S[ckmo]|Z[lps])$/;
const RE2_SPACE = '\\t\\n\\f\\r ';

class Re2Error extends Error {}

function escapeLiteral(ch: string, inClass: boolean): string {
  if (JS_SYNTAX.has(ch) || (inClass && ch === '-')) return `\\${ch}`;
  return ch;
}

/** Translates `pattern`; `caseInsensitive` is the constraint's flag (RE2's `(?i)` for the whole pattern). */
export function translateRe2(pattern: string, caseInsensitive = false): Re2Result {
  try {
    return translate(pattern, caseInsensitive);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

interface Group {
  m: boolean;
  s: boolean;
  hasRepeat: boolean;
}

function translate(p: string, caseInsensitive: boolean): Re2Result {
  let out = '';
  let i = 0;
  let ci = caseInsensitive;
  /** Whether output that case-insensitivity would affect has been written (after which `(?i)` cannot be hoisted). */
  let caseSensitiveSeen = false;
  let nested = false;
  const stack: Group[] = [{ m: false, s: false, hasRepeat: false }];
  let lastAtom: 'none' | 'atom' | 'group' | 'repeat' = 'none';
  let lastGroupHadRepeat = false;
  const top = () => stack[stack.length - 1] as Group;

  const applyFlags = (flags: string, group: Group) => {
    let on = true;
    for (const f of flags) {
      if (f === '-') {
        on = false;
      } else if (f === 'm') group.m = on;
      else if (f === 's') group.s = on;
      else if (f === 'i') {
        if (on === ci) continue;
        if (caseSensitiveSeen || stack.length > 1 || group !== stack[0]) {
          throw new Re2Error('the (?i) flag is only supported at the start of the pattern');
        }
        ci = on;
      } else if (f === 'U') throw new Re2Error('the ungreedy flag (?U) is not supported');
      else throw new Re2Error(`unknown flag ${f}`);
    }
  };

  while (i < p.length) {
    const ch = p[i] as string;
    if (ch === '\\') {
      const [text, next, isAnchor] = escapeAt(p, i, false);
      out += text;
      i = next;
      if (!isAnchor) {
        caseSensitiveSeen = true;
        lastAtom = 'atom';
      }
      continue;
    }
    if (ch === '[') {
      const [text, next] = charClass(p, i);
      out += text;
      i = next;
      caseSensitiveSeen = true;
      lastAtom = 'atom';
      continue;
    }
    if (ch === '(') {
      if (p[i + 1] === '?') {
        const rest = p.slice(i + 2);
        if (/^(?:=|!|<=|<!)/.test(rest)) throw new Re2Error('lookahead and lookbehind are not supported (RE2)');
        const named = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
        if (named) {
          out += `(?<${named[1]}>`;
          stack.push({ ...top(), hasRepeat: false });
          i += 2 + named[0].length;
          lastAtom = 'none';
          continue;
        }
        const flags = /^([imsU-]*)([:)])/.exec(rest);
        if (!flags) throw new Re2Error(`invalid group syntax at position ${i}`);
        if (flags[2] === ')') {
          applyFlags(flags[1] as string, top());
          i += 2 + flags[0].length;
          continue;
        }
        const group: Group = { ...top(), hasRepeat: false };
        stack.push(group);
        applyFlags(flags[1] as string, group);
        out += '(?:';
        i += 2 + flags[0].length;
        lastAtom = 'none';
        continue;
      }
      stack.push({ ...top(), hasRepeat: false });
      out += '(';
      i++;
      lastAtom = 'none';
      continue;
    }
    if (ch === ')') {
      if (stack.length === 1) throw new Re2Error(`unbalanced ) at position ${i}`);
      const closed = stack.pop() as Group;
      lastGroupHadRepeat = closed.hasRepeat;
      if (closed.hasRepeat) top().hasRepeat = true;
      out += ')';
      i++;
      lastAtom = 'group';
      continue;
    }
    if (ch === '*' || ch === '+' || ch === '?' || ch === '{') {
      let q = ch;
      if (ch === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
        if (!m) {
          out += '\\{';
          i++;
          caseSensitiveSeen = true;
          lastAtom = 'atom';
          continue;
        }
        const lo = Number(m[1]);
        const hi = m[3] ? Number(m[3]) : lo;
        if (lo > 1000 || hi > 1000) throw new Re2Error('repetition count above 1000');
        if (m[3] && hi < lo) throw new Re2Error(`invalid repeat count ${m[0]}`);
        q = m[0];
      }
      if (lastAtom === 'none' || lastAtom === 'repeat')
        throw new Re2Error(`missing argument to repetition operator ${q}`);
      if (lastAtom === 'group' && lastGroupHadRepeat) nested = true;
      top().hasRepeat = true;
      i += q.length;
      if (p[i] === '?') {
        q += '?';
        i++;
      }
      out += q;
      lastAtom = 'repeat';
      continue;
    }
    if (ch === '}') {
      out += '\\}';
      i++;
      caseSensitiveSeen = true;
      lastAtom = 'atom';
      continue;
    }
    if (ch === '.') {
      out += top().s ? '[\\s\\S]' : '[^\\n]';
      i++;
      lastAtom = 'atom';
      continue;
    }
    if (ch === '^' || ch === '$') {
      out += top().m ? (ch === '^' ? '(?<![^\\n])' : '(?![^\\n])') : ch;
      i++;
      lastAtom = 'none';
      continue;
    }
    if (ch === '|') {
      out += '|';
      i++;
      lastAtom = 'none';
      continue;
    }
    const cp = p.codePointAt(i) as number;
    const lit = String.fromCodePoint(cp);
    out += lit;
    i += lit.length;
    caseSensitiveSeen = true;
    lastAtom = 'atom';
  }
  if (stack.length > 1) throw new Re2Error('missing closing )');
  const flags = ci ? 'iu' : 'u';
  try {
    new RegExp(out, flags);
  } catch (err) {
    throw new Re2Error(err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err));
  }
  return { ok: true, source: out, flags, nestedRepetition: nested };
}

/** One escape at `p[i] === '\\'`: [JavaScript text, next index, whether it is a zero-width assertion]. */
function escapeAt(p: string, i: number, inClass: boolean): [string, number, boolean] {
  const c = p[i + 1];
  if (c === undefined) throw new Re2Error('trailing backslash at end of pattern');
  if (c >= '0' && c <= '9') {
    const oct = /^[0-7]{1,3}/.exec(p.slice(i + 1));
    if (c !== '0' && (!oct || oct[0].length < 2)) throw new Re2Error(`backreferences (\\${c}) are not supported (RE2)`);
    const digits = (oct as RegExpExecArray)[0];
    return [`\\u{${Number.parseInt(digits, 8).toString(16)}}`, i + 1 + digits.length, false];
  }
  switch (c) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 'f':
    case 'n':
    case 'r':
    case 't':
    case 'v':
      return [`\\${c}`, i + 2, false];
    case 'b':
    case 'B':
      if (inClass) throw new Re2Error(`invalid escape \\${c} in a character class`);
      return [`\\${c}`, i + 2, true];
    case 's':
      return [inClass ? RE2_SPACE : `[${RE2_SPACE}]`, i + 2, false];
    case 'S':
      return [inClass ? '\\S' : `[^${RE2_SPACE}]`, i + 2, false];
    case 'a':
      return ['\\x07', i + 2, false];
    case 'A':
    case 'z':
      if (inClass) throw new Re2Error(`invalid escape \\${c} in a character class`);
      return [c === 'A' ? '(?<![\\s\\S])' : '(?![\\s\\S])', i + 2, true];
    case 'x': {
      const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(p.slice(i + 2));
      if (braced) {
        const cp = Number.parseInt(braced[1] as string, 16);
        if (cp > 0x10ffff) throw new Re2Error(`invalid escape \\x${braced[0]}`);
        return [`\\u{${braced[1]}}`, i + 2 + braced[0].length, false];
      }
      const two = /^[0-9a-fA-F]{2}/.exec(p.slice(i + 2));
      if (!two) throw new Re2Error('invalid \\x escape');
      return [`\\x${two[0]}`, i + 4, false];
    }
    case 'p':
    case 'P': {
      let name: string;
      let next: number;
      if (p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        if (end === -1) throw new Re2Error('missing } in \\p{…}');
        name = p.slice(i + 3, end);
        next = end + 1;
      } else {
        name = p[i + 2] ?? '';
        next = i + 3;
      }
      let negate = c === 'P';
      if (name.startsWith('^')) {
        negate = !negate;
        name = name.slice(1);
      }
      if (!/^[A-Za-z_]+$/.test(name)) throw new Re2Error(`invalid character class \\p{${name}}`);
      const body = name === 'Any' ? null : GENERAL_CATEGORY.test(name) ? name : `Script=${name}`;
      if (body === null) {
        if (negate) throw new Re2Error('\\P{Any} matches nothing');
        return [inClass ? '\\s\\S' : '[\\s\\S]', next, false];
      }
      return [`\\${negate ? 'P' : 'p'}{${body}}`, next, false];
    }
    case 'Q': {
      if (inClass) throw new Re2Error('\\Q is not supported in a character class');
      const end = p.indexOf('\\E', i + 2);
      const literal = p.slice(i + 2, end === -1 ? p.length : end);
      let text = '';
      for (const ch of literal) text += escapeLiteral(ch, false);
      return [text ? `(?:${text})` : '', end === -1 ? p.length : end + 2, text === ''];
    }
    default: {
      if (/[!-/:-@[-`{-~]/.test(c)) return [escapeLiteral(c, inClass), i + 2, false];
      throw new Re2Error(`invalid escape \\${c}`);
    }
  }
}

/** A character class at `p[i] === '['`: [JavaScript text, next index]. */
function charClass(p: string, start: number): [string, number] {
  let i = start + 1;
  let negate = false;
  if (p[i] === '^') {
    negate = true;
    i++;
  }
  const items: string[] = [];
  let negatedPosix: string | null = null;
  let first = true;
  for (;;) {
    const ch = p[i];
    if (ch === undefined) throw new Re2Error('missing closing ]');
    if (ch === ']' && !first) break;
    first = false;
    if (ch === '[' && p[i + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
      if (m) {
        const set = POSIX[m[2] as string];
        if (!set) throw new Re2Error(`invalid character class range [:${m[2]}:]`);
        if (m[1]) negatedPosix = set;
        else items.push(set);
        i += m[0].length;
        continue;
      }
    }
    if (ch === '\\') {
      const [text, next] = escapeAt(p, i, true);
      items.push(text);
      i = next;
      continue;
    }
    if (ch === '-' && items.length > 0 && p[i + 1] !== ']') {
      items.push('-');
      i++;
      continue;
    }
    const lit = String.fromCodePoint(p.codePointAt(i) as number);
    items.push(ch === '-' ? '\\-' : escapeLiteral(lit, true));
    i += lit.length;
  }
  if (negatedPosix !== null) {
    if (items.length > 0) throw new Re2Error('a negated POSIX class ([:^name:]) must be alone in its brackets');
    return [`[${negate ? '' : '^'}${negatedPosix}]`, i + 1];
  }
  return [`[${negate ? '^' : ''}${items.join('')}]`, i + 1];
}
