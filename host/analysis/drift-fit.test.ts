import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng } from "../../sim/rng.ts";
import { fitFrequencyDrift, fitPhaseDrift, fitPolynomial } from "./drift-fit.ts";

const DAY = 86400;

describe("fitPolynomial", () => {
  it("recovers an exact polynomial, about any origin, even at epoch-sized times", () => {
    const t = Array.from({ length: 50 }, (_, i) => 1.7e9 + i * 600);
    const y = t.map((v) => 2 - 3e-5 * (v - 1.7e9) + 4e-10 * (v - 1.7e9) ** 2);
    const fit = fitPolynomial(t, y, 2, { origin: 1.7e9 });
    expect(fit.coefficients[0]).toBeCloseTo(2, 9);
    expect(fit.coefficients[1]! / -3e-5).toBeCloseTo(1, 8);
    expect(fit.coefficients[2]! / 4e-10).toBeCloseTo(1, 7);
    expect(fit.residualStd).toBeLessThan(1e-9);
  });

  it("gives the textbook straight-line uncertainties σ/√Sxx and σ·√(1/n + t̄²/Sxx)", () => {
    const t = [0, 1, 2, 3, 4, 5, 6, 7];
    const y = [0.1, 1.2, 1.9, 3.2, 3.9, 5.1, 6.0, 7.2];
    const fit = fitPolynomial(t, y, 1);
    const n = t.length;
    const mean = t.reduce((a, b) => a + b) / n;
    const sxx = t.reduce((a, v) => a + (v - mean) ** 2, 0);
    const slope = t.reduce((a, v, i) => a + (v - mean) * (y[i]! - y.reduce((p, q) => p + q) / n), 0) / sxx;
    const intercept = y.reduce((p, q) => p + q) / n - slope * mean;
    const rss = y.reduce((a, v, i) => a + (v - intercept - slope * t[i]!) ** 2, 0);
    const sigma = Math.sqrt(rss / (n - 2));
    expect(fit.coefficients[1]).toBeCloseTo(slope, 12);
    expect(fit.uncertainties[1]).toBeCloseTo(sigma / Math.sqrt(sxx), 12);
    expect(fit.uncertainties[0]).toBeCloseTo(sigma * Math.sqrt(1 / n + mean ** 2 / sxx), 12);
    expect(fit.dof).toBe(6);
  });

  it("leaves out NaN samples and refuses fits the data cannot determine", () => {
    const fit = fitPolynomial([0, 1, 2, 3], [1, NaN, 3, 4], 1);
    expect(fit.n).toBe(3);
    expect(() => fitPolynomial([0, 1], [1, 2], 2)).toThrow(RangeError);
    expect(() => fitPolynomial([5, 5, 5], [1, 2, 3], 1)).toThrow(RangeError);
    expect(Number.isNaN(fitPolynomial([0, 1], [1, 2], 1).uncertainties[0])).toBe(true);
  });

  it("does not depend on where the origin is (the same curve, re-expanded)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 30 }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        (y, origin) => {
          const t = y.map((_, i) => i);
          const a = fitPolynomial(t, y, 2, { origin: 0 });
          const b = fitPolynomial(t, y, 2, { origin });
          const at = (c: number[], o: number, v: number) => c[0]! + c[1]! * (v - o) + c[2]! * (v - o) ** 2;
          for (const v of [0, 3, 7.5])
            expect(at(b.coefficients, origin, v)).toBeCloseTo(at(a.coefficients, 0, v), 8);
          expect(b.uncertainties[2]).toBeCloseTo(a.uncertainties[2]!, 10);
        },
      ),
    );
  });
});

describe("drift fits", () => {
  it("give offset in ppm and aging in ppm/day from a frequency series, with honest uncertainties", () => {
    const rng = createRng("drift");
    const t = Array.from({ length: 2000 }, (_, i) => i * 60);
    // 2.5 ppm offset, 0.1 ppm/day aging, 5 ppb white noise.
    const y = t.map((v) => 2.5e-6 + (0.1e-6 / DAY) * v + 5e-9 * rng.normal());
    const fit = fitFrequencyDrift(t, y, { referenceTimeS: 0 });
    expect(Math.abs(fit.offsetPpm.value - 2.5)).toBeLessThan(4 * fit.offsetPpm.uncertainty);
    expect(Math.abs(fit.agingPpmPerDay!.value - 0.1)).toBeLessThan(4 * fit.agingPpmPerDay!.uncertainty);
    // σ_slope ≈ σ/√Sxx, Sxx = Σ(t − t̄)²: 5 ppb over 33 h of minutes.
    const mean = t.reduce((a, b) => a + b) / t.length;
    const sxx = t.reduce((a, v) => a + (v - mean) ** 2, 0);
    expect(fit.agingPpmPerDay!.uncertainty / ((5e-3 / Math.sqrt(sxx)) * DAY)).toBeCloseTo(1, 1);
    expect(fit.residualStd).toBeCloseTo(0.005, 3);
    expect(fit.agingChangePpmPerDay2).toBeNull();
  });

  it("give the same offset and aging from the phase that frequency integrates to", () => {
    const t = Array.from({ length: 500 }, (_, i) => i * 10);
    const x = t.map((v) => 1e-3 + 2.5e-6 * v + 0.5 * (0.1e-6 / DAY) * v * v);
    const fit = fitPhaseDrift(t, x, { referenceTimeS: 0 });
    expect(fit.offsetPpm.value).toBeCloseTo(2.5, 9);
    expect(fit.agingPpmPerDay!.value).toBeCloseTo(0.1, 7);
    expect(fitPhaseDrift(t, x, { model: "linear" }).agingPpmPerDay).toBeNull();
  });

  it("gives the change of aging with the quadratic frequency model", () => {
    const t = Array.from({ length: 200 }, (_, i) => i * 3600);
    const y = t.map((v) => 1e-6 + (2e-8 / DAY) * v + (1e-9 / DAY ** 2) * v * v);
    const fit = fitFrequencyDrift(t, y, { model: "quadratic", referenceTimeS: 0 });
    expect(fit.agingPpmPerDay!.value).toBeCloseTo(0.02, 9);
    expect(fit.agingChangePpmPerDay2!.value).toBeCloseTo(0.002, 9);
  });
});
