import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng } from "../../sim/rng.ts";
import { clockIntervals, predictionErrors } from "./clock-interval.ts";

/** Gaussian samples from a seeded generator. */
function gaussian(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.normal();
}

/** The same prediction, by the textbook least-squares formulas on the window's present points. */
function bruteForce(phase: Float64Array, horizon: number, window: number, stride: number): number[] {
  const out: number[] = [];
  for (let k = window - 1; k + horizon < phase.length; k += stride) {
    const target = phase[k + horizon]!;
    if (!Number.isFinite(phase[k]!) || !Number.isFinite(target)) continue;
    const points: [number, number][] = [];
    for (let i = k - window + 1; i <= k; i++) if (Number.isFinite(phase[i]!)) points.push([i, phase[i]!]);
    if (points.length < window / 2) continue;
    const mt = points.reduce((s, [t]) => s + t, 0) / points.length;
    const mx = points.reduce((s, [, x]) => s + x, 0) / points.length;
    const sxx = points.reduce((s, [t]) => s + (t - mt) ** 2, 0);
    if (sxx === 0) continue;
    const slope = points.reduce((s, [t, x]) => s + (t - mt) * (x - mx), 0) / sxx;
    out.push(target - (mx + slope * (k + horizon - mt)));
  }
  return out;
}

describe("clock intervals from PPS phase", () => {
  it("predicts exactly as a least-squares line through each window would, gaps included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), { nil: NaN, freq: 6 }), {
          minLength: 20,
          maxLength: 120,
        }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        (values, horizon, window, stride) => {
          const phase = Float64Array.from(values, (v, i) => (Number.isNaN(v) ? NaN : v + 2e-5 * i));
          const fast = predictionErrors(phase, horizon, window, stride);
          const slow = bruteForce(phase, horizon, window, stride);
          expect(fast.length).toBe(slow.length);
          fast.forEach((e, i) => expect(e).toBeCloseTo(slow[i]!, 12));
        },
      ),
    );
  });

  it("gives white phase noise a 95 % half-width of about 1.96 σ that holds for about 95 % of new data", () => {
    const noise = gaussian(7);
    const sigma = 50e-9;
    const phase = Float64Array.from({ length: 40_000 }, (_, i) => 3e-6 * i + sigma * noise());
    const [one] = clockIntervals(phase, { horizonsS: [1], strideS: 3 });
    expect(one!.halfWidth95S / sigma).toBeGreaterThan(1.85);
    expect(one!.halfWidth95S / sigma).toBeLessThan(2.15);
    expect(one!.coverage95).toBeGreaterThan(0.93);
    expect(one!.coverage95).toBeLessThan(0.97);
    expect(one!.coverageHard).toBe(1);
  });

  it("widens with the time since the last pulse when the frequency wanders (random-walk FM)", () => {
    const noise = gaussian(11);
    let y = 0;
    let x = 0;
    const phase = Float64Array.from({ length: 30_000 }, () => {
      y += 1e-10 * noise();
      x += y;
      return x + 20e-9 * noise();
    });
    const rows = clockIntervals(phase, { horizonsS: [1, 100, 1000] });
    const widths = rows.map((r) => r.halfWidth95S);
    expect(widths[1]!).toBeGreaterThan(2 * widths[0]!);
    expect(widths[2]!).toBeGreaterThan(2 * widths[1]!);
  });

  it("leaves out horizons it has too few samples for, and never throws on an empty record", () => {
    expect(clockIntervals(new Float64Array(0))).toEqual([]);
    expect(clockIntervals(new Float64Array(400).fill(NaN))).toEqual([]);
  });
});
