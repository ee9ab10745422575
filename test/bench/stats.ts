// Small statistics helpers for the bench (no dependency).

/** Percentile by linear interpolation between closest ranks; p in [0, 100]. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export const median = (values: readonly number[]) => percentile(values, 50);

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  count: number;
}

export function summarize(latencies: readonly number[]): LatencySummary {
  return { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), count: latencies.length };
}

/** The median of each percentile over several runs of the same measurement. */
export function medianOfRuns(runs: readonly LatencySummary[]): LatencySummary {
  return {
    p50: median(runs.map((run) => run.p50)),
    p90: median(runs.map((run) => run.p90)),
    p99: median(runs.map((run) => run.p99)),
    count: runs.reduce((total, run) => total + run.count, 0),
  };
}
