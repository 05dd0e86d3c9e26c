/**
 * The best `k` of many candidates without sorting them all: a bounded heap whose root is the worst
 * of the `k` kept so far, so each further candidate costs one comparison unless it beats that root.
 * A broad query over 100,000 products scores most of them and shows 20.
 */

/**
 * The `k` best of `candidates`, best first. `before(a, b)` is true when `a` ranks before `b`; it
 * must be a strict total order (break ties, by id for instance) for the result to be deterministic.
 */
export function topK(candidates: ArrayLike<number>, k: number, before: (a: number, b: number) => boolean): number[] {
  if (k <= 0) return [];
  const heap: number[] = [];
  // The heap keeps the worst kept candidate at its root: "a is worse than b" is before(b, a).
  const worse = (i: number, j: number): boolean => before(heap[j]!, heap[i]!);
  const swap = (i: number, j: number): void => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(l, m)) m = l;
      if (r < heap.length && worse(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let c = 0; c < candidates.length; c++) {
    const x = candidates[c]!;
    if (heap.length < k) {
      heap.push(x);
      for (let i = heap.length - 1; i > 0 && worse(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    } else if (before(x, heap[0]!)) {
      heap[0] = x;
      down(0);
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}
