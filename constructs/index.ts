/**
 * `tessera-mesh`: the CDK constructs of a Tessera data mesh. A domain team needs `DataProduct`
 * (and `Contract` to load its contract); the rest compose a whole mesh (`tessera-mesh/mesh-app`).
 */
export { AccessLogsBucket, DataProduct, DataProductBase, type ContractPublicationProps, type DataProductAttributes, type DataProductProps, type IDataProduct } from './data-product.js';
export { LakeFormationSetup, CLASSIFICATION_TAG, DOMAIN_TAG, type LakeFormationSetupProps } from './lake-formation.js';
export { QualityService, type QualityServiceProps } from './quality-service.js';
export { CatalogService, type CatalogServiceProps } from './catalog-service.js';
export { CatalogSite, type CatalogSiteProps } from './catalog-site.js';
export { MeshQuery, ATHENA_MIN_CUTOFF_BYTES, type MeshQueryProps } from './mesh-query.js';
export { FederatedCatalog, FederatedDynamoDbSource, type FederatedCatalogProps, type FederatedDynamoDbSourceProps } from './federated-source.js';
export { MeshViews, type MeshViewsProps } from './mesh-views.js';
export { DomainStack, type DomainStackProps } from './domain-stack.js';
export { GovernanceStack, type GovernanceStackProps } from './governance-stack.js';
export { ProductDashboard, type ProductDashboardProps } from './product-dashboard.js';
export { MeshDashboard, type MeshDashboardProps } from './mesh-dashboard.js';
export { addComplianceChecks } from './core/compliance.js';
export { REMOVE_DATA_ON_DESTROY } from './core/removal.js';
// Loading a contract is the first thing a construct user does: one import for both.
export { Contract, ContractError } from '../lib/contract/contract-file.js';
export type { DataContract } from '../lib/contract/model.js';
