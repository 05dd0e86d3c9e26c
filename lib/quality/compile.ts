/**
 * Compiles a quality plan into SQL for one dialect: all aggregate checks of a table in ONE
 * statement (one scan), split only when the text would pass Athena's 262,144-byte limit; `sql`
 * rules and reference checks as statements of their own.
 */
import type { AggregateCheck, AgeCheck, Check, Condition, Measure, QualityPlan, ReferenceCheck, Scope, SqlCheck } from './plan-types.js';
import type { SqlDialect } from './dialects.js';
import { resolvePlaceholders } from './sql-guard.js';

export interface CompileOptions {
  /** The database (Glue) or schema (DuckDB) holding the product's tables. */
  readonly database: string;
  /** The day the run is for (`YYYY-MM-DD`); `latest` scopes reach back from it. */
  readonly asOf: string;
}

/** What one output column of a statement carries. */
export interface StatementOutput {
  readonly alias: string;
  /** `rows`: the row count of the scope; `measure`: the value of these checks. */
  readonly role: 'rows' | 'measure';
  readonly scope: string;
  readonly checks: readonly string[];
}

export interface CompiledStatement {
  readonly id: string;
  readonly table: string;
  readonly kind: 'aggregate' | 'sql' | 'reference';
  readonly sql: string;
  readonly outputs: readonly StatementOutput[];
  /** Set when the statement could not be produced for this dialect (e.g. a `sql` rule DuckDB cannot run). */
  readonly error?: string;
}

export function compilePlan(plan: QualityPlan, dialect: SqlDialect, options: CompileOptions): CompiledStatement[] {
  const statements: CompiledStatement[] = [];
  for (const table of plan.tables) {
    const ref = dialect.table(options.database, table.physicalTable);
    const aggregates = table.checks.filter((c): c is AggregateCheck | AgeCheck => c.kind === 'aggregate' || c.kind === 'age');
    if (aggregates.length > 0) statements.push(...compileAggregates(table.table, aggregates, ref, dialect, options));
    for (const check of table.checks) {
      if (check.kind === 'sql') statements.push(compileSql(check, ref, dialect));
      if (check.kind === 'reference') statements.push(compileReference(check, dialect, options));
    }
  }
  return statements;
}

function compileAggregates(table: string, checks: (AggregateCheck | AgeCheck)[], ref: string, dialect: SqlDialect, options: CompileOptions): CompiledStatement[] {
  // One output per distinct (measure, scope): identical measures are computed once.
  const outputs = new Map<string, { sql: string; distinct: boolean; output: { alias: string; role: 'measure'; scope: string; checks: string[] } }>();
  const scopes = new Map<string, Scope>();
  for (const check of checks) {
    const scopeKey = scopeId(check.scope);
    scopes.set(scopeKey, check.scope);
    const key = `${scopeKey}|${JSON.stringify(check.measure)}`;
    const existing = outputs.get(key);
    if (existing) {
      existing.output.checks.push(check.id);
      continue;
    }
    const scopeCondition = check.scope.kind === 'latest' ? latestCondition(check.scope, dialect, options) : undefined;
    outputs.set(key, { sql: measureSql(check.measure, scopeCondition, dialect), distinct: check.measure.op === 'duplicates', output: { alias: `m${outputs.size + 1}`, role: 'measure', scope: scopeKey, checks: [check.id] } });
  }
  const allLatest = [...scopes.values()].every((s) => s.kind === 'latest') && scopes.size === 1;
  const onlyScope = [...scopes.values()][0]!;
  // When every check reads the newest partitions only, say so in WHERE: Athena then prunes.
  const where = allLatest ? ` WHERE ${latestCondition(onlyScope as Extract<Scope, { kind: 'latest' }>, dialect, options)}` : '';
  const rowItems = [...scopes.entries()].map(([key, scope]) => ({
    sql: allLatest || scope.kind === 'full' ? 'count(*)' : dialect.countIf(latestCondition(scope, dialect, options)),
    output: { alias: key === 'full' ? 'rows' : `rows_${key.replace(/\W+/g, '_')}`, role: 'rows' as const, scope: key, checks: [] as string[] },
  }));

  type Item = { sql: string; output: StatementOutput; distinct: boolean };
  const render = (list: readonly { sql: string; output: StatementOutput }[]): string => list.map((i) => `${i.sql} AS ${dialect.ident(i.output.alias)}`).join(', ');
  const statementSql = (list: readonly Item[]): string => {
    const distinct = dialect.separateDistinctScans ? list.filter((i) => i.distinct) : [];
    const rest = list.filter((i) => !distinct.includes(i));
    if (distinct.length === 0) return `SELECT ${render([...rowItems, ...rest])} FROM ${ref}${where}`;
    // One read of the table, materialized once, then a sub-select per DISTINCT measure over it.
    const scan = dialect.ident('scan');
    const columns = [...new Set(checks.flatMap(columnsOf))].map((c) => dialect.ident(c));
    const parts = [`(SELECT ${render([...rowItems, ...rest])} FROM ${scan}) AS q0`, ...distinct.map((d, k) => `(SELECT ${render([d])} FROM ${scan}) AS q${k + 1}`)];
    return `WITH ${scan} AS MATERIALIZED (SELECT ${columns.length > 0 ? columns.join(', ') : '1 AS one'} FROM ${ref}${where}) SELECT * FROM ${parts.join(' CROSS JOIN ')}`;
  };
  const statements: CompiledStatement[] = [];
  let items: Item[] = [];
  const flush = (): void => {
    statements.push({
      id: `${table}.aggregate${statements.length === 0 ? '' : `#${statements.length + 1}`}`,
      table,
      kind: 'aggregate',
      sql: statementSql(items),
      outputs: [...rowItems, ...items].map((i) => i.output),
    });
    items = [];
  };
  for (const item of outputs.values()) {
    if (Buffer.byteLength(statementSql([item])) > dialect.maxStatementBytes) throw new Error(`check ${item.output.checks.join(', ')} alone exceeds the ${dialect.maxStatementBytes}-byte statement limit`);
    if (items.length > 0 && Buffer.byteLength(statementSql([...items, item])) > dialect.maxStatementBytes) flush();
    items.push(item);
  }
  if (items.length > 0) flush();
  return statements;
}

/** The columns a check reads, so that a materialized scan carries no others. */
function columnsOf(check: AggregateCheck | AgeCheck): string[] {
  const scope = check.scope.kind === 'latest' ? [check.scope.partitionColumn] : [];
  const of = (c: Condition): string[] => ('column' in c ? [c.column] : 'condition' in c ? of(c.condition) : 'conditions' in c ? c.conditions.flatMap(of) : []);
  const m = check.measure;
  return [...scope, ...(m.op === 'count' ? [] : m.op === 'countIf' ? of(m.condition) : m.op === 'duplicates' ? m.columns : [m.column])];
}

function compileSql(check: SqlCheck, ref: string, dialect: SqlDialect): CompiledStatement {
  const resolved = resolvePlaceholders(check.query, ref, check.column !== undefined ? dialect.ident(check.column) : undefined).trim().replace(/;\s*$/, '');
  const base = { id: check.id, table: check.table, kind: 'sql' as const, outputs: [{ alias: '', role: 'measure' as const, scope: 'full', checks: [check.id] }] };
  if (!dialect.translateAthenaSql) return { ...base, sql: resolved };
  // Contract SQL is written for Athena (Trino); other engines run a translation of it.
  const translated = dialect.translateAthenaSql(resolved);
  if (!translated.ok) return { ...base, sql: resolved, error: `cannot translate this Athena SQL for ${dialect.name}: ${translated.error}` };
  return { ...base, sql: translated.sql };
}

function compileReference(check: ReferenceCheck, dialect: SqlDialect, options: CompileOptions): CompiledStatement {
  const child = dialect.table(options.database, check.physicalTable);
  const parent = dialect.table(options.database, check.parentPhysicalTable);
  const c = (col: string): string => `c.${dialect.ident(col)}`;
  const p = (col: string): string => `p.${dialect.ident(col)}`;
  const notNull = check.columns.map((col) => `${c(col)} IS NOT NULL`).join(' AND ');
  const join = check.columns.map((col, i) => `${p(check.parentColumns[i]!)} = ${c(col)}`).join(' AND ');
  return {
    id: check.id,
    table: check.table,
    kind: 'reference',
    sql: `SELECT count(*) AS ${dialect.ident('orphans')} FROM ${child} AS c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${parent} AS p WHERE ${join})`,
    outputs: [{ alias: 'orphans', role: 'measure', scope: 'full', checks: [check.id] }],
  };
}

function measureSql(measure: Measure, scope: string | undefined, dialect: SqlDialect): string {
  const within = (condition: string): string => (scope ? `(${scope}) AND (${condition})` : condition);
  switch (measure.op) {
    case 'count':
      return scope ? dialect.countIf(scope) : 'count(*)';
    case 'countIf':
      return dialect.countIf(within(conditionSql(measure.condition, dialect)));
    case 'duplicates': {
      const cols = measure.columns.map((c) => dialect.ident(c));
      const present = within(cols.map((c) => `${c} IS NOT NULL`).join(' AND '));
      const key = cols.length === 1 ? cols[0]! : `ROW(${cols.join(', ')})`;
      // Surplus rows: rows with a complete key, minus the distinct keys among them.
      return `(${dialect.countIf(present)} - count(DISTINCT CASE WHEN ${present} THEN ${key} END))`;
    }
    case 'max':
    case 'min':
      return scope ? `${measure.op}(CASE WHEN ${scope} THEN ${dialect.ident(measure.column)} END)` : `${measure.op}(${dialect.ident(measure.column)})`;
  }
}

export function conditionSql(condition: Condition, dialect: SqlDialect): string {
  switch (condition.op) {
    case 'isNull':
      return `${dialect.ident(condition.column)} IS NULL`;
    case 'notNull':
      return `${dialect.ident(condition.column)} IS NOT NULL`;
    case 'in':
      if (condition.values.length === 0) return 'FALSE';
      return `${dialect.ident(condition.column)} IN (${condition.values.map((v) => dialect.literal(v)).join(', ')})`;
    case 'regexMismatch': {
      const column = dialect.ident(condition.column);
      return `${column} IS NOT NULL AND NOT ${dialect.regexContains(column, dialect.literal({ kind: 'string', value: condition.pattern }))}`;
    }
    case 'compare': {
      const column = condition.length ? `length(${dialect.ident(condition.column)})` : dialect.ident(condition.column);
      return `${column} ${condition.comparator} ${dialect.literal(condition.value)}`;
    }
    case 'not':
      return `NOT (${conditionSql(condition.condition, dialect)})`;
    case 'and':
    case 'or':
      return condition.conditions.map((c) => `(${conditionSql(c, dialect)})`).join(` ${condition.op.toUpperCase()} `);
  }
}

function latestCondition(scope: Extract<Scope, { kind: 'latest' }>, dialect: SqlDialect, options: CompileOptions): string {
  const since = new Date(Date.parse(`${options.asOf}T00:00:00Z`) - scope.days * 86_400_000).toISOString().slice(0, 10);
  return `${dialect.ident(scope.partitionColumn)} >= ${dialect.literal({ kind: 'date', value: since })}`;
}

function scopeId(scope: Scope): string {
  return scope.kind === 'full' ? 'full' : `latest:${scope.partitionColumn}:${scope.days}`;
}

export type { Check };
