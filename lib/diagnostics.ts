/**
 * Diagnostics: the one shape every user-facing finding takes, from the YAML parser, the ODCS
 * JSON Schema, Tessera's semantic rules and the mesh config alike.
 */

export type Severity = 'error' | 'warning';

/** A path into a YAML document: map keys and sequence indexes, outermost first. */
export type YamlPath = readonly (string | number)[];

export interface SourcePosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

export interface Diagnostic {
  readonly severity: Severity;
  /** Stable rule code, e.g. `yaml-syntax`, `odcs-schema`, `duplicate-column`. */
  readonly code: string;
  /** The file the finding is in, as the user named it. */
  readonly file: string;
  /** Where in the file; absent only when the file could not be read at all. */
  readonly position?: SourcePosition;
  /** The YAML path of the offending node, e.g. `schema[0].properties[2].logicalType`. */
  readonly path: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** How to fix it. */
  readonly fix?: string;
}

/** Renders `[ 'schema', 0, 'properties', 2, 'name' ]` as `schema[0].properties[2].name`. */
export function formatYamlPath(path: YamlPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(document)' : out;
}

/** `file:line:column severity code path: message (fix: ...)`, one line per finding. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.position ? `${d.file}:${d.position.line}:${d.position.column}` : d.file;
  const fix = d.fix ? `\n    fix: ${d.fix}` : '';
  return `${where} ${d.severity} [${d.code}] ${d.path}: ${d.message}${fix}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order: by file, then position, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      (a.position?.line ?? 0) - (b.position?.line ?? 0) ||
      (a.position?.column ?? 0) - (b.position?.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}
