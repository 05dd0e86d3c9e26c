export { assemblyFrom, AssemblyError, type Assembly, type AssemblyStack, type Template } from './assembly.js';
export { offlineChecks } from './offline.js';
export { bootstrapCheck, lakeFormationAdminCheck, prerequisiteCheck, ramSharingCheck, sarCheck, type AccountAws, type Answer, type LiveAws, type LiveOptions } from './live.js';
export { grantsHeldCheck, iamAllowedPrincipalsCheck } from './deployed.js';
export type { CheckResult, CheckStatus, Finding } from './report.js';
