/**
 * Search with filters. The API ranks and tolerates typos; the filters' choices are what the
 * catalog's products actually have. The form writes its state into the URL, so a search is a link.
 */
import { allProducts, getJson, queryString, type ProductSummary, type SearchResponse } from '../api.js';
import { TrustBadge } from '../components/badges.js';
import { Show, useLoad } from '../load.js';
import { href } from '../router.js';

const FILTERS = ['domain', 'tag', 'classification', 'owner'] as const;
type Filter = (typeof FILTERS)[number];

const choicesOf = (products: readonly ProductSummary[], filter: Filter): string[] => {
  const values = products.flatMap((p) => (filter === 'domain' ? [p.domain] : filter === 'tag' ? p.tags : filter === 'classification' ? p.classifications : p.owners));
  return [...new Set(values)].sort();
};

export function SearchPage({ params }: { params: URLSearchParams }) {
  const wanted = { q: params.get('q') ?? '', ...Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) } as Record<'q' | Filter, string>;
  const key = queryString(wanted);
  const choices = useLoad(() => allProducts(), []);
  const results = useLoad(() => getJson<SearchResponse>(`products${key}`), [key]);
  const submit = (event: Event): void => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (k: string): string => {
      const value = form.get(k);
      return typeof value === 'string' ? value.trim() : '';
    };
    location.hash = href.search(Object.fromEntries(['q', ...FILTERS].map((k) => [k, text(k)])));
  };
  return (
    <>
      <h1>Search the catalog</h1>
      <form role="search" class="search" onSubmit={submit}>
        <label>
          Words <input name="q" type="search" value={wanted.q} placeholder="e.g. shipments, order lines, sku" />
        </label>
        {FILTERS.map((f) => (
          <label key={f}>
            {f}
            <select name={f} value={wanted[f]}>
              <option value="">any</option>
              {choices.state === 'ok' ? choicesOf(choices.value, f).map((v) => <option key={v} value={v}>{v}</option>) : wanted[f] ? <option value={wanted[f]}>{wanted[f]}</option> : null}
            </select>
          </label>
        ))}
        <button type="submit">Search</button>
      </form>
      <Show loaded={results}>{(response) => <Results response={response} />}</Show>
    </>
  );
}

function Results({ response }: { response: SearchResponse }) {
  if (response.items.length === 0) return <p role="status">No product matches. Fewer words or filters find more.</p>;
  return (
    <>
      <p role="status">
        {response.items.length} product{response.items.length === 1 ? '' : 's'}
        {response.next ? ' (more exist: narrow the search)' : ''}
      </p>
      <ol class="results">
        {response.items.map((p) => (
          <li key={p.id}>
            <h2>
              <a href={href.product(p.id)}>{p.name}</a> <TrustBadge trust={p.trust} />
            </h2>
            <p>{p.description}</p>
            <p class="muted small">
              domain <a href={href.domain(p.domain)}>{p.domain}</a> · version {p.version} · owners {p.owners.join(', ')}
              {p.matched.length > 0 ? ` · matched ${p.matched.slice(0, 6).join(', ')}` : ''}
            </p>
          </li>
        ))}
      </ol>
    </>
  );
}
