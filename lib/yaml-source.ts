/**
 * A YAML file parsed with its source positions kept, so that any finding about a value (from the
 * YAML parser, a JSON Schema, or our own rules) can name the line and column it came from.
 */
import { createHash } from 'node:crypto';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Parser, type Document, type Node, type YAMLError } from 'yaml';
import type { Diagnostic, SourcePosition, YamlPath } from './diagnostics.js';
import { formatYamlPath } from './diagnostics.js';

/** Aliases expand to at most this many nodes: a contract never needs more, a "billion laughs" does. */
const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  readonly source: YamlSource;
  /** The document as plain data; undefined when the YAML could not be parsed. */
  readonly data: unknown;
  readonly diagnostics: Diagnostic[];
}

export class YamlSource {
  readonly sha256: string;

  private constructor(
    readonly file: string,
    readonly text: string,
    private readonly document: Document.Parsed,
    private readonly lines: LineCounter,
  ) {
    this.sha256 = createHash('sha256').update(text).digest('hex');
  }

  /** Parses `text`, reporting syntax errors (all of them) as diagnostics instead of throwing. */
  static parse(text: string, file: string): ParsedYaml {
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const source = new YamlSource(file, text, document, lines);
    const diagnostics: Diagnostic[] = firstSyntaxErrors(document.errors, text).map(({ code, message, offset }) => {
      const start = lines.linePos(offset);
      return {
        severity: 'error',
        code: 'yaml-syntax',
        file,
        position: { line: start.line, column: start.col },
        path: '(document)',
        message: `invalid YAML: ${yamlErrorText(code, message)}`,
        fix: yamlErrorFix(code),
      };
    });
    if (diagnostics.length > 0) return { source, data: undefined, diagnostics };
    if (document.contents === null || (isScalar(document.contents) && document.contents.value === null)) {
      return {
        source,
        data: undefined,
        diagnostics: [{ severity: 'error', code: 'yaml-empty', file, position: { line: 1, column: 1 }, path: '(document)', message: 'the file is empty', fix: 'write the document as a YAML mapping of fields' }],
      };
    }
    let data: unknown;
    try {
      data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // toJS throws only on alias abuse (too many expansions, or an alias to nothing).
      return {
        source,
        data: undefined,
        diagnostics: [{ severity: 'error', code: 'yaml-alias', file, position: { line: 1, column: 1 }, path: '(document)', message: `invalid YAML: ${(e as Error).message}`, fix: 'write the values out instead of using that many aliases' }],
      };
    }
    return { source, data, diagnostics: [] };
  }

  /** Position of the value at `path`, or of its nearest existing ancestor. */
  position(path: YamlPath): SourcePosition {
    return this.offsetToPosition(this.locate(path).valueOffset);
  }

  /** Position of the key of the map entry at `path` (falls back to the value's position). */
  keyPosition(path: YamlPath): SourcePosition {
    const found = this.locate(path);
    return this.offsetToPosition(found.keyOffset ?? found.valueOffset);
  }

  /** True when `path` resolves to a node in the document. */
  has(path: YamlPath): boolean {
    return this.locate(path).complete;
  }

  /** The scalar's text exactly as written (e.g. `1.10` for a number that JS reads as 1.1). */
  sourceText(path: YamlPath): string | undefined {
    const found = this.locate(path);
    if (!found.complete || !found.node || !isScalar(found.node)) return undefined;
    const value: unknown = found.node.value;
    return found.node.source ?? (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : 'null');
  }

  diagnostic(
    path: YamlPath,
    fields: Omit<Diagnostic, 'file' | 'position' | 'path'> & { at?: 'key' | 'value' },
  ): Diagnostic {
    const { at, ...rest } = fields;
    return {
      ...rest,
      file: this.file,
      position: at === 'key' ? this.keyPosition(path) : this.position(path),
      path: formatYamlPath(path),
    };
  }

  private offsetToPosition(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private locate(path: YamlPath): { node?: Node; valueOffset: number; keyOffset?: number; complete: boolean } {
    let node: unknown = this.document.contents;
    let valueOffset = rangeStart(node) ?? 0;
    let keyOffset: number | undefined;
    for (const segment of path) {
      node = this.resolveAlias(node);
      let next: unknown;
      keyOffset = undefined;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (pair) {
          keyOffset = rangeStart(pair.key);
          next = pair.value;
          // `key:` with no value: point at the key.
          if (next === null) return { valueOffset: keyOffset ?? valueOffset, keyOffset, complete: true };
        }
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
      }
      if (next === undefined) return { node: node as Node, valueOffset, complete: false };
      node = next;
      valueOffset = rangeStart(node) ?? valueOffset;
    }
    return { node: node as Node, valueOffset, keyOffset, complete: true };
  }

  private resolveAlias(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.document) : node;
  }
}

/** The plain-data value at `path` (undefined when any step is missing). */
export function valueAt(data: unknown, path: YamlPath): unknown {
  let node = data;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

/** At most this many syntax errors: after the first few, the parser mostly reports its confusion. */
const MAX_SYNTAX_ERRORS = 3;

/**
 * The parser's errors, reduced to the ones that help: an unclosed quote is reported where the quote
 * opens (the parser only notices it at the end of the file, where it also reports the collections
 * the quote swallowed), one error per position, and only the first few.
 */
function firstSyntaxErrors(errors: readonly YAMLError[], text: string): { code: string; message: string; offset: number }[] {
  const out: { code: string; message: string; offset: number }[] = [];
  // Looked for only when the parser misses a closing quote: this second parse of every valid file
  // was 40% of a 500-contract mesh's YAML time (CPU profile, 2026-12-02).
  let unclosed: { offset: number; char: string }[] | undefined;
  for (const e of errors) {
    const quote = e.code === 'MISSING_CHAR' && /closing .?quote/i.test(e.message) ? (unclosed ??= unclosedQuotes(text)).shift() : undefined;
    const error = quote ? { code: 'UNCLOSED_QUOTE', message: `the ${quote.char === '"' ? 'double' : 'single'} quote opened here is never closed`, offset: quote.offset } : { code: e.code, message: e.message, offset: e.pos[0] };
    if (out.some((o) => o.offset === error.offset)) continue;
    out.push(error);
  }
  // What follows an unclosed quote was read as part of the string: errors there are its echo.
  const quoteAt = out.find((o) => o.code === 'UNCLOSED_QUOTE')?.offset ?? Infinity;
  return out.filter((o) => o.offset <= quoteAt).sort((a, b) => a.offset - b.offset).slice(0, MAX_SYNTAX_ERRORS);
}

/** Where quoted scalars start that never end, from the parser's concrete syntax tree. */
function unclosedQuotes(text: string): { offset: number; char: string }[] {
  const found: { offset: number; char: string }[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const token = node as { type?: string; offset?: number; source?: string };
    if ((token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') && typeof token.source === 'string' && typeof token.offset === 'number') {
      const char = token.source[0]!;
      const body = token.source.slice(1);
      const closed = char === "'" ? /'(?!')/.test(body.replaceAll("''", '')) : /(?<!\\)(\\\\)*"/.test(body);
      if (!closed) found.push({ offset: token.offset, char });
    }
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
  };
  for (const token of new Parser().parse(text)) visit(token);
  return found.sort((a, b) => a.offset - b.offset);
}

function yamlErrorText(code: string, message: string): string {
  // The parser's messages are good but end with a code excerpt we already give as line:column.
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return `${first} (a key appears twice in the same mapping)`;
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation';
    default:
      return first;
  }
}

function yamlErrorFix(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'remove or rename one of the two keys';
    case 'TAB_AS_INDENT':
      return 'indent with spaces; YAML does not allow tabs';
    case 'UNCLOSED_QUOTE':
      return 'close the quote at the end of the value, or remove it (a quote inside a quoted value is doubled: \'it\'\'s\', or escaped: "say \\"hi\\"")';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and punctuation on this line and the one before it';
    case 'MULTIPLE_DOCS':
      return 'keep one document per file (remove the extra `---`)';
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a key must fit on one line; check for a missing `:` or an unclosed quote above';
    default:
      return 'fix the YAML syntax at this position';
  }
}
