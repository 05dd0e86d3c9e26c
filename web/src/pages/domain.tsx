/** A domain's page: its products, their owners, and its health. */
import { allProducts } from '../api.js';
import { ProductTable } from '../components/product-table.js';
import { Show, useLoad } from '../load.js';
import { href } from '../router.js';

export function DomainPage({ name }: { name: string }) {
  const loaded = useLoad(() => allProducts({ domain: name }), [name]);
  return (
    <>
      <h1>Domain {name}</h1>
      <Show loaded={loaded}>
        {(products) =>
          products.length === 0 ? (
            <p>
              The domain {name} has no product in the catalog. <a href={href.mesh()}>See every domain</a>.
            </p>
          ) : (
            <>
              <p>
                Owners: {[...new Set(products.flatMap((p) => p.owners))].join(', ')}. Search{' '}
                <a href={href.search({ domain: name })}>within this domain</a>.
              </p>
              <ProductTable products={products} caption={`The products of domain ${name}`} />
            </>
          )
        }
      </Show>
    </>
  );
}
