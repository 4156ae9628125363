// A clock timed by PPS edges stamped in user space: each stamp is late by the interrupt latency,
// which is never negative, has a floor (the fastest path through the kernel and the event loop) and
// a long tail (a busy CPU). A line through (stamp − label) against time gives the clock's frequency
// error and phase; edges far above the line are latency outliers and are left out of it. The excess
// latency over the fastest edge is measurable; the floor itself is not (kernel PPS stamps in the
// interrupt handler, which is what removes it).
import { fitPolynomial } from "./drift-fit.ts";
import { quantile } from "./quantile.ts";

export interface PpsLatencyFit {
  n: number;
  outliers: number;
  /** Whether the newest edge is on the line (false: it is a latency outlier). */
  lastKept: boolean;
  /** Fitted phase (stamp − label), ns, at the last edge: the clock's offset plus the mean latency. */
  phaseNs: number;
  /** The clock's frequency error against GPS, ppb (+: fast), with its 1σ uncertainty. */
  freqPpb: number;
  freqSigmaPpb: number;
  /** RMS of the kept edges about the line, ns. */
  jitterNs: number;
  /** Each edge's latency above the fastest kept edge's, ns (outliers included: they are the tail). */
  excessLatencyNs: { p50: number; p95: number; p99: number; max: number };
  /** Mean excess latency of the kept edges, ns: the part of the bias in phaseNs that can be seen. */
  meanExcessNs: number;
}

const MAD_TO_SIGMA = 1.4826;

/**
 * `tS`: edge stamps in seconds on the clock being measured (any origin); `phaseNs`: stamp − label, ns.
 * Edges more than `k` robust σ from the line (at least `floorNs`) are outliers. Null below 3 edges.
 */
export function fitPpsLatency(
  tS: readonly number[],
  phaseNs: readonly number[],
  k = 5,
  floorNs = 1000,
): PpsLatencyFit | null {
  const n = tS.length;
  if (n < 3 || phaseNs.length !== n) return null;
  let keep = tS.map(() => true);
  let fit = fitPolynomial(tS, phaseNs, 1);
  for (let pass = 0; pass < 4; pass++) {
    const residuals = tS.map(
      (t, i) => phaseNs[i]! - (fit.coefficients[0]! + fit.coefficients[1]! * (t - fit.origin)),
    );
    const kept = residuals.filter((_, i) => keep[i]).sort((a, b) => a - b);
    const median = quantile(kept, 0.5);
    const mad = quantile(
      kept.map((r) => Math.abs(r - median)).sort((a, b) => a - b),
      0.5,
    );
    const limit = Math.max(k * MAD_TO_SIGMA * mad, floorNs);
    const next = residuals.map((r) => Math.abs(r - median) <= limit);
    if (next.filter(Boolean).length < 3) break;
    const same = next.every((v, i) => v === keep[i]);
    keep = next;
    fit = fitPolynomial(
      tS.filter((_, i) => keep[i]),
      phaseNs.filter((_, i) => keep[i]),
      1,
      { origin: fit.origin },
    );
    if (same) break;
  }
  const line = (t: number) => fit.coefficients[0]! + fit.coefficients[1]! * (t - fit.origin);
  const residuals = tS.map((t, i) => phaseNs[i]! - line(t));
  const keptResiduals = residuals.filter((_, i) => keep[i]);
  const floor = Math.min(...keptResiduals);
  const excess = residuals.map((r) => r - floor).sort((a, b) => a - b);
  const jitter = Math.sqrt(keptResiduals.reduce((s, r) => s + r * r, 0) / keptResiduals.length);
  return {
    n,
    outliers: keep.filter((v) => !v).length,
    lastKept: keep[n - 1]!,
    phaseNs: line(tS[n - 1]!),
    // Phase in ns per second of the clock: ns/s = ppb.
    freqPpb: fit.coefficients[1]!,
    freqSigmaPpb: fit.uncertainties[1]!,
    jitterNs: jitter,
    excessLatencyNs: {
      p50: quantile(excess, 0.5),
      p95: quantile(excess, 0.95),
      p99: quantile(excess, 0.99),
      max: excess[excess.length - 1]!,
    },
    meanExcessNs: keptResiduals.reduce((s, r) => s + (r - floor), 0) / keptResiduals.length,
  };
}
