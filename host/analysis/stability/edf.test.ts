import { describe, expect, it } from "vitest";
import { basicSum, greenhallEdf, sz, totalEdf } from "./edf.ts";

const ADEV = { d: 2, modified: false, overlapping: false };
const OADEV = { d: 2, modified: false, overlapping: true };
const MDEV = { d: 2, modified: true, overlapping: true };
const HDEV = { d: 3, modified: false, overlapping: false };

describe("Greenhall EDF", () => {
  it("gives the exact non-overlapped white-FM value 2M²/(3M − 1) (adjacent terms correlate by −1/2)", () => {
    for (const [m, N] of [
      [100, 10001],
      [64, 2000],
    ] as const) {
      const M = Math.floor((N - 1) / m) - 1;
      expect(greenhallEdf(0, m, N, ADEV)).toBeCloseTo((2 * M * M) / (3 * M - 1), 9);
    }
  });

  it("gives the exact white-PM value for independent phase samples", () => {
    // Non-overlapped ADEV of white PM: ρ(1) = −4/6, ρ(2) = 1/6 between adjacent second differences.
    const M = 50;
    const N = 2 * 10 + 1 + (M - 1) * 10;
    const inverse = (1 + 2 * (1 - 1 / M) * (4 / 6) ** 2 + 2 * (1 - 2 / M) * (1 / 6) ** 2) / M;
    expect(greenhallEdf(2, 10, N, ADEV)).toBeCloseTo(1 / inverse, 9);
  });

  it("gives Greenhall's asymptotic modified white-PM coefficients (a0, a1) = (2/3, 1/3) for d = 1", () => {
    // 1/edf → (a0 − a1/r)/r for many terms per τ; here S = 400 lags per τ, r = M/S = 50.
    const S = 400;
    const M = 50 * S;
    const z0 = sz(0, 1, 2, 1);
    const inverse = basicSum(2 * S, M, S, 1, 2, 1) / (M * z0 * z0);
    const r = M / S;
    expect(inverse * r).toBeCloseTo(2 / 3 - 1 / (3 * r), 4);
  });

  it("grows with the record length and shrinks with τ", () => {
    expect(greenhallEdf(-1, 16, 20000, OADEV)).toBeGreaterThan(greenhallEdf(-1, 16, 10000, OADEV));
    expect(greenhallEdf(-1, 32, 20000, OADEV)).toBeLessThan(greenhallEdf(-1, 16, 20000, OADEV));
    expect(greenhallEdf(1, 8, 20000, OADEV)).toBeGreaterThan(greenhallEdf(1, 8, 20000, ADEV));
  });

  it("refuses noise types the variance does not converge for and records too short", () => {
    expect(greenhallEdf(-3, 4, 1000, MDEV)).toBeNaN();
    expect(greenhallEdf(-3, 4, 1000, HDEV)).toBeGreaterThan(0);
    expect(greenhallEdf(0, 600, 1000, ADEV)).toBeNaN();
  });

  it("samples long lag sums on a coarser grid without changing the result", () => {
    // J = 3·S = 24576 lags, beyond the direct limit: the coarse-grid value against the full sum.
    for (const alpha of [1, 0, -1, -2]) {
      const edf = greenhallEdf(alpha, 8192, 200001, OADEV);
      const direct = directEdf(alpha, 8192, 200001);
      expect(Math.abs(edf / direct - 1), `alpha ${alpha}`).toBeLessThan(1e-3);
    }
  });

  it("takes Howe's total-variance coefficients for the frequency noises", () => {
    expect(totalEdf(0, 10, 1000)).toBeCloseTo(150, 12);
    expect(totalEdf(-1, 10, 1000)).toBeCloseTo(116.78, 12);
    expect(totalEdf(-2, 10, 1000)).toBeCloseTo(92.64, 12);
    expect(totalEdf(2, 10, 1000)).toBeGreaterThan(0);
  });
});

/** Unmodified overlapped EDF as the plain sum over every lag (no grid change, F as the algorithm picks). */
function directEdf(alpha: number, m: number, N: number): number {
  const L = 1 + 2 * m;
  const M = 1 + Math.floor((m * (N - L)) / m);
  const J = Math.min(M, 3 * m);
  const F = alpha <= 0 ? Infinity : m;
  const z0 = sz(0, F, alpha, 2);
  return (M * z0 * z0) / basicSum(J, M, m, F, alpha, 2);
}
