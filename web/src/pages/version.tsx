/** One version of a product, with the breaking-change report against the version before it. */
import { getJson, productPath, type VersionDetail } from '../api.js';
import { Show, useLoad } from '../load.js';
import { href } from '../router.js';
import { TableHead } from '../components/table-head.js';

export function VersionPage({ id, version }: { id: string; version: string }) {
  const loaded = useLoad(() => getJson<VersionDetail>(`${productPath(id)}/versions/${encodeURIComponent(version)}`), [id, version]);
  return (
    <>
      <h1>
        {id} {version}
      </h1>
      <p>
        <a href={href.product(id)}>Back to {id}</a>
      </p>
      <Show loaded={loaded}>{(v) => <Diff v={v} />}</Show>
    </>
  );
}

function Diff({ v }: { v: VersionDetail }) {
  const d = v.diff;
  return (
    <>
      <p>
        Published {v.publishedAt}, sha256 <code>{v.sha256.slice(0, 12)}</code>, stored at <code>s3://{v.location.bucket}/{v.location.key}</code>.
      </p>
      {d === null ? (
        <p>The first version: nothing to compare with.</p>
      ) : (
        <section aria-labelledby="diff">
          <h2 id="diff">
            Changes from {d.before} to {d.after}
          </h2>
          <p role="status">
            {d.breaking ? 'Breaking for consumers' : 'Not breaking for consumers'}; the version bump is {d.versionBump}
            {d.ok ? '' : `, which is too small${d.suggested ? `: ${d.suggested} was due` : ''}`}.
          </p>
          {d.changes.length === 0 ? (
            <p>No change that consumers would notice.</p>
          ) : (
            <table>
              <caption>{d.changes.length} change(s)</caption>
              <TableHead columns={['severity', 'what', 'change', 'before', 'after']} />
              <tbody>
                {d.changes.map((c, i) => (
                  <tr key={i} class={`severity-${c.severity}`}>
                    <td>{c.severity}</td>
                    <td>{c.subject}</td>
                    <td>{c.message}</td>
                    <td>{c.before ?? ''}</td>
                    <td>{c.after ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}
