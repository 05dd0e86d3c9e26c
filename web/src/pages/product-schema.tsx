/** A product's schema (columns, types, classifications, keys) and who can read which columns. */
import type { ProductDetail } from '../api.js';
import { AccessRequests, type AccessRequestList } from '../components/access-requests.js';
import { TableHead } from '../components/table-head.js';

type Table = ProductDetail['tables'][number];

const keyText = (c: Table['columns'][number]): string =>
  [c.primaryKeyPosition ? `primary key ${c.primaryKeyPosition}` : '', c.partitionKeyPosition ? `partition ${c.partitionKeyPosition}` : ''].filter(Boolean).join(', ');

export function SchemaSection({ tables }: { tables: readonly Table[] }) {
  return (
    <section aria-labelledby="schema">
      <h2 id="schema">Schema</h2>
      {tables.map((t) => (
        <table key={t.name}>
          <caption>
            {t.athenaTable}
            {t.classification ? ` (${t.classification})` : ''}
            {t.description ? ` — ${t.description}` : ''}
          </caption>
          <TableHead columns={['column', 'type', 'classification', 'key', 'required', 'description']} />
          <tbody>
            {t.columns.map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.physicalName}</th>
                <td>{c.type ?? c.logicalType ?? ''}</td>
                <td>{c.classification ?? ''}</td>
                <td>{keyText(c)}</td>
                <td>{c.required ? 'yes' : 'no'}</td>
                <td>{c.description ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}

export function AccessSection({ product, requests }: { product: ProductDetail; requests: AccessRequestList | { error: string } }) {
  const access = product.access;
  const request = `tessera access request ${product.id} --reason <text> --duration 30d`;
  return (
    <section aria-labelledby="access">
      <h2 id="access">Access</h2>
      {access.available ? (
        <>
          {access.consumers.length === 0 ? <p>No consumer of the mesh can read it yet.</p> : null}
          {access.consumers.map((c) =>
            c.tables.every((t) => t.readableColumns.length === 0) ? (
              <p key={c.name}>
                <strong>
                  {c.name} ({c.role})
                </strong>{' '}
                reads none of its columns.
              </p>
            ) : (
            <table key={c.name}>
              <caption>
                {c.name} ({c.role}){c.description ? ` — ${c.description}` : ''}
              </caption>
              <TableHead columns={['table', 'readable columns']} />
              <tbody>
                {c.tables.map((t) => (
                  <tr key={t.table}>
                    <td>{t.athenaTable}</td>
                    <td>{t.readableColumns.length === 0 ? 'none' : t.readableColumns.length === t.totalColumns ? `all ${t.totalColumns}` : `${t.readableColumns.length} of ${t.totalColumns}: ${t.readableColumns.join(', ')}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            ),
          )}
          <p>{access.howTo}</p>
        </>
      ) : (
        <p>{access.reason}</p>
      )}
      <p>To ask for access, run:</p>
      <pre>
        <code>{request}</code>
      </pre>
      <h3>Requests</h3>
      <AccessRequests requests={requests} />
    </section>
  );
}
