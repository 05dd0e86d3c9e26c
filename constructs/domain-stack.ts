/**
 * `DomainStack`: one domain of the mesh in its own account and region. A domain KMS key and
 * access-log bucket, one Glue database, the account's Lake Formation settings and LF-tags (when it
 * owns them: the first stack of its account, `lib/mesh/layout.ts`), a data-access role for
 * the registered locations, a producer role for the domain's pipelines, and one `DataProduct` per
 * contract the mesh config lists, each published to the mesh's catalog, and the quality service.
 * Past `productsPerStack` products, each further group of products is a nested stack
 * (constructs/product-group-stack.ts), so the stack stays inside CloudFormation's 500 resources.
 */
import { CfnOutput, Stack, type CfnResource, type StackProps } from 'aws-cdk-lib';
import { Aws } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import type { DataContract } from '../lib/contract/model.js';
import { RoleGrants } from './core/role-grants.js';
import { ProductGroupStack, productGroups } from './product-group-stack.js';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { catalogReaderRoleName } from '../lib/catalog/publication.js';
import type { MeshConfig, MeshDomain } from '../lib/mesh/config.js';
import type { MeshProduct } from '../lib/mesh/load.js';
import { DataProduct, AccessLogsBucket } from './data-product.js';
import { allowLogGroupEncryption } from './core/keys.js';
import { dataRemovalPolicy } from './core/removal.js';
import { lakeFormationDataAccessRole, revokeIamAllowedPrincipals, type LakeFormationSetup } from './lake-formation.js';
import { accountLakeFormation, emitPermissionSteps, permissionSteps, serializeLakeFormationGrants } from './core/grants.js';
import { analyzeAccess, federatedSourceReaders, stepIds, type GrantPlan, type TagAssociationStep } from '../lib/access/index.js';
import { constructIdFor } from './core/ids.js';
import { centralBusName, databaseNameFor } from '../lib/glue/names.js';
import { QualityService } from './quality-service.js';
import { FederatedDynamoDbSource } from './federated-source.js';

export interface DomainStackProps extends StackProps {
  readonly config: MeshConfig;
  readonly domain: MeshDomain;
  /** The domain's products, as `loadMeshFile` returned them. */
  readonly products: readonly MeshProduct[];
  /**
   * The mesh's grant plan (`lib/access`): the stack emits this domain's part of it (tag
   * associations, shares) and, when it owns the account's settings, the account's admins and tags.
   * @default - planned from this domain's products alone
   */
  readonly plan?: GrantPlan;
  /**
   * Whether this stack owns its account's Lake Formation settings and LF-tags (`meshLayout`).
   * Exactly one stack per account does; the others must deploy after it.
   * @default true
   */
  readonly ownsAccountSettings?: boolean;
  /**
   * Products per stack: the first ones in the domain stack, each further group in a nested stack
   * `Products<n>` (constructs/product-group-stack.ts). The domain's own `productsPerStack` in the
   * mesh config wins. Choose it once: changing it moves products between stacks. @default 20
   */
  readonly productsPerStack?: number;
}

export class DomainStack extends Stack {
  readonly domainName: string;
  readonly key: kms.Key;
  readonly accessLogsBucket: AccessLogsBucket;
  readonly database: glue.CfnDatabase;
  /** The account's Lake Formation settings and LF-tags, when this stack owns them. */
  readonly lakeFormation?: LakeFormationSetup;
  readonly dataAccessRole: iam.Role;
  /** The role the domain's pipelines assume to write its products. */
  readonly producerRole: iam.Role;
  readonly products: ReadonlyMap<string, DataProduct>;
  /** Product groups 2, 3, ... (nested stacks), in deploy order; empty for a domain of up to `productsPerStack` products. */
  readonly productGroups: readonly ProductGroupStack[];
  /** Scheduled quality runs of every product. */
  readonly quality: QualityService;
  /** The mesh's central bus in the governance account. */
  readonly centralBus: events.IEventBus;
  /** Athena connectors to the domain's live operational stores, by source name. */
  readonly federatedSources: ReadonlyMap<string, FederatedDynamoDbSource>;

  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id, {
      description: `Tessera data mesh '${props.config.name}': domain ${props.domain.name}`,
      ...props,
    });
    const { config, domain } = props;
    this.domainName = domain.name;
    const foreign = props.products.find((p) => p.domain !== domain.name);
    if (foreign) throw new Error(`DomainStack ${domain.name}: product '${foreign.contract.id}' belongs to domain '${foreign.domain}'`);
    const removalPolicy = dataRemovalPolicy(this);

    this.key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Tessera domain ${domain.name}: data products`, removalPolicy });
    // The quality service's log groups are encrypted with this key (its alarm topic says so itself).
    allowLogGroupEncryption(this.key);
    this.accessLogsBucket = new AccessLogsBucket(this, 'AccessLogs', { removalPolicy });
    const plan = props.plan ?? analyzeAccess({ config, products: props.products }).plan;
    const databaseName = databaseNameFor(domain.name);
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: databaseName,
        description: domain.description ?? `Data products of the ${domain.name} domain`,
        parameters: { 'tessera.mesh': config.name, 'tessera.domain': domain.name },
        // No IAMAllowedPrincipals grant on new tables, whatever the account's defaults say
        // (Glue DatabaseInput.CreateTableDefaultPermissions, AWS Glue API Reference).
        createTableDefaultPermissions: [],
      },
    });
    let emitted = new Map<string, CfnResource>();
    if (props.ownsAccountSettings ?? true) {
      const owned = accountLakeFormation(this, plan.steps, domain.account, { mesh: config.name, key: this.key });
      this.lakeFormation = owned.setup;
      emitted = owned.emitted;
      this.database.addResourceDependency(owned.setup.settings);
    }
    const associations = plan.steps.filter((s): s is TagAssociationStep => s.kind === 'tag-association' && s.account === domain.account && s.resource.database === databaseName);
    for (const step of associations.filter((a) => a.resource.type === 'database')) {
      const databaseTag = new lakeformation.CfnTagAssociation(this, 'DatabaseTags', {
        resource: { database: { catalogId: Aws.ACCOUNT_ID, name: this.database.ref } },
        lfTags: step.tags.map((t) => ({ catalogId: Aws.ACCOUNT_ID, tagKey: t.key, tagValues: [...t.values] })),
      });
      if (this.lakeFormation) databaseTag.addResourceDependency(this.lakeFormation.domainTag);
      emitted.set(step.id, databaseTag);
    }

    this.dataAccessRole = lakeFormationDataAccessRole(this, 'DataAccessRole', `Lake Formation access to the data locations of domain ${domain.name}`);
    this.producerRole = producerRole(this, config, domain);

    this.centralBus = events.EventBus.fromEventBusArn(
      this,
      'CentralBus',
      `arn:${Aws.PARTITION}:events:${config.region}:${config.governance.account}:event-bus/${centralBusName(config.name)}`,
    );
    // The governance account's catalog ingest role. Its ARN is written out in full (partition from
    // the mesh's region) because the policies compare it with aws:PrincipalArn, before it exists.
    const partition = RegionInfo.get(config.region).partition ?? 'aws';
    const catalogReader = iam.Role.fromRoleArn(this, 'CatalogReader', `arn:${partition}:iam::${config.governance.account}:role/${catalogReaderRoleName(config.name)}`, { mutable: false });

    const products = new Map<string, DataProduct>();
    const groups = productGroups(props.products, domain.productsPerStack ?? props.productsPerStack).map((members, i) => {
      const scope = i === 0 ? this : new ProductGroupStack(this, { domain: domain.name, group: i + 1 });
      const made = members.map(({ contract }) => this.addProduct(scope, contract, { config, associations, catalogReader }));
      for (const product of made) products.set(product.productId, product);
      return { scope, products: made };
    });
    this.products = products;
    this.productGroups = groups.slice(1).map((g) => g.scope as ProductGroupStack);

    // Tables made while the account still had the IAM-only defaults keep IAMAllowedPrincipals grants.
    const revocation = revokeIamAllowedPrincipals(this, 'IamAllowedPrincipalsRevocation', {
      mesh: config.name,
      databases: [{ name: this.database.ref, tables: [...products.values()].flatMap((p) => [...p.tables.values()].map((t) => t.ref)) }],
    });
    if (this.lakeFormation) revocation.node.addDependency(this.lakeFormation.settings);
    this.shareWithGovernance(plan, emitted);

    this.quality = new QualityService(this, 'Quality', {
      domain: domain.name,
      database: databaseNameFor(domain.name),
      products: groups[0]!.products,
      key: this.key,
      accessLogsBucket: this.accessLogsBucket.bucket,
      centralBusArn: this.centralBus.eventBusArn,
    });
    const federated = new Map<string, FederatedDynamoDbSource>();
    for (const source of domain.federated) {
      const connector = new FederatedDynamoDbSource(this, `Federated${constructIdFor(source.name)}`, {
        mesh: config.name,
        source,
        governanceAccount: config.governance.account,
        readers: federatedSourceReaders(config, domain.name, source),
        key: this.key,
        accessLogsBucket: this.accessLogsBucket.bucket,
      });
      federated.set(source.name, connector);
      new CfnOutput(this, `Federated${constructIdFor(source.name)}Connector`, { description: `Athena connector of federated source ${source.name}`, value: connector.functionArn });
    }
    this.federatedSources = federated;
    for (const group of groups.slice(1)) this.quality.addProducts(new Construct(group.scope, 'Quality'), group.products);
    serializeLakeFormationGrants(this, this.productGroups);
    for (const group of this.productGroups) serializeLakeFormationGrants(group);
    new CfnOutput(this, 'DatabaseName', { description: 'Glue database of the domain', value: this.database.ref });
  }

  /**
   * One product of the domain, in `scope`: the domain stack or a product group. Grants to the domain
   * stack's roles made from a group go into the group's managed policies (`RoleGrants`); the
   * product's S3 location is an output of the domain stack either way.
   */
  private addProduct(scope: Construct, contract: DataContract, context: ProductContext): DataProduct {
    const product = new DataProduct(scope, constructIdFor(contract.id), {
      contract,
      database: this.database,
      encryptionKey: this.key,
      accessLogsBucket: this.accessLogsBucket.bucket,
      classifications: context.config.classifications,
      lakeFormation: this.lakeFormation,
      tagAssociations: context.associations.filter((a) => a.resource.type !== 'database' && contract.tables.some((t) => t.physicalName === (a.resource as { table: string }).table)),
      dataAccessRole: RoleGrants.of(scope, this.dataAccessRole),
    });
    product.grantWrite(RoleGrants.of(scope, this.producerRole));
    // The mechanics live with the product (it owns the bucket, key and stored contract); the mesh
    // (its name, bus and catalog account) is known here.
    product.grantContractRead(context.catalogReader);
    product.publishContract({ mesh: context.config.name, bus: this.centralBus });
    new CfnOutput(this, `${constructIdFor(contract.id)}Location`, {
      description: `S3 location of product ${contract.id}`,
      value: `s3://${product.bucket.bucketName}/${product.prefix}`,
    });
    return product;
  }

  /**
   * Shares the domain's products with the governance account by LF-tag (domain=<name>), with the
   * grant option, plus DESCRIBE on every value of both tags so the governance account may re-grant
   * narrower expressions to consumers: this domain's `share` steps of the grant plan (none for a
   * domain in the governance account). The domain keeps its catalog, data and tags; RAM carries the
   * share (automatic inside an AWS Organization).
   */
  private shareWithGovernance(plan: GrantPlan, emitted: Map<string, CfnResource>): void {
    const mine = new Set((['tables', 'database', 'tag-domain', 'tag-classification'] as const).map((what) => stepIds.share(this.account, this.domainName, what)));
    emitPermissionSteps(this, permissionSteps(plan.steps, this.account, 'share').filter((s) => mine.has(s.id)), emitted);
  }
}

interface ProductContext {
  readonly config: MeshConfig;
  readonly associations: readonly TagAssociationStep[];
  readonly catalogReader: iam.IRole;
}

/**
 * The role the domain's pipelines write its products with, assumable only by the principals the
 * mesh names for the domain (`producers`), or, when it names none, by the roles of the domain's
 * account called `tessera-<mesh>-<domain>-producer-*`: creating a role with that name takes IAM
 * administration, so the name is a deliberate opt-in, unlike trusting the whole account (any
 * principal with sts:AssumeRole on `*`). The principals are held by aws:PrincipalArn under their
 * accounts, not named as principals: IAM refuses a trust policy naming a role that does not exist
 * yet, and pipelines are often created after the domain.
 */
function producerRole(scope: Stack, config: MeshConfig, domain: MeshDomain): iam.Role {
  const partition = RegionInfo.get(config.region).partition ?? 'aws';
  const producers = domain.producers.length > 0 ? domain.producers : [`arn:${partition}:iam::${domain.account}:role/tessera-${config.name}-${domain.name}-producer-*`];
  const accounts = [...new Set(producers.map((arn) => arn.split(':')[4]!))];
  const named = { ArnLike: { 'aws:PrincipalArn': producers } };
  const role = new iam.Role(scope, 'ProducerRole', {
    assumedBy: new iam.AccountPrincipal(accounts[0]).withConditions(named),
    description: `Pipelines of domain ${domain.name} write its data products with this role`,
  });
  for (const account of accounts.slice(1)) {
    role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [new iam.AccountPrincipal(account)], conditions: named }));
  }
  return role;
}
