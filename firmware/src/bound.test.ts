import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agingPpbPerSFromPpmPerYear,
  boundCompute,
  boundTempChangePpb,
  createBoundConfig,
  createBoundResult,
  type BoundConfig,
} from "./bound.ts";

function config(): BoundConfig {
  const cfg = createBoundConfig();
  cfg.quantumNs = 1000;
  cfg.jitterRmsNs = 2000;
  cfg.tolerancePpb = 20000;
  cfg.whiteFmAdev1s = 5e-9;
  cfg.randomWalkFmAdev1s = 5e-10;
  cfg.agingPpbPerS = agingPpbPerSFromPpmPerYear(3);
  cfg.tempKPpmPerC2 = -0.034;
  cfg.tempResolutionC = 0.3;
  return cfg;
}

describe("boundCompute", () => {
  it("fixed vectors", () => {
    const cfg = config();
    cfg.agingPpbPerS = 0;
    cfg.tempKPpmPerC2 = 0;
    const out = boundCompute(cfg, 0, 10, 0, NaN, NaN, NaN, createBoundResult());
    expect(out.base95Ns).toBeCloseTo(1.96 * 2000 + 1000, 6);
    expect(out.bound95Ns).toBeCloseTo(out.base95Ns, 6);
    expect(out.hardNs).toBeCloseTo(5 * 2000 + 1000, 6);
    boundCompute(cfg, 0, 10, 100, NaN, NaN, NaN, out);
    // σ² = 2000² + (10·100)² + 5² · 100 + 0.5² · 100³
    expect(out.bound95Ns).toBeCloseTo(1.96 * Math.sqrt(5252500) + 1000, 6);
    expect(out.hardNs).toBeCloseTo(5 * Math.sqrt(4252500) + 50 * 100 + 1000, 6);
    // A wild frequency sigma is capped at twice the tolerance in the hard bound (but not below the 95 %).
    boundCompute(cfg, 0, 1e6, 100, NaN, NaN, NaN, out);
    expect(out.hardNs).toBe(out.bound95Ns);
  });

  it("aging and temperature terms", () => {
    const cfg = config();
    const out = createBoundResult();
    boundCompute(cfg, 0, 0, 3600, 25, 20.3, 29.7, out);
    expect(out.tempPpb).toBeCloseTo(850, 9);
    const noTemp = boundCompute(
      { ...cfg, tempKPpmPerC2: 0, agingPpbPerS: 0 },
      0,
      0,
      3600,
      25,
      20.3,
      29.7,
      createBoundResult(),
    );
    const aging = 0.5 * agingPpbPerSFromPpmPerYear(3) * 3600 * 3600;
    expect(out.bound95Ns - noTemp.bound95Ns).toBeCloseTo(850 * 3600 + aging, 3);
    // No sensor: the configured span around the nominal temperature.
    boundCompute(cfg, 0, 0, 1, NaN, NaN, NaN, out);
    expect(out.tempPpb).toBeCloseTo(3400, 9);
  });

  it("temperature change: parabola off-centre and a cubic against brute force", () => {
    const cfg = config();
    cfg.tempResolutionC = 0;
    expect(boundTempChangePpb(cfg, 30, 25, 35)).toBeCloseTo(2550, 9);
    // Cooling from 30 to 20 °C crosses the turnover: the largest change is at 25 °C, not at 20 °C.
    expect(boundTempChangePpb(cfg, 30, 20, 30)).toBeCloseTo(850, 9);
    expect(boundTempChangePpb(cfg, 30, 30, 30)).toBe(0);
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.double({ min: -2e-4, max: 2e-4, noNaN: true }),
        fc.double({ min: -20, max: 60, noNaN: true }),
        fc.double({ min: 0.01, max: 30, noNaN: true }),
        (a, k, b, centre, dev) => {
          const c = { ...cfg, tempAPpmPerC: a, tempKPpmPerC2: k, tempBPpmPerC3: b };
          const y = (t: number) => {
            const d = t - c.tempTurnoverC;
            return a * d + k * d * d + b * d * d * d;
          };
          let brute = 0;
          for (let i = 0; i <= 2000; i++) {
            const t = centre - dev + (2 * dev * i) / 2000;
            brute = Math.max(brute, Math.abs(y(t) - y(centre)) * 1000);
          }
          const got = boundTempChangePpb(c, centre, centre - dev, centre + dev);
          expect(got).toBeGreaterThanOrEqual(brute - 1e-9 * Math.max(1, brute));
          expect(got).toBeLessThanOrEqual(brute * 1.001 + 1e-6);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("property: grows with age, never below base, hard ≥ 95 %", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.option(fc.double({ min: -10, max: 50, noNaN: true })),
        fc.double({ min: 0, max: 20, noNaN: true }),
        (ageA, ageB, phaseSigmaNs, freqSigmaPpb, lockTemp, dev) => {
          const cfg = config();
          const lockTempC = lockTemp ?? NaN;
          const lo = lockTempC - dev;
          const hi = lockTempC + dev / 2;
          const a = boundCompute(
            cfg,
            phaseSigmaNs,
            freqSigmaPpb,
            Math.min(ageA, ageB),
            lockTempC,
            lo,
            hi,
            createBoundResult(),
          );
          const b = boundCompute(
            cfg,
            phaseSigmaNs,
            freqSigmaPpb,
            Math.max(ageA, ageB),
            lockTempC,
            lo,
            hi,
            createBoundResult(),
          );
          expect(b.bound95Ns).toBeGreaterThanOrEqual(a.bound95Ns);
          expect(b.hardNs).toBeGreaterThanOrEqual(a.hardNs);
          expect(a.bound95Ns).toBeGreaterThanOrEqual(a.base95Ns - 1e-9);
          expect(a.hardNs).toBeGreaterThanOrEqual(a.bound95Ns);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
