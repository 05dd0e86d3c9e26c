/**
 * Row filters of access requests: a small, checked subset of the PartiQL WHERE clause Lake Formation
 * accepts in a data cells filter (https://docs.aws.amazon.com/lake-formation/latest/dg/data-filters-about.html):
 * comparisons of a column with a literal, IN lists, IS [NOT] NULL, AND, OR, NOT and parentheses.
 * The text is parsed, every column checked against the table, and written back out from the parse
 * tree, so what the approvers read and what Lake Formation receives is exactly what was checked.
 */
import { refuse } from './errors.js';

type Token = { kind: 'ident' | 'string' | 'number' | 'op' | 'punct' | 'word'; text: string; at: number };

const WORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false']);
const OPS = ['<=', '>=', '<>', '!=', '=', '<', '>'];
const MAX_LENGTH = 2048;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) bad(`the string starting at character ${i + 1} is not closed`);
        if (text[j] === "'" && text[j + 1] === "'") {
          value += "'";
          j += 2;
        } else if (text[j] === "'") break;
        else value += text[j++];
      }
      tokens.push({ kind: 'string', text: value, at: i });
      i = j + 1;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (word) {
      const lower = word[0].toLowerCase();
      tokens.push({ kind: WORDS.has(lower) ? 'word' : 'ident', text: WORDS.has(lower) ? lower : word[0], at: i });
      i += word[0].length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op === '!=' ? '<>' : op, at: i });
      i += op.length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
      continue;
    }
    bad(`character ${i + 1} ('${c}') is not allowed; write comparisons of columns with quoted strings or numbers`);
  }
  return tokens;
}

function bad(message: string): never {
  return refuse('InvalidRowFilter', `row filter: ${message}`);
}

/**
 * Checks `text` against the table's columns and returns it normalized (keywords in upper case,
 * strings re-quoted, one space between tokens).
 */
export function normalizeRowFilter(text: string, columns: readonly string[]): string {
  if (text.trim() === '') bad('is empty');
  if (text.length > MAX_LENGTH) bad(`is ${text.length} characters long; at most ${MAX_LENGTH}`);
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => tokens[pos++] ?? bad('ends too early');
  const expectPunct = (p: string): void => {
    const t = next();
    if (t.kind !== 'punct' || t.text !== p) bad(`expected '${p}' at character ${t.at + 1}`);
  };
  const literal = (): string => {
    const t = next();
    if (t.kind === 'string') return `'${t.text.replaceAll("'", "''")}'`;
    if (t.kind === 'number') return t.text;
    if (t.kind === 'word' && (t.text === 'true' || t.text === 'false')) return t.text.toUpperCase();
    return bad(`expected a quoted string or a number at character ${t.at + 1}, found '${t.text}'`);
  };
  const column = (): string => {
    const t = next();
    if (t.kind !== 'ident') bad(`expected a column at character ${t.at + 1}, found '${t.text}'`);
    if (!columns.includes(t.text)) bad(`'${t.text}' is not a column of the table; it has ${columns.join(', ')}`);
    return t.text;
  };
  const term = (): string => {
    const t = peek();
    if (t?.kind === 'word' && t.text === 'not') {
      pos++;
      return `NOT ${term()}`;
    }
    if (t?.kind === 'punct' && t.text === '(') {
      pos++;
      const inner = expression();
      expectPunct(')');
      return `(${inner})`;
    }
    const name = column();
    const op = next();
    if (op.kind === 'op') return `${name} ${op.text} ${literal()}`;
    if (op.kind === 'word' && op.text === 'in') {
      expectPunct('(');
      const values = [literal()];
      while (peek()?.kind === 'punct' && peek()!.text === ',') {
        pos++;
        values.push(literal());
      }
      expectPunct(')');
      return `${name} IN (${values.join(', ')})`;
    }
    if (op.kind === 'word' && op.text === 'is') {
      const negated = peek()?.kind === 'word' && peek()!.text === 'not';
      if (negated) pos++;
      const n = next();
      if (n.kind !== 'word' || n.text !== 'null') bad(`expected NULL at character ${n.at + 1}`);
      return `${name} IS ${negated ? 'NOT ' : ''}NULL`;
    }
    return bad(`expected a comparison after '${name}' at character ${op.at + 1}`);
  };
  const expression = (): string => {
    let out = term();
    while (peek()?.kind === 'word' && (peek()!.text === 'and' || peek()!.text === 'or')) {
      out += ` ${next().text.toUpperCase()} ${term()}`;
    }
    return out;
  };
  const result = expression();
  if (pos < tokens.length) bad(`unexpected '${tokens[pos]!.text}' at character ${tokens[pos]!.at + 1}`);
  return result;
}
