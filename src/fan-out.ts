/** One region's outcome: multi-region operations return these instead of throwing. */
export type RegionResult<T> = { region: string; ok: true; value: T } | { region: string; ok: false; error: Error };

/**
 * Run fn for every region, at most `concurrency` at a time, and collect every outcome.
 * A failing region never stops the others: fan-out never stops midway.
 */
export async function fanOut<T>(
  regions: readonly string[],
  concurrency: number,
  fn: (region: string) => Promise<T>,
): Promise<RegionResult<T>[]> {
  const results: RegionResult<T>[] = new Array(regions.length);
  let next = 0;
  const worker = async () => {
    while (next < regions.length) {
      const i = next++;
      const region = regions[i];
      try {
        results[i] = { region, ok: true, value: await fn(region) };
      } catch (error) {
        results[i] = { region, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
  };
  const width = Math.max(1, Math.min(concurrency, regions.length));
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}
