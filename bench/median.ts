/** Median of a non-empty list of numbers (mean of the two middle values for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `fn` `warmup` times untimed, then `runs` times; returns the median wall time in ms. */
export function medianTime(fn: () => unknown, runs: number, warmup = 2): { median: number; samples: number[] } {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return { median: median(samples), samples };
}

/** {@link medianTime} for a function that returns a promise (each run awaited before the next). */
export async function medianTimeAsync(
  fn: () => Promise<unknown>,
  runs: number,
  warmup = 2,
): Promise<{ median: number; samples: number[] }> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return { median: median(samples), samples };
}
