/**
 * Who may publish what. Every domain account may put `tessera.*` events on the central bus, so an
 * event is believed only for the domain of the account that put it: EventBridge sets the envelope's
 * `account` (the one field a publisher cannot forge), the detail is the publisher's word. A
 * publication's event, its contract's bucket and its domain must all be that account's, and a
 * product stays with the domain that first published it; a quality run counts only from the account
 * of its product's domain. A refusal is a `PermanentError` (kind `foreign-publisher`): dropped and
 * logged, never recorded on the product's page, which another domain must not be able to write to.
 */
import type { MeshConfig } from '../mesh/config.js';
import { PermanentError } from './ingest-errors.js';
import type { PublicationDetail } from './publication.js';

const refuse = (message: string): never => {
  throw new PermanentError(message, 'foreign-publisher');
};

/**
 * @param account the envelope's `account`
 * @param owner the domain the catalog already holds the product under, if any
 */
export function authorizePublication(account: string, detail: PublicationDetail, config: MeshConfig | undefined, owner: string | undefined): void {
  if (detail.location.account !== account) {
    refuse(`detail.location.account: account ${account} announced a contract in account ${detail.location.account}; a domain publishes only from its own buckets`);
  }
  if (config) {
    const domain = config.domains.find((d) => d.name === detail.domain);
    if (!domain) refuse(`detail.domain: '${detail.domain}' is not a domain of mesh '${config.name}'`);
    else if (domain.account !== account) refuse(`account: the event came from account ${account}, but domain '${domain.name}' is account ${domain.account}`);
  }
  if (owner !== undefined && owner !== detail.domain) refuse(`detail.domain: product '${detail.product}' belongs to domain '${owner}', not '${detail.domain}'`);
}

/**
 * @param account the envelope's `account`
 * @param owner the domain of the published product, if it is published; runs of a product not
 *   published yet are kept, and count once it is
 */
export function authorizeQualityRun(account: string, product: string, config: MeshConfig | undefined, owner: string | undefined): void {
  const ownerAccount = config?.domains.find((d) => d.name === owner)?.account;
  if (ownerAccount !== undefined && ownerAccount !== account) {
    refuse(`account: a quality run of '${product}' came from account ${account}, not from its domain's account ${ownerAccount}`);
  }
}
