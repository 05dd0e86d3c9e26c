/** Access requests: ask, approve, a time-bound Lake Formation grant, revoke, with an audit trail. */
export * from './drift.js';
export * from './errors.js';
export * from './identity.js';
export * from './lake-formation.js';
export * from './model.js';
export * from './row-filter.js';
export * from './transitions.js';
export type { AuditEvent } from './api-schema.js';
export * from './schedule.js';
