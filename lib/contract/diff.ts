/**
 * The contract diff's entry point, kept at this path for its importers; the rules live in
 * lib/contract/diff/ (one module per area).
 */
export * from './diff/index.js';
