/**
 * How many rows `tessera query` prints: a terminal (or a pipe into a spreadsheet) gets a readable
 * answer, not millions of rows. Apart from query.ts so that `tessera --help` need not load it.
 */
export const DEFAULT_QUERY_ROWS = 1000;
export const MAX_QUERY_ROWS = 1_000_000;
