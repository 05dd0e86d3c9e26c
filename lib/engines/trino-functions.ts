/**
 * Athena (Trino) functions on DuckDB, with Trino's meaning. `tessera query --local` runs the SQL an
 * analyst wrote for Athena as it is, so a function either means the same on both engines (listed in
 * `SAME_ON_DUCKDB`), or is defined here as a DuckDB macro that shadows DuckDB's own (macros in the
 * session's schema win over built-ins), or is refused as "not supported locally".
 *
 * Not the polyglot transpiler here: it turns `date_add('day', -7, d)` into `d + INTERVAL -7 DAY`,
 * which DuckDB does not parse, and keeps DuckDB's `date_trunc` (a TIMESTAMP for a DATE) and
 * `date_diff` (boundaries crossed, where Trino counts whole units).
 * Trino's functions: https://trino.io/docs/current/functions/datetime.html
 */

/** Trino functions whose DuckDB namesake takes the same arguments and returns the same value. */
export const SAME_ON_DUCKDB: ReadonlySet<string> = new Set([
  // aggregates
  'count', 'sum', 'avg', 'min', 'max', 'count_if', 'bool_and', 'bool_or', 'array_agg', 'max_by', 'min_by', 'arbitrary',
  'stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop', 'corr', 'covar_samp', 'covar_pop',
  // window functions
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value',
  // scalars
  'abs', 'ceil', 'ceiling', 'floor', 'round', 'sqrt', 'power', 'pow', 'exp', 'ln', 'log10', 'log2', 'mod', 'sign',
  // Not greatest/least or concat: DuckDB skips NULL arguments where Trino returns NULL.
  'coalesce', 'nullif', 'if',
  'length', 'lower', 'upper', 'trim', 'ltrim', 'rtrim', 'substr', 'substring', 'replace', 'reverse', 'lpad', 'rpad',
  'strpos', 'starts_with',
  'year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second',
  'current_date', 'current_timestamp', 'localtimestamp', 'now',
  // UNNEST(array) AS t(x) in FROM
  'unnest',
  // map(ARRAY[keys], ARRAY[values])
  'map',
]);

/**
 * DuckDB macros giving Trino's meaning. Typed overloads pick the DATE form where Trino returns a
 * DATE. Inside a macro the built-in is reached as `system.main.<name>`, past the macro itself.
 */
const MACROS: readonly [name: string, definition: string][] = [
  // date_add(unit, value, date|timestamp): the same type back; a time unit on a DATE is an error, as in Trino.
  [
    'date_add',
    `(unit, value, d DATE) AS CAST(d + ${interval('unit', 'value', false)} AS DATE), (unit, value, d) AS d + ${interval('unit', 'value', true)}`,
  ],
  // Whole units between two instants (DuckDB's date_sub); DuckDB's date_diff counts boundaries crossed.
  ['date_diff', '(unit, a, b) AS system.main.date_sub(unit, a, b)'],
  ['date_trunc', '(unit, d DATE) AS CAST(system.main.date_trunc(unit, d) AS DATE), (unit, d) AS system.main.date_trunc(unit, d)'],
  ['day_of_week', '(d) AS isodow(d)'],
  ['dow', '(d) AS isodow(d)'],
  ['day_of_month', '(d) AS dayofmonth(d)'],
  ['day_of_year', '(d) AS dayofyear(d)'],
  ['doy', '(d) AS dayofyear(d)'],
  ['year_of_week', '(d) AS isoyear(d)'],
  ['yow', '(d) AS isoyear(d)'],
  ['approx_percentile', '(x, p) AS approx_quantile(x, p)'],
  ['approx_distinct', '(x) AS approx_count_distinct(x)'],
  // Arrays are 1-based and negative indexes count from the end on both engines; a map gives its value.
  ['element_at', '(container, key) AS container[key]'],
  ['cardinality', '(x) AS len(x)'],
  ['regexp_like', '(s, pattern) AS regexp_matches(s, pattern)'],
];

function interval(unit: string, value: string, timeUnits: boolean): string {
  const n = `CAST(${value} AS INTEGER)`;
  const units: [string, string][] = [
    ['day', `to_days(${n})`],
    ['week', `to_weeks(${n})`],
    ['month', `to_months(${n})`],
    ['quarter', `to_months(3 * ${n})`],
    ['year', `to_years(${n})`],
  ];
  if (timeUnits) units.push(['hour', `to_hours(${n})`], ['minute', `to_minutes(${n})`], ['second', `to_seconds(${n})`], ['millisecond', `to_milliseconds(${n})`]);
  const cases = units.map(([u, sql]) => `WHEN '${u}' THEN ${sql}`).join(' ');
  return `CASE lower(${unit}) ${cases} ELSE error('date_add: unit ''' || ${unit} || ''' is not valid for this value') END`;
}

/** The functions the local engine runs with Trino's meaning. */
export const TRINO_MACROS: ReadonlySet<string> = new Set(MACROS.map(([name]) => name));

/** `CREATE MACRO` statements for the local engine's session. */
export function trinoMacroStatements(): string[] {
  return MACROS.map(([name, definition]) => `CREATE OR REPLACE MACRO ${name}${definition}`);
}

/** True when a Trino function (lower-case name) runs on the local engine with Trino's meaning. */
export function runsLocally(name: string): boolean {
  return SAME_ON_DUCKDB.has(name) || TRINO_MACROS.has(name);
}
