/**
 * `DataProduct`: everything one ODCS contract asks for in a domain account. Storage (S3 + KMS,
 * versioned, SSL-only, private, access-logged, lifecycle from the retention SLA, RETAINed), one
 * Glue table per contract table with Athena partition projection, Lake Formation registration of
 * the location through a data-access role, LF-tags on tables and columns from each column's
 * classification, and the contract itself stored beside the data.
 */
import { Annotations, Aws, CfnDeletionPolicy, CfnOutput, Duration, Stack, Token, type RemovalPolicy } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { PUBLICATION_DETAIL_TYPE, PUBLICATION_SOURCE, publicationDetail, type PublicationDetail } from '../lib/catalog/publication.js';
import { publicationRunId } from '../lib/lineage/openlineage/publication.js';
import { Contract, ContractError, readinessErrors } from '../lib/contract/contract-file.js';
import type { DataContract, Table } from '../lib/contract/model.js';
import { DEFAULT_CLASSIFICATIONS } from '../lib/contract/rules.js';
import { groupByClassification, mostSensitive } from '../lib/glue/classification.js';
import { databaseNameFor } from '../lib/glue/names.js';
import { latencyChecks } from '../lib/quality/sla-alarm.js';
import { glueTableInput } from '../lib/glue/table-input.js';
import { secureBucketProps } from './core/buckets.js';
import { acknowledge, acknowledgeBucketGrant, acknowledgeSdkCallProvider } from './core/compliance.js';
import { constructIdFor } from './core/ids.js';
import { dataRemovalPolicy } from './core/removal.js';
import { DataProductBase, ImportedDataProduct, type DataProductAttributes, type IDataProduct } from './data-product-base.js';
import { CLASSIFICATION_TAG, DOMAIN_TAG, LakeFormationSetup, lakeFormationDataAccessRole } from './lake-formation.js';
import { allowLogGroupEncryption } from './core/keys.js';
import type { TagAssociationStep } from '../lib/access/plan.js';

export { DataProductBase, type DataProductAttributes, type IDataProduct } from './data-product-base.js';

export interface DataProductProps {
  /**
   * The product's contract (`Contract.fromFile`, `loadContract` or `loadMeshFile`). It must be
   * deployable as a data product: a contract that is valid ODCS but not ready (no domain, owner,
   * support channel, classifications...) is refused with every finding.
   */
  readonly contract: DataContract;
  /**
   * The Glue database the product's tables are created in.
   * @default - a database named after the contract's domain
   */
  readonly database?: glue.CfnDatabase;
  /**
   * A bucket to store the product under `prefix` in, owned by the caller (its lifecycle too).
   * @default - a dedicated bucket, encrypted with `encryptionKey`
   */
  readonly bucket?: s3.IBucket;
  /**
   * The key prefix of the product's data in `bucket`, without a trailing slash.
   * @default - the contract id in a shared bucket; the bucket root in a dedicated one
   */
  readonly prefix?: string;
  /**
   * The KMS key of a dedicated bucket.
   * @default - a new customer-managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Where the dedicated bucket's server access logs go (an SSE-S3 bucket: S3 cannot log to SSE-KMS).
   * @default - a new log bucket
   */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * The classification ontology, least to most sensitive (the mesh config's).
   * @default public, internal, confidential, restricted
   */
  readonly classifications?: readonly string[];
  /**
   * The account's Lake Formation settings and LF-tag ontology, which tables and columns are tagged
   * with (a DomainStack passes its own).
   * @default - one LakeFormationSetup per stack, shared by its products: data lake settings that add
   * the CDK execution role as admin, the `domain` LF-tag (every product domain of the stack) and the
   * `classification` LF-tag (`classifications`)
   */
  readonly lakeFormation?: LakeFormationSetup;
  /**
   * Whether tables, columns and a database of the product's own carry LF-tags. Turn it off only
   * when another tool owns the account's LF-tags (LF-tag keys are unique per account, so creating
   * them twice fails the deployment).
   * @default true
   */
  readonly lakeFormationTags?: boolean;
  /**
   * The grant plan's tag associations of this product's tables and columns (`lib/access`), which
   * then are exactly what the product tags. The account's LF-tags must exist: in `lakeFormation`,
   * or in a stack of the account deployed before this one.
   * @default - the tags are derived from the contract here
   */
  readonly tagAssociations?: readonly TagAssociationStep[];
  /**
   * The role Lake Formation uses to reach the data location.
   * @default - a new role trusted by lakeformation.amazonaws.com, limited to this location
   */
  readonly dataAccessRole?: iam.IRole;
  /**
   * What happens to the bucket and key when the product is removed from the app. DESTROY needs the
   * context flag `@tessera/removeDataOnDestroy=true`.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Where `DataProduct.publishContract` announces the deployed contract. */
export interface ContractPublicationProps {
  /** The mesh's name, as the catalog knows it. */
  readonly mesh: string;
  /** The mesh's central bus (in the governance account); it must accept `tessera.*` sources from this account. */
  readonly bus: events.IEventBus;
}

export class DataProduct extends DataProductBase {
  /**
   * Reads, validates and deploys a contract file: the product, or one `ContractError` listing
   * every finding with its file:line:column (the standard's and the product's).
   */
  static fromContractFile(scope: Construct, id: string, path: string, props: Omit<DataProductProps, 'contract'> = {}): DataProduct {
    const contract = Contract.fromFile(path, { profile: 'product', classifications: props.classifications });
    return new DataProduct(scope, id, { ...props, contract });
  }

  /** A product another app deployed, to grant access to or watch. */
  static fromProductAttributes(scope: Construct, id: string, attrs: DataProductAttributes): IDataProduct {
    return new ImportedDataProduct(scope, id, attrs);
  }

  readonly contract: DataContract;
  readonly productId: string;
  readonly domain: string;
  readonly bucket: s3.IBucket;
  readonly encryptionKey?: kms.IKey;
  /** Key prefix of the product in `bucket`: '' or ending with '/'. */
  readonly prefix: string;
  readonly database: glue.CfnDatabase;
  readonly databaseName: string;
  /** Glue tables by contract table name. */
  readonly tables: ReadonlyMap<string, glue.CfnTable>;
  readonly tableNames: readonly string[];
  /** The S3 key of the deployed contract (`<prefix>_tessera/contract/<version>.odcs.yaml`). */
  readonly contractObjectKey: string;
  /** Copies the contract to `contractObjectKey`; whatever reads it at deploy time depends on this. */
  readonly contractDeployment: s3deploy.BucketDeployment;
  readonly dataAccessRole: iam.IRole;
  /** The Lake Formation setup tables are tagged with; undefined when `lakeFormationTags` is false. */
  readonly lakeFormation?: LakeFormationSetup;
  protected readonly catalogId = Aws.ACCOUNT_ID;
  private readonly locationRegistration: lakeformation.CfnResource;

  constructor(scope: Construct, id: string, props: DataProductProps) {
    super(scope, id);
    const contract = props.contract;
    const classifications = props.classifications ?? DEFAULT_CLASSIFICATIONS;
    // However the contract was loaded, only a deployable product gets this far.
    const blocking = readinessErrors(contract, classifications);
    if (blocking.length > 0 || !contract.domain) throw new ContractError(contract.source.file, blocking, `cannot be deployed as data product ${id}`);
    this.contract = contract;
    this.productId = contract.id;
    this.domain = contract.domain;
    const removalPolicy = dataRemovalPolicy(this, props.removalPolicy);
    const tagged = props.lakeFormationTags ?? true;
    // With the grant plan's associations (a DomainStack), the account's setup is given or lives in
    // the stack owning the account's settings: never a second one here (LF-tag keys are unique per account).
    this.lakeFormation = tagged ? (props.lakeFormation ?? (props.tagAssociations ? undefined : stackLakeFormation(this, this.domain, classifications))) : undefined;

    // --- storage -------------------------------------------------------------------------------
    if (props.bucket) {
      if (props.encryptionKey || props.accessLogsBucket) {
        throw new Error(`DataProduct ${id}: encryptionKey and accessLogsBucket configure a dedicated bucket; with a shared bucket, configure that bucket instead`);
      }
      this.bucket = props.bucket;
      this.encryptionKey = props.bucket.encryptionKey;
      this.prefix = normalizePrefix(props.prefix ?? contract.id);
      Annotations.of(this).addInfo(`data stored under s3 prefix '${this.prefix}' of a shared bucket, whose lifecycle and logging its owner sets`);
    } else {
      this.encryptionKey =
        props.encryptionKey ??
        new kms.Key(this, 'Key', { enableKeyRotation: true, description: `Tessera data product ${contract.id}`, removalPolicy });
      this.bucket = new s3.Bucket(
        this,
        'Bucket',
        secureBucketProps({
          key: this.encryptionKey,
          accessLogsBucket: props.accessLogsBucket ?? new AccessLogsBucket(this, 'AccessLogs', { removalPolicy }).bucket,
          accessLogsPrefix: `${contract.id}/`,
          lifecycleRules: lifecycleRules(this, contract, normalizePrefix(props.prefix ?? '')),
          removalPolicy,
        }),
      );
      acknowledge(
        this.bucket,
        'Data products are read in place through Lake Formation and Athena; cross-region replication is a per-domain disaster-recovery choice, not a default that doubles storage',
        'NIST.800.53.R5-S3BucketReplicationEnabled',
        'HIPAA.Security-S3BucketReplicationEnabled',
        'PCI.DSS.321-S3BucketReplicationEnabled',
      );
      this.prefix = normalizePrefix(props.prefix ?? '');
    }
    const locationRoot = `s3://${this.bucket.bucketName}/${this.prefix}`;

    // --- the contract, stored with the data -----------------------------------------------------
    this.contractObjectKey = `${this.prefix}_tessera/contract/${contract.version}.odcs.yaml`;
    const handlersBefore = bucketDeploymentHandlers(Stack.of(this));
    this.contractDeployment = new s3deploy.BucketDeployment(this, 'Contract', {
      destinationBucket: this.bucket,
      sources: [s3deploy.Source.data(this.contractObjectKey, contract.source.text)],
      // Keep every version ever deployed: consumers and the catalog may still read older ones.
      prune: false,
      retainOnDelete: true,
      extract: true,
      memoryLimit: 256,
    });
    dropUnusedAwsCliLayer(this.contractDeployment, handlersBefore);
    acknowledgeContractDeployment(this.contractDeployment, this.bucket);

    // --- Glue ---------------------------------------------------------------------------------
    this.database = props.database ?? new glue.CfnDatabase(this, 'Database', { catalogId: Aws.ACCOUNT_ID, databaseInput: { name: databaseNameFor(this.domain) } });
    this.databaseName = this.database.ref;
    if (!props.database && this.lakeFormation && !props.lakeFormation) {
      // A database of its own, under a setup of its own: tag it with the domain (a DomainStack tags its database itself).
      const databaseTag = new lakeformation.CfnTagAssociation(this, 'DatabaseTag', {
        resource: { database: { catalogId: Aws.ACCOUNT_ID, name: this.databaseName } },
        lfTags: [{ catalogId: Aws.ACCOUNT_ID, tagKey: DOMAIN_TAG, tagValues: [this.domain] }],
      });
      databaseTag.addResourceDependency(this.lakeFormation.domainTag);
    }
    const tables = new Map<string, glue.CfnTable>();
    for (const table of contract.tables) {
      const { input, projection } = glueTableInput(contract, table, {
        locationRoot,
        classifications,
        contractLocation: `s3://${this.bucket.bucketName}/${this.contractObjectKey}`,
      });
      if (table.partitionKeys.length > 0 && !projection.enabled) {
        Annotations.of(this).addWarningV2(
          '@tessera/data-product:no-partition-projection',
          `table '${table.name}' cannot use partition projection (${projection.reasons.join('; ')}); its partitions must be registered before Athena sees them`,
        );
      }
      // The construct id is the table's logical name: stable when columns, rules or order change.
      const cfnTable = new glue.CfnTable(this, `Table${constructIdFor(table.name)}`, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: this.databaseName,
        // A plain JSON copy: CloudFormation takes the same field names, minus our readonly typing.
        tableInput: JSON.parse(JSON.stringify(input)) as glue.CfnTable.TableInputProperty,
      });
      tables.set(table.name, cfnTable);
    }
    this.tables = tables;
    this.tableNames = [...tables.values()].map((t) => t.ref);

    // --- Lake Formation -----------------------------------------------------------------------
    this.dataAccessRole = props.dataAccessRole ?? this.createDataAccessRole();
    this.grantDataAccess(this.dataAccessRole);
    this.locationRegistration = new lakeformation.CfnResource(this, 'Location', {
      resourceArn: `${this.bucket.bucketArn}${this.prefix ? `/${this.prefix.replace(/\/$/, '')}` : ''}`,
      roleArn: this.dataAccessRole.roleArn,
      useServiceLinkedRole: false,
      hybridAccessEnabled: false,
    });
    if (this.lakeFormation) this.locationRegistration.addResourceDependency(this.lakeFormation.settings);
    if (props.tagAssociations) {
      this.tagFromPlan(props.tagAssociations);
    } else if (this.lakeFormation) {
      for (const table of contract.tables) this.tagTable(table, tables.get(table.name)!, classifications);
    } else {
      Annotations.of(this).addWarningV2('@tessera/data-product:no-lf-tags', 'lakeFormationTags is false, so tables and columns carry no LF-tags and tag-based grants will not reach them');
    }
  }

  /** Metric: 1 when the product's freshness (latency SLA) check of `table` failed in a run, else 0. */
  metricFreshness(options: cloudwatch.MetricOptions & { readonly table?: string } = {}): cloudwatch.Metric {
    const { table, ...props } = options;
    const checks = latencyChecks(this.contract).filter((c) => table === undefined || c.table === table);
    if (checks.length === 0) {
      throw new Error(`DataProduct ${this.node.id}: metricFreshness: contract '${this.productId}' has no latency SLA${table ? ` on table '${table}'` : ''}; add slaProperties: [{property: latency, value: 1, unit: d, element: <table>.<column>}]`);
    }
    return this.metricCheckFailed(checks[0]!.id, props);
  }

  /**
   * Announces the deployed contract on the mesh's central bus: one `ContractPublished` event
   * (`lib/catalog/publication.ts`) with the product, version, sha256 and where the contract is, put
   * after the contract is stored. The call runs on create and whenever the event's content changes
   * (a new version or new text), so deploying the same contract again puts nothing.
   *
   * A PutEvents entry that fails (throttled, refused by the bus policy) comes back in a successful
   * response, so the resource takes the event id as its physical id and the `<id>ContractEventId`
   * output reads it: without an id, CloudFormation fails the deployment (an empty physical id, and a
   * missing attribute) instead of leaving the catalog silently behind.
   */
  publishContract(props: ContractPublicationProps): cr.AwsCustomResource {
    const stack = Stack.of(this);
    const contract = this.contract;
    const detail: PublicationDetail = {
      mesh: props.mesh,
      domain: this.domain,
      product: contract.id,
      version: contract.version,
      sha256: contract.source.sha256,
      location: { account: stack.account, region: stack.region, bucket: this.bucket.bucketName, key: this.contractObjectKey },
      // Derived, not random: the same publication keeps its id, so a redeploy puts no new event.
      correlationId: publicationRunId(props.mesh, contract.id, contract.version, contract.source.sha256),
    };
    // Check what is known at synth time; the catalog would drop an event that fails the schema.
    const valueAt = (path: readonly PropertyKey[]): unknown => path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], detail);
    const invalid = publicationDetail.safeParse(detail).error?.issues.filter((issue) => !Token.isUnresolved(valueAt(issue.path)));
    if (invalid?.length) {
      throw new Error(`DataProduct ${this.node.id}: the publication of '${contract.id}' would be rejected by the catalog: ${invalid.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    }
    const putEvents: cr.AwsSdkCall = {
      service: 'EventBridge',
      action: 'putEvents',
      parameters: {
        Entries: [{ EventBusName: props.bus.eventBusArn, Source: PUBLICATION_SOURCE, DetailType: PUBLICATION_DETAIL_TYPE, Detail: stack.toJsonString(detail) }],
      },
      physicalResourceId: cr.PhysicalResourceId.fromResponse('Entries.0.EventId'),
      outputPaths: ['Entries.0.EventId'],
    };
    const publication = new cr.AwsCustomResource(this, 'Publication', {
      resourceType: 'Custom::TesseraContractPublication',
      onCreate: putEvents,
      onUpdate: putEvents,
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.bus.eventBusArn] })]),
    });
    // Announced last: after the contract object, the Glue tables and the location registration, so
    // a deployment that fails on any of those rolls back before the catalog hears of the version.
    publication.node.addDependency(this.contractDeployment, this.locationRegistration, ...this.tables.values());
    acknowledgeSdkCallProvider(publication, `puts the ContractPublished event of ${contract.id} on the central bus`);
    new CfnOutput(this, 'ContractEventId', {
      description: `The ContractPublished event of ${contract.id} ${contract.version}`,
      value: publication.getResponseField('Entries.0.EventId'),
    });
    return publication;
  }

  /**
   * Lets `reader`, a role in another account, read the stored contracts (every version, under
   * `<prefix>_tessera/contract/`) and nothing else of the product: a bucket policy and, for a key
   * of this stack, a key policy statement. Both name the role's account as principal and the role by
   * `aws:PrincipalArn`, so the role need not exist yet (a policy naming a missing role is refused).
   * A bucket or key imported from elsewhere cannot be changed here: a warning says what to add.
   */
  grantContractRead(reader: iam.IRole): void {
    const account = reader.principalAccount ?? reader.env.account;
    const contracts = `${this.prefix}_tessera/contract/*`;
    const bucketStatement = new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal(account)],
      actions: ['s3:GetObject'],
      resources: [this.bucket.arnForObjects(contracts)],
      conditions: { StringEquals: { 'aws:PrincipalArn': reader.roleArn } },
    });
    if (!this.bucket.addToResourcePolicy(bucketStatement).statementAdded) {
      Annotations.of(this).addWarningV2('@tessera/data-product:contract-read-not-granted', `grantContractRead: the bucket is not managed by this stack; allow s3:GetObject on '${contracts}' to ${reader.roleArn} in its policy`);
    }
    if (!this.encryptionKey) return;
    const keyStatement = new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal(account)],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      // Through S3 only. The key policy cannot name the bucket (kms:EncryptionContext:aws:s3:arn):
      // the bucket refers to the key, so that would be a circular dependency. The bucket policy
      // above is what holds the reader to the contract folder; S3 needs both.
      conditions: { StringEquals: { 'aws:PrincipalArn': reader.roleArn, 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    });
    if (!this.encryptionKey.addToResourcePolicy(keyStatement, true).statementAdded) {
      Annotations.of(this).addWarningV2('@tessera/data-product:contract-decrypt-not-granted', `grantContractRead: the key is not managed by this stack; allow kms:Decrypt through S3 to ${reader.roleArn} in its policy`);
    }
  }

  protected override lakeFormationDependencies(): IConstruct[] {
    return this.lakeFormation ? [this.lakeFormation.settings] : [];
  }

  protected override tableIdOf(index: number): string {
    return this.contract.tables[index]?.name ?? String(index);
  }

  private tagTable(table: Table, cfnTable: glue.CfnTable, classifications: readonly string[]): void {
    const lf = this.lakeFormation!;
    const tableTag = mostSensitive(table.columns.map((c) => c.classification), classifications);
    const ids = { catalogId: Aws.ACCOUNT_ID, databaseName: this.databaseName, name: cfnTable.ref };
    const associations: lakeformation.CfnTagAssociation[] = [];
    if (tableTag) {
      // The table carries its most sensitive class, so a column added outside the contract is never
      // more visible than the data already there.
      associations.push(
        new lakeformation.CfnTagAssociation(this, `Tags${constructIdFor(table.name)}`, {
          resource: { table: ids },
          lfTags: [{ catalogId: Aws.ACCOUNT_ID, tagKey: CLASSIFICATION_TAG, tagValues: [tableTag] }],
        }),
      );
    }
    // One association per classification value, not per column: bounded by the ontology's size.
    for (const [value, columns] of groupByClassification(table.columns, classifications)) {
      associations.push(
        new lakeformation.CfnTagAssociation(this, `Tags${constructIdFor(table.name)}${constructIdFor(value)}`, {
          resource: { tableWithColumns: { ...ids, columnNames: columns.map((c) => c.physicalName) } },
          lfTags: [{ catalogId: Aws.ACCOUNT_ID, tagKey: CLASSIFICATION_TAG, tagValues: [value] }],
        }),
      );
    }
    // Every property of a TagAssociation requires replacement, so adding a column to a class replaces
    // its association, and CloudFormation creates the new one before it deletes the old
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lakeformation-tagassociation.html).
    // Deleting the old one calls RemoveLFTagsFromResource on every column it named, the columns the
    // new one just tagged included, and they would end up untagged: outside every tag grant. The
    // construct ids stay stable per table and class, and the replaced association is retained
    // (UpdateReplacePolicy Retain: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatereplacepolicy.html),
    // so a replacement only ever adds tags. An association whose class no longer occurs in the table
    // is retained too (DeletionPolicy), for the same reason: its columns now carry the value of their
    // new class, which its removal must not touch. A column that moves to another class gets that
    // value from the new class's association (a resource holds one value per key); one that leaves
    // the contract leaves the Glue table with it.
    for (const association of associations) {
      association.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
      association.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
      // The table is referenced (so already ordered); the tag is not.
      association.addResourceDependency(lf.classificationTag);
    }
  }

  /**
   * The plan's associations, under the construct ids `tagTable` uses (`Tags<Table>`,
   * `Tags<Table><Value>`), so logical ids do not depend on where the tags were computed.
   */
  private tagFromPlan(steps: readonly TagAssociationStep[]): void {
    for (const step of steps) {
      const target = step.resource;
      if (target.type === 'database') continue;
      const table = this.contract.tables.find((t) => t.physicalName === target.table);
      if (!table) throw new Error(`DataProduct ${this.node.id}: plan step ${step.id} tags table '${target.table}', which contract '${this.contract.id}' does not have`);
      const ids = { catalogId: Aws.ACCOUNT_ID, databaseName: this.databaseName, name: this.tables.get(table.name)!.ref };
      const lfTags = step.tags.map((t) => ({ catalogId: Aws.ACCOUNT_ID, tagKey: t.key, tagValues: [...t.values] }));
      const association =
        target.type === 'table'
          ? new lakeformation.CfnTagAssociation(this, `Tags${constructIdFor(table.name)}`, { resource: { table: ids }, lfTags })
          : new lakeformation.CfnTagAssociation(this, `Tags${constructIdFor(table.name)}${constructIdFor(step.tags[0]!.values[0]!)}`, { resource: { tableWithColumns: { ...ids, columnNames: [...target.columns] } }, lfTags });
      // Retained when replaced or removed, for the reason given in `tagTable`.
      association.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
      association.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
      if (this.lakeFormation) association.addResourceDependency(this.lakeFormation.classificationTag);
    }
  }

  private createDataAccessRole(): iam.Role {
    return lakeFormationDataAccessRole(this, 'DataAccessRole', `Lake Formation access to the data of product ${this.contract.id}`);
  }

  /** Gives the data-access role (own or shared) read-write on this product's location. */
  private grantDataAccess(role: iam.IRole): void {
    this.bucket.grantReadWrite(role, `${this.prefix}*`);
    acknowledgeBucketGrant(role, this.bucket, this.prefix);
  }
}

/**
 * The stack's own Lake Formation setup for products used outside a DomainStack: created by the
 * first product, extended with the domain of every further one. Its classifications are the
 * first product's; a product with another ontology in the same stack is refused.
 */
function stackLakeFormation(product: Construct, domain: string, classifications: readonly string[]): LakeFormationSetup {
  const stack = Stack.of(product);
  const id = 'TesseraLakeFormation';
  const existing = stack.node.tryFindChild(id);
  if (!existing) {
    // Used alone, the product's stack owns the account's Lake Formation settings; the key encrypts
    // the log group of the function that applies them.
    const key = new kms.Key(stack, `${id}Key`, { enableKeyRotation: true, description: 'Tessera: the Lake Formation settings function of this stack' });
    allowLogGroupEncryption(key);
    return new LakeFormationSetup(stack, id, { mesh: domain, key, domains: [domain], classifications });
  }
  if (!(existing instanceof LakeFormationSetup)) throw new Error(`DataProduct ${product.node.id}: the stack already has a construct '${id}' that is not a LakeFormationSetup`);
  const values = existing.classificationTag.tagValues;
  if (values.join() !== classifications.join()) {
    throw new Error(`DataProduct ${product.node.id}: classifications [${classifications.join(', ')}] differ from [${values.join(', ')}] of another product in this stack; LF-tag values are one ontology per account`);
  }
  if (!existing.domainTag.tagValues.includes(domain)) existing.domainTag.tagValues = [...existing.domainTag.tagValues, domain];
  return existing;
}

/** A bucket for S3 server access logs: SSE-S3 (S3 cannot deliver logs to SSE-KMS buckets), private, SSL-only. */
export class AccessLogsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { readonly removalPolicy: RemovalPolicy; readonly retention?: Duration }) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      versioned: true,
      lifecycleRules: [
        { id: 'expire-logs', expiration: props.retention ?? Duration.days(400), noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: props.removalPolicy,
    });
    acknowledge(
      this.bucket,
      'This bucket is the server-access-log target of the data buckets; logging it to another bucket would only move the problem, and logging it to itself loops',
      'AwsSolutions-S1',
      'NIST.800.53.R5-S3BucketLoggingEnabled',
      'HIPAA.Security-S3BucketLoggingEnabled',
      'PCI.DSS.321-S3BucketLoggingEnabled',
    );
    acknowledge(
      this.bucket,
      'S3 server access logs can only be delivered to buckets encrypted with SSE-S3, not SSE-KMS',
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'PCI.DSS.321-S3DefaultEncryptionKMS',
    );
    acknowledge(
      this.bucket,
      'Access logs are an audit trail kept for 400 days in the account that produced them; replicating them is an organisation-wide logging decision',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'HIPAA.Security-S3BucketReplicationEnabled',
      'PCI.DSS.321-S3BucketReplicationEnabled',
    );
  }
}

function lifecycleRules(scope: Construct, contract: DataContract, prefix: string): s3.LifecycleRule[] {
  const rules: s3.LifecycleRule[] = [
    { id: 'housekeeping', abortIncompleteMultipartUploadAfter: Duration.days(7), noncurrentVersionExpiration: Duration.days(30) },
  ];
  for (const table of contract.tables) {
    const retention = contract.sla.find(
      (s) => s.property.toLowerCase() === 'retention' && s.durationMs !== undefined && (s.elements.length === 0 || s.elements.some((e) => e.table.toLowerCase() === table.name.toLowerCase())),
    );
    if (retention?.durationMs === undefined) {
      Annotations.of(scope).addWarningV2('@tessera/data-product:no-retention', `table '${table.name}' of '${contract.id}' has no retention SLA, so its data is kept forever`);
      continue;
    }
    const days = Math.max(1, Math.ceil(retention.durationMs / 86_400_000));
    // Data files are written once per partition, so an object's age is its data's age to within a
    // day. The rule is scoped to the table's folder: the stored contract is never expired.
    rules.push({ id: `retention-${table.physicalName}`, prefix: `${prefix}${table.physicalName}/`, expiration: Duration.days(days) });
  }
  return rules;
}

/** The stack's BucketDeployment handlers (CDK singletons, one per memory size and network placement). */
function bucketDeploymentHandlers(stack: Stack): Set<IConstruct> {
  return new Set(stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment')));
}

/**
 * Every BucketDeployment makes an AwsCliLayer before it asks for its singleton handler, and only the
 * deployment that created the handler has its layer used: in a stack of N contracts, N-1 layer
 * versions would be deployed for nothing, one resource per product towards CloudFormation's 500
 * (aws/aws-cdk#32907, "BucketDeployment creates multiple identical, unused AwsCliLayers"). When the
 * handler existed before `deployment`, the handler has a layer already and this one is removed.
 * The layer's asset is the same file as the kept one's, so nothing else refers to it.
 */
function dropUnusedAwsCliLayer(deployment: s3deploy.BucketDeployment, handlersBefore: ReadonlySet<IConstruct>): void {
  const createdHandler = [...bucketDeploymentHandlers(Stack.of(deployment))].some((h) => !handlersBefore.has(h));
  if (createdHandler) return;
  if (!deployment.node.tryRemoveChild('AwsCliLayer')) throw new Error('BucketDeployment no longer has an AwsCliLayer child; revisit dropUnusedAwsCliLayer');
}

/**
 * The contract is copied into the bucket by CDK's BucketDeployment, whose Lambda (one per stack) is
 * built and maintained by aws-cdk-lib. Its findings are acknowledged once, on that singleton.
 */
function acknowledgeContractDeployment(deployment: s3deploy.BucketDeployment, bucket: s3.IBucket): void {
  const stack = Stack.of(deployment);
  const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler) throw new Error('BucketDeployment no longer creates its Custom::CDKBucketDeployment singleton; revisit acknowledgeContractDeployment');
  const reason = (why: string): string => `CDK BucketDeployment handler that copies the contract file at deploy time: ${why}`;
  acknowledge(handler, reason('its runtime is pinned and upgraded by aws-cdk-lib, not by us'), 'AwsSolutions-L1');
  acknowledge(handler, reason('it uses the AWS managed basic execution policy for its own log group'), 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]');
  acknowledge(handler, reason('it runs only during CloudFormation deployments, reaches S3 only, and needs no network placement'), 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC');
  acknowledge(handler, reason('CloudFormation invokes it synchronously and reports every failure as a failed deployment, so a dead-letter queue would never receive anything'), 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ');
  acknowledge(handler, reason('it runs once per deployment; reserved concurrency would only take capacity from the account'), 'NIST.800.53.R5-LambdaConcurrency', 'HIPAA.Security-LambdaConcurrency');
  acknowledge(
    handler,
    reason('it reads the staged asset from the CDK bootstrap bucket, whose name carries the account and region'),
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${stack.account}-${stack.region}/*]`,
  );
  // It writes under the bucket root (the contract key carries the prefix).
  acknowledgeBucketGrant(deployment.handlerRole, bucket, '');
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

