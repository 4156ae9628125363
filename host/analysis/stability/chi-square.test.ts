import stdlibQuantile from "@stdlib/stats-base-dists-chisquare-quantile";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chiSquareCdf, chiSquareQuantile, logGamma, regularizedGammaP } from "./chi-square.ts";

// Independent values (SciPy 1.17 chi2.ppf), p, k, quantile.
const REFERENCE: [number, number, number][] = [
  [0.1585, 1, 0.03999006879561293],
  [0.8415, 1, 1.9884790397914105],
  [0.1585, 7.21, 3.5918547841100086],
  [0.8415, 7.21, 10.83838594219358],
  [0.025, 30, 16.79077226556663],
  [0.975, 30, 46.97924224367115],
  [0.1585, 2282.55, 2214.9518511528013],
  [0.8415, 2282.55, 2350.1498868341946],
  [0.1585, 3433.35, 3350.440174119535],
  [0.8415, 3433.35, 3516.2615551870526],
  [0.1585, 12705.54, 12546.034197556892],
  [0.8415, 12705.54, 12865.04751918696],
  [0.5, 1e6, 999999.3333334123],
];

describe("chi-squared quantile", () => {
  it("matches independent values to 1e-10, including where @stdlib's is off", () => {
    for (const [p, k, q] of REFERENCE) expect(Math.abs(chiSquareQuantile(p, k) / q - 1)).toBeLessThan(1e-10);
  });

  it("documents why it polishes @stdlib: 0.35 % off at k = 2282.55, p = 0.1585", () => {
    expect(Math.abs(stdlibQuantile(0.1585, 2282.55) / 2214.9518511528013 - 1)).toBeGreaterThan(3e-3);
  });

  it("inverts its CDF", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.5, max: 1e5, noNaN: true }),
        (p, k) => {
          expect(chiSquareCdf(chiSquareQuantile(p, k), k)).toBeCloseTo(p, 9);
        },
      ),
    );
  });

  it("has the textbook incomplete gamma and log-gamma values", () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(regularizedGammaP(1, 2)).toBeCloseTo(1 - Math.exp(-2), 15);
    expect(regularizedGammaP(3, 50)).toBeCloseTo(1, 15);
    expect(chiSquareQuantile(0, 3)).toBe(0);
    expect(chiSquareQuantile(0.5, -1)).toBeNaN();
  });
});
