/**
 * `tessera-mesh/contract`: loading and validating ODCS v3.1 data contracts, the typed model, and
 * the breaking-change diff. Pure TypeScript (no AWS SDK, no aws-cdk-lib).
 */
export { Contract, ContractError, readinessErrors } from './contract-file.js';
export { loadContract, loadContractFile, type ContractResult, type LoadOptions, type ValidationProfile } from './load.js';
export { DEFAULT_CLASSIFICATIONS } from './rules.js';
export { diffContracts } from './diff.js';
export type * from './model.js';
export { allColumns, allQualityRules } from './model.js';
export { formatDiagnostic, hasErrors, type Diagnostic, type Severity, type SourcePosition } from '../diagnostics.js';
