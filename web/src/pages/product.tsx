/** A product's page: what it is, who owns it, whether to trust it, its schema, access and versions. */
import { getJson, productPath, queryString, type ProductDetail, type QualityHistory, type VersionList } from '../api.js';
import { FreshnessBadge, TrustBadge } from '../components/badges.js';
import { CopyButton } from '../components/copy-button.js';
import { QualityChart } from '../components/quality-chart.js';
import { Show, useLoad } from '../load.js';
import { href } from '../router.js';
import { AccessSection, SchemaSection } from './product-schema.js';
import { TableHead } from '../components/table-head.js';
import type { AccessRequestList } from '../components/access-requests.js';

interface ProductData {
  readonly detail: ProductDetail;
  readonly versions: VersionList;
  readonly quality: QualityHistory;
  readonly requests: AccessRequestList | { error: string };
}

const loadProduct = async (id: string): Promise<ProductData> => {
  const [detail, versions, quality, requests] = await Promise.all([
    getJson<ProductDetail>(productPath(id)),
    getJson<VersionList>(`${productPath(id)}/versions?limit=100`),
    getJson<QualityHistory>(`${productPath(id)}/quality?limit=100`),
    // The page without its requests rather than no page: the section says why they are missing.
    getJson<AccessRequestList>(`access-requests${queryString({ product: id })}`).catch((e: unknown) => ({ error: (e as Error).message })),
  ]);
  return { detail, versions, quality, requests };
};

export function ProductPage({ id }: { id: string }) {
  const loaded = useLoad(() => loadProduct(id), [id]);
  return <Show loaded={loaded}>{(data) => <Product {...data} />}</Show>;
}

const percent = (share: number | null): string => (share === null ? '—' : `${Math.round(share * 100)} %`);

function Product({ detail: p, versions, quality, requests }: ProductData) {
  return (
    <article>
      <h1>{p.name}</h1>
      <p class="muted">
        {p.id} · version {p.version} · {p.status} · domain <a href={href.domain(p.domain)}>{p.domain}</a> · <TrustBadge trust={p.trust} /> <FreshnessBadge freshness={p.freshness} />
      </p>
      {p.description.purpose ? <p>{p.description.purpose}</p> : null}
      <dl class="facts">
        {p.description.usage ? <Fact term="Usage">{p.description.usage}</Fact> : null}
        {p.description.limitations ? <Fact term="Limitations">{p.description.limitations}</Fact> : null}
        <Fact term="Owners">{[p.team?.name, ...p.owners.map((o) => (o.name ? `${o.name} (${o.username}${o.role ? `, ${o.role}` : ''})` : o.username))].filter(Boolean).join('; ')}</Fact>
        <Fact term="Support">
          {p.support.length === 0
            ? 'none listed'
            : p.support.map((s, i) => (
                <span key={i}>
                  {i > 0 ? '; ' : ''}
                  {s.url ? <a href={s.url}>{s.channel}</a> : s.channel}
                  {s.tool ? ` (${s.tool})` : ''}
                </span>
              ))}
        </Fact>
        {p.tags.length > 0 ? <Fact term="Tags">{p.tags.join(', ')}</Fact> : null}
      </dl>

      <section aria-labelledby="trust">
        <h2 id="trust">Trust and freshness</h2>
        <dl class="facts">
          <Fact term="Trust">
            {p.trust.label}
            {p.trust.score === null ? '' : ` (score ${p.trust.score} of 100)`}
          </Fact>
          <Fact term="Why">{p.trust.explanation}</Fact>
          <Fact term="Checks passed">{percent(p.trust.passRate)} over {p.trust.runs} run(s)</Fact>
          <Fact term="SLA attainment">{percent(p.trust.slaAttainment)}</Fact>
          <Fact term="Freshness">
            {p.freshness.status}
            {p.freshness.latency ? ` (latency SLA ${p.freshness.latency})` : ''}
          </Fact>
          <Fact term="Freshness detail">{p.freshness.detail}</Fact>
        </dl>
        {p.slas.length > 0 ? (
          <table>
            <caption>Service levels</caption>
            <TableHead columns={['property', 'value', 'measured on', 'description']} />
            <tbody>
              {p.slas.map((s) => (
                <tr key={`${s.property}-${s.elements.join()}`}>
                  <td>{s.property}</td>
                  <td>{`${String(s.value)}${s.unit ? ` ${s.unit}` : ''}`}</td>
                  <td>{s.elements.join(', ')}</td>
                  <td>{s.description ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>

      <section aria-labelledby="quality">
        <h2 id="quality">Quality trend</h2>
        <QualityChart runs={quality.items} />
        {p.quality && p.quality.failing.length > 0 ? (
          <>
            <h3>Failing in the latest run ({p.quality.at})</h3>
            <ul>
              {p.quality.failing.map((f) => (
                <li key={f.id}>
                  {f.name} ({f.severity}, {f.status}): expected {f.expected ?? '?'}, actual {f.actual ?? '?'}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <SchemaSection tables={p.tables} />
      <AccessSection product={p} requests={requests} />

      <section aria-labelledby="queries">
        <h2 id="queries">Example queries</h2>
        {p.tables.map((t) => (
          <div key={t.name} class="query">
            <h3>{t.athenaTable}</h3>
            <pre>
              <code>{t.sampleQuery}</code>
            </pre>
            <CopyButton text={t.sampleQuery} label={`Copy the query on ${t.athenaTable}`} />
          </div>
        ))}
      </section>

      <section aria-labelledby="versions">
        <h2 id="versions">Versions</h2>
        <table>
          <caption>Published versions, newest first</caption>
          <TableHead columns={['version', 'published', 'changes since the previous version']} />
          <tbody>
            {versions.items.map((v) => (
              <tr key={v.version}>
                <td>
                  <a href={href.version(p.id, v.version)}>{v.version}</a>
                </td>
                <td>{v.publishedAt}</td>
                <td>{v.previousVersion === null ? 'first version' : `${v.changes} change(s) since ${v.previousVersion}${v.breaking ? ', breaking' : ''}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {p.rejections.length > 0 ? (
          <>
            <h3>Refused publications</h3>
            <ul>
              {p.rejections.map((r) => (
                <li key={r.eventId}>
                  {r.version ?? '?'} at {r.at} ({r.kind}): {r.message}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </article>
  );
}

function Fact({ term, children }: { term: string; children: preact.ComponentChildren }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
