/** Products at a glance: one row each with trust, the latest quality run and SLA attainment. */
import type { ProductSummary } from '../api.js';
import { href } from '../router.js';
import { runText, slaText, TrustBadge } from './badges.js';
import { TableHead } from './table-head.js';

export function ProductTable({ products, caption }: { products: readonly ProductSummary[]; caption: string }) {
  if (products.length === 0) return <p>No products.</p>;
  return (
    <table class="products">
      <caption>{caption}</caption>
      <TableHead columns={['product', 'domain', 'version', 'trust', 'latest quality run', 'SLAs']} />
      <tbody>
        {products.map((p) => (
          <tr key={p.id}>
            <th scope="row">
              <a href={href.product(p.id)}>{p.name}</a>
              <div class="muted small">{p.description}</div>
            </th>
            <td>
              <a href={href.domain(p.domain)}>{p.domain}</a>
            </td>
            <td>{p.version}</td>
            <td>
              <TrustBadge trust={p.trust} />
            </td>
            <td>
              {runText(p.latestQuality)}
              {p.latestQuality ? <div class="muted small">{p.latestQuality.at}</div> : null}
            </td>
            <td>{slaText(p.latestQuality?.slaMet)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
