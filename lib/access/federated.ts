/**
 * Who may read a federated source. Its Athena catalog is of type LAMBDA, which Lake Formation does
 * not govern: whoever may invoke the connector reads every item of every table it lists. The mesh's
 * tag grants decide instead, as if the source were one column of its domain carrying its
 * classification: a consumer may invoke the connector when one of its grants names the source's
 * domain (or `*`) and the source's classification.
 */
import type { FederatedSource, MeshConfig, MeshConsumer } from '../mesh/config.js';

/** The source's classification: the one it declares, else the ontology's most sensitive. */
export function federatedSourceClassification(config: Pick<MeshConfig, 'classifications'>, source: FederatedSource): string {
  const classification = source.classification ?? config.classifications[config.classifications.length - 1];
  if (classification === undefined) throw new Error(`federated source '${source.name}': the mesh has no classifications to classify it with`);
  return classification;
}

/** The consumers whose grants reach `source` of `domain`, in config order. */
export function federatedSourceReaders(config: Pick<MeshConfig, 'classifications' | 'consumers'>, domain: string, source: FederatedSource): MeshConsumer[] {
  const classification = federatedSourceClassification(config, source);
  return config.consumers.filter((consumer) =>
    consumer.grants.some((grant) => (grant.domains.includes(domain) || grant.domains.includes('*')) && grant.classifications.includes(classification)),
  );
}
