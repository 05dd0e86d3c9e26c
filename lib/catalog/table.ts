/**
 * Names of the catalog's DynamoDB table that both its construct and its store depend on: a
 * mismatch would deploy an index the handlers never query.
 */

/** The global secondary index of changes, newest last: `changeKey` / `changedAt`. */
export const CHANGE_INDEX = 'byChange';
