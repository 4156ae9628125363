import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createEstimator,
  estimatorInnovationVarNs2,
  estimatorPredictNs,
  estimatorStart,
  estimatorUpdate,
  EST_KALMAN,
  EST_PI,
  EST_WINDOW,
  type Estimator,
} from "./estimator.ts";

function make(kind: number, windowSize = 16, r = 1e6): Estimator {
  return createEstimator({
    kind,
    measurementVarNs2: r,
    whiteFmAdev1s: 0,
    randomWalkFmAdev1s: 0,
    kp: 0.1,
    ki: 0.001,
    windowSize,
  });
}

function feed(e: Estimator, xs: number[], zs: number[]): void {
  estimatorStart(e, xs[0] as number, zs[0] as number, xs[1] as number, zs[1] as number);
  for (let i = 2; i < xs.length; i++) estimatorUpdate(e, xs[i] as number, zs[i] as number);
}

/** Batch least squares of z on x: slope and value at xEnd. */
function batchFit(xs: number[], zs: number[], xEnd: number): { slope: number; at: number } {
  const n = xs.length;
  const mx = xs.reduce((a, v) => a + v, 0) / n;
  const mz = zs.reduce((a, v) => a + v, 0) / n;
  let sxx = 0;
  let sxz = 0;
  for (let i = 0; i < n; i++) {
    sxx += ((xs[i] as number) - mx) ** 2;
    sxz += ((xs[i] as number) - mx) * ((zs[i] as number) - mz);
  }
  const slope = sxz / sxx;
  return { slope, at: mz + slope * (xEnd - mx) };
}

/** Worst-case LS slope error when every point may be off by at most ±bound. */
function slopeBound(xs: number[], bound: number): number {
  const n = xs.length;
  const mx = xs.reduce((a, v) => a + v, 0) / n;
  let sxx = 0;
  let sabs = 0;
  for (const x of xs) {
    sxx += (x - mx) ** 2;
    sabs += Math.abs(x - mx);
  }
  return (bound * sabs) / sxx;
}

describe("estimators on an exact line", () => {
  const xs = [0, 1, 2, 3, 5, 6, 7, 8, 9, 12];
  const zs = xs.map((x) => 1000 + 50 * x);
  for (const kind of [EST_KALMAN, EST_PI, EST_WINDOW]) {
    it(`kind ${kind} returns the line exactly`, () => {
      const e = make(kind, 4);
      feed(e, xs, zs);
      expect(e.freqPpb).toBeCloseTo(50, 9);
      expect(e.phaseNs).toBeCloseTo(1000 + 50 * 12, 6);
      expect(estimatorPredictNs(e, 20)).toBeCloseTo(2000, 6);
    });
  }

  it("starts from the first interval, even at a 10 % frequency error", () => {
    const e = make(EST_KALMAN);
    estimatorStart(e, 0, 0, 1, 1e8);
    expect(e.freqPpb).toBe(1e8);
    expect(e.phaseNs).toBe(1e8);
    // Two-point LS covariance: var(slope) = 2r, var(phase at the newest point) = r.
    expect(e.pFF).toBe(2e6);
    expect(e.pPP).toBe(1e6);
    expect(estimatorInnovationVarNs2(e, 2)).toBeCloseTo(1e6 + 1e6 + 2 * 1e6 + 2e6, 3);
  });
});

describe("least-squares equivalence", () => {
  const xs: number[] = [];
  const zs: number[] = [];
  let seed = 12345;
  for (let x = 0; x < 500; x++) {
    seed = (seed * 16807) % 2147483647;
    xs.push(x + (x > 250 ? 7 : 0));
    zs.push(-3e7 + 2.5e4 * x + ((seed / 2147483647) * 2 - 1) * 3e4);
  }

  it("Kalman with no process noise is growing-memory least squares", () => {
    const e = make(EST_KALMAN);
    feed(e, xs, zs);
    const fit = batchFit(xs, zs, xs[xs.length - 1] as number);
    expect(e.freqPpb).toBeCloseTo(fit.slope, 6);
    expect(e.phaseNs).toBeCloseTo(fit.at, 4);
  });

  it("the window is least squares over the last N edges", () => {
    const e = make(EST_WINDOW, 64);
    feed(e, xs, zs);
    const fit = batchFit(xs.slice(-64), zs.slice(-64), xs[xs.length - 1] as number);
    expect(e.n).toBe(64);
    expect(e.freqPpb).toBeCloseTo(fit.slope, 6);
    expect(e.phaseNs).toBeCloseTo(fit.at, 4);
  });
});

describe("properties", () => {
  const lineArb = fc.record({
    intercept: fc.double({ min: -1e9, max: 1e9, noNaN: true }),
    slope: fc.double({ min: -1e8, max: 1e8, noNaN: true }),
    bound: fc.double({ min: 0, max: 1e5, noNaN: true }),
    noise: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 200 }),
    kind: fc.constantFrom(EST_KALMAN, EST_WINDOW),
  });

  it("any line with bounded noise gives a frequency within the least-squares worst case", () => {
    fc.assert(
      fc.property(lineArb, (p) => {
        const xs = p.noise.map((_, i) => i);
        const zs = p.noise.map((w, i) => p.intercept + p.slope * i + w * p.bound);
        const e = make(p.kind, 32, Math.max(1, p.bound * p.bound));
        feed(e, xs, zs);
        const used = p.kind === EST_WINDOW ? xs.slice(-32) : xs;
        const tolerance = slopeBound(used, p.bound) + 1e-7 * (1 + Math.abs(p.slope));
        expect(Number.isFinite(e.freqPpb) && Number.isFinite(e.phaseNs)).toBe(true);
        expect(Math.abs(e.freqPpb - p.slope)).toBeLessThanOrEqual(tolerance);
      }),
      { numRuns: 300 },
    );
  });

  it("never produces NaN, whatever the (increasing) input", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.double({ min: -1e12, max: 1e12, noNaN: true })),
          {
            minLength: 2,
            maxLength: 100,
          },
        ),
        fc.constantFrom(EST_KALMAN, EST_PI, EST_WINDOW),
        (steps, kind) => {
          const xs: number[] = [];
          let x = 0;
          for (const s of steps) xs.push((x += s[0]));
          const e = make(kind, 8);
          feed(
            e,
            xs,
            steps.map((s) => s[1]),
          );
          for (const v of [e.freqPpb, e.phaseNs, e.pPP, e.pFF, estimatorInnovationVarNs2(e, x + 1)])
            expect(Number.isNaN(v)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("constant memory", () => {
  for (const kind of [EST_KALMAN, EST_PI, EST_WINDOW]) {
    it(`kind ${kind}: the state has the same shape after 10,000 edges`, () => {
      const e = make(kind, 64);
      estimatorStart(e, 0, 0, 1, 10);
      const keys = Object.keys(e).length;
      const ringLength = e.ringX.length;
      for (let x = 2; x < 10_002; x++) estimatorUpdate(e, x, 10 * x + (x % 7) * 100);
      expect(Object.keys(e).length).toBe(keys);
      expect(e.ringX.length).toBe(ringLength);
      expect(e.ringZ.length).toBe(ringLength);
    });
  }
});
