/** Trust and freshness as labelled badges: the word carries the meaning, the colour only helps. */
import type { ProductDetail, ProductSummary } from '../api.js';

type Trust = ProductSummary['trust'];
type Freshness = ProductDetail['freshness'];

export function TrustBadge({ trust }: { trust: Trust }) {
  return (
    <span class={`badge trust-${trust.label}`} title={trust.explanation}>
      trust {trust.label}
      {trust.score === null ? '' : ` (${trust.score})`}
    </span>
  );
}

const FRESHNESS_WORDS: Record<Freshness['status'], string> = { met: 'fresh', missed: 'stale', unknown: 'freshness unknown' };

export function FreshnessBadge({ freshness }: { freshness: Freshness }) {
  return <span class={`badge fresh-${freshness.status}`}>{FRESHNESS_WORDS[freshness.status]}</span>;
}

/** The latest run of a summary in words: "5 passed, 1 failed". */
export function runText(run: ProductSummary['latestQuality']): string {
  if (!run) return 'no quality run yet';
  const { passed, failed, errors } = run.summary;
  return `${passed} passed, ${failed} failed${errors > 0 ? `, ${errors} not measured` : ''}`;
}

export function slaText(met: boolean | null | undefined): string {
  if (met === null || met === undefined) return '—';
  return met ? 'met' : 'missed';
}
