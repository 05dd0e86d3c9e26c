/**
 * Which index terms share a trigram with a word (the candidates for typo tolerance), kept as flat
 * arrays: the grams sorted, and for each gram the positions of its terms in a sorted term list.
 * Built when the postings are merged and saved in the snapshot with them; terms indexed since the
 * last merge are held in a small map beside it.
 */
import { byCodeUnit, lowerBound } from './search-postings.js';

export interface TrigramSections {
  /** Sorted, no repeats. */
  readonly grams: readonly string[];
  /** `grams.length + 1` entries: gram `g`'s terms are `terms[offsets[g]]` to `terms[offsets[g + 1] - 1]`. */
  readonly offsets: Uint32Array;
  /** Positions in the term list the trigrams were built from. */
  readonly terms: Uint32Array;
}

export function trigramsOf(word: string): string[] {
  const padded = `  ${word} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3));
  return out;
}

export class Trigrams {
  private readonly added = new Map<string, string[]>();

  constructor(
    private readonly base: TrigramSections,
    /** The sorted term list `base.terms` points into. */
    private readonly baseTerms: readonly string[],
  ) {
    if (base.offsets.length !== base.grams.length + 1 || base.offsets[base.grams.length] !== base.terms.length) {
      throw new Error('inconsistent trigram sections: offsets must have one entry per gram plus one, ending at the number of terms');
    }
  }

  /** The trigram index of a sorted term list. */
  static of(terms: readonly string[]): Trigrams {
    const byGram = new Map<string, number[]>();
    terms.forEach((term, t) => {
      for (const gram of new Set(trigramsOf(term))) {
        const list = byGram.get(gram);
        if (list) list.push(t);
        else byGram.set(gram, [t]);
      }
    });
    const grams = [...byGram.keys()].sort(byCodeUnit);
    const offsets = new Uint32Array(grams.length + 1);
    const positions = new Uint32Array(grams.reduce((n, g) => n + byGram.get(g)!.length, 0));
    let n = 0;
    grams.forEach((gram, g) => {
      for (const t of byGram.get(gram)!) positions[n++] = t;
      offsets[g + 1] = n;
    });
    return new Trigrams({ grams, offsets, terms: positions }, terms);
  }

  /** A term indexed after this was built. */
  add(term: string): void {
    for (const gram of new Set(trigramsOf(term))) {
      const list = this.added.get(gram);
      if (list) list.push(term);
      else this.added.set(gram, [term]);
    }
  }

  /** Terms sharing at least one trigram with `word` (terms of retired products included: harmless). */
  candidates(word: string): Set<string> {
    const out = new Set<string>();
    for (const gram of trigramsOf(word)) {
      const g = this.gramSlot(gram);
      if (g >= 0) for (let i = this.base.offsets[g]!; i < this.base.offsets[g + 1]!; i++) out.add(this.baseTerms[this.base.terms[i]!]!);
      for (const term of this.added.get(gram) ?? []) out.add(term);
    }
    return out;
  }

  sections(): TrigramSections {
    return this.base;
  }

  private gramSlot(gram: string): number {
    const g = lowerBound(this.base.grams, gram);
    return this.base.grams[g] === gram ? g : -1;
  }
}
