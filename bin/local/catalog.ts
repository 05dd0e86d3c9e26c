/**
 * The example mesh's catalog without an AWS account: a local moto server stands in for DynamoDB and
 * S3, each contract is stored in a product bucket as a domain stack stores it, and Tessera's own
 * catalog handlers do the rest. The ingest handler receives the `ContractPublished` events (and,
 * when local sample data exists, the `tessera.quality` events of DuckDB quality runs) and the API
 * handler answers requests, exactly as on AWS, minus API Gateway and EventBridge.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3ContractReader } from '../../lambdas/catalog/ingest/deps.js';
import { createCatalogTable, dynamoCatalogStore, LocalCatalog } from '../../lambdas/catalog/local.js';
import type { Mesh } from '../../lib/mesh/load.js';
import { runLocalQuality } from '../../lib/quality/local.js';
import { qualityEventDetailOf, type QualityReport } from '../../lib/quality/run.js';
import { startMoto, type Moto } from './moto-server.js';
import { meshViewLineage } from '../../lib/lineage/columns.js';
import { describedViewLineage, meshLineageEvents } from '../../lib/lineage/openlineage/mesh.js';

export interface LocalCatalogRun {
  readonly catalog: LocalCatalog;
  readonly published: number;
  /** Products whose quality was measured on local data and reported to the catalog. */
  readonly qualityRuns: number;
  readonly elapsedMs: number;
  /** The local moto server's URL, for services that run on it beside the catalog. */
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface OpenLocalCatalogOptions {
  /** Quality runs already measured, reported as they are (the demo's step 3). */
  readonly qualityReports?: readonly QualityReport[];
  /** Otherwise, the sample data root to measure quality on; runs are reported when it exists. */
  readonly dataRoot?: string;
  /** The moment quality SLAs are measured at. @default now */
  readonly now?: Date;
}

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function openLocalCatalog(mesh: Mesh, options: OpenLocalCatalogOptions = {}): Promise<LocalCatalogRun> {
  const started = performance.now();
  const moto: Moto = await startMoto();
  try {
    const region = mesh.config.region;
    const clientConfig = { endpoint: moto.endpoint, region, credentials: CREDENTIALS };
    const dynamo = new DynamoDBClient(clientConfig);
    const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
    const table = `tessera-${mesh.config.name}-catalog`;
    await createCatalogTable(dynamo, table);
    const catalog = new LocalCatalog({ store: dynamoCatalogStore(dynamo, table), mesh: mesh.config.name, readContract: s3ContractReader(s3) });
    await catalog.seedMeshConfig(mesh.config);
    // What the governance stack's deploy writes beside the mesh config: the views' and ports' lineage.
    const lineage = meshLineageEvents({ mesh: mesh.config.name, region, at: new Date().toISOString(), products: mesh.products, views: describedViewLineage(meshViewLineage(mesh), mesh.views) });
    await catalog.store.putMeshLineage(lineage);

    // Each domain's products in a bucket of its account, under the key a DataProduct deploys to.
    const contracts = [];
    for (const domain of mesh.config.domains) {
      const bucket = `tessera-${mesh.config.name}-${domain.name}-${domain.account}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: region as never } }));
      for (const { contract } of mesh.products.filter((p) => p.domain === domain.name)) {
        const key = `${contract.id}/_tessera/contract/${contract.version}.odcs.yaml`;
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: contract.source.text }));
        contracts.push({ text: contract.source.text, domain: domain.name, location: { account: domain.account, region, bucket, key } });
      }
    }
    const publication = await catalog.publish(contracts);
    if (publication.batchItemFailures.length > 0) throw new Error(`the local catalog's ingest failed ${publication.batchItemFailures.length} publications`);

    const reports = options.qualityReports ?? (await measureQuality(mesh, options));
    for (const report of reports) {
      const result = await catalog.publishQuality(qualityEventDetailOf(report, `local-${randomUUID()}`));
      if (result.batchItemFailures.length > 0) throw new Error(`the local catalog refused the quality run of ${report.product}`);
    }
    const qualityRuns = reports.length;
    return { catalog, published: contracts.length, qualityRuns, elapsedMs: performance.now() - started, endpoint: moto.endpoint, close: () => moto.stop() };
  } catch (e) {
    await moto.stop();
    throw e;
  }
}

/** Each product's quality on the local sample data, when there is any. */
async function measureQuality(mesh: Mesh, options: OpenLocalCatalogOptions): Promise<QualityReport[]> {
  const dataRoot = options.dataRoot;
  if (dataRoot === undefined || !(await stat(dataRoot).catch(() => undefined))?.isDirectory()) return [];
  const now = options.now ?? new Date();
  const reports: QualityReport[] = [];
  for (const { contract } of mesh.products) reports.push(await runLocalQuality(contract, dataRoot, now));
  return reports;
}
