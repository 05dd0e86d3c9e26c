/** The mesh overview: every product's health at a glance, and the domains. */
import { allProducts, type ProductSummary } from '../api.js';
import { ProductTable } from '../components/product-table.js';
import { Show, useLoad } from '../load.js';
import { href } from '../router.js';

const LABELS = ['high', 'medium', 'low', 'unknown'] as const;

export function MeshPage() {
  const loaded = useLoad(() => allProducts(), []);
  return (
    <>
      <h1>Mesh overview</h1>
      <Show loaded={loaded}>{(products) => <Overview products={products} />}</Show>
    </>
  );
}

function Overview({ products }: { products: readonly ProductSummary[] }) {
  const domains = [...new Set(products.map((p) => p.domain))].sort();
  const count = (label: string): number => products.filter((p) => p.trust.label === label).length;
  return (
    <>
      <section aria-labelledby="health">
        <h2 id="health">Health</h2>
        <ul class="tiles">
          <li>
            <strong>{products.length}</strong> products
          </li>
          <li>
            <strong>{domains.length}</strong> domains
          </li>
          {LABELS.map((label) => (
            <li key={label} class={`trust-${label}`}>
              <strong>{count(label)}</strong> trust {label}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="domains">
        <h2 id="domains">Domains</h2>
        <ul class="inline">
          {domains.map((d) => (
            <li key={d}>
              <a href={href.domain(d)}>{d}</a>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="all">
        <h2 id="all">Every product</h2>
        <ProductTable products={products} caption="Every product of the mesh, by id" />
      </section>
    </>
  );
}
