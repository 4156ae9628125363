import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeStability, STATISTICS } from "./index.ts";
import { frequencyToPhase, type DataType } from "./series.ts";
import { STAT_NAMES, type StatName } from "./taus.ts";
import { loadReference } from "./test-fixtures.ts";

const ALLAN_FAMILY: StatName[] = ["adev", "oadev", "mdev", "tdev", "hdev", "ohdev", "totdev"];
const data = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 60 });
const dataType = fc.constantFrom<DataType>("phase", "freq");
const everyM = (length: number) => ({ taus: { m: Array.from({ length }, (_, i) => i + 1) } });

function expectSameRows(stat: StatName, a: ReturnType<(typeof STATISTICS)["adev"]>, b: typeof a, scale = 1) {
  expect(
    b.map((r) => [r.m, r.n]),
    stat,
  ).toEqual(a.map((r) => [r.m, r.n]));
  a.forEach((r, i) => {
    const want = r.dev * scale;
    expect(Math.abs(b[i]!.dev - want), `${stat} m=${r.m}`).toBeLessThanOrEqual(
      1e-9 * Math.abs(want) + 1e-12 * scale,
    );
  });
}

describe("stability statistics together", () => {
  it("satisfy the README relations: TOTDEV = ADEV = OADEV = MDEV and HDEV = OHDEV at m = 1", () => {
    for (const set of ["ocxo", "pink_frequency"] as const) {
      const ref = loadReference(set);
      const results = computeStability({ data: ref.y, type: "freq", tau0: ref.tau0 }, STAT_NAMES, {
        taus: { m: [1] },
      });
      const at1 = Object.fromEntries(results.map((r) => [r.stat, r.rows[0]!]));
      for (const stat of ["adev", "oadev", "mdev"] as const)
        expect(at1[stat]!.dev).toBeCloseTo(at1.totdev!.dev, 24);
      expect(at1.hdev!.dev).toBeCloseTo(at1.ohdev!.dev, 24);
      expect(at1.tdev!.dev).toBeCloseTo((ref.tau0 * at1.mdev!.dev) / Math.sqrt(3), 24);
      // The reference tables obey them too.
      const rows = ref.expected.statistics;
      expect(rows["adev"]!.rows[0]!.dev).toBe(rows["totdev"]!.rows[0]!.dev);
      expect(rows["hdev"]!.rows[0]!.dev).toBe(rows["ohdev"]!.rows[0]!.dev);
    }
  });

  it("add noise type, EDF and bounds to the Allan family only", () => {
    const ref = loadReference("pink_frequency");
    const results = computeStability({ data: ref.y, type: "freq", tau0: 42 }, ["oadev", "mtie", "totdev"]);
    const [oadev, mtie, totdev] = results;
    expect(oadev!.rows.every((r) => r.devMin < r.dev && r.dev < r.devMax && r.edf > 0)).toBe(true);
    expect(totdev!.rows.every((r) => r.devMin < r.dev && r.dev < r.devMax)).toBe(true);
    expect(mtie!.rows.every((r) => Number.isNaN(r.devMin) && Number.isNaN(r.alpha))).toBe(true);
    expect(oadev!.rows[0]).toMatchObject({ m: 1, tau: 42, n: 9999, alpha: -1, noiseMethod: "lag1" });
  });

  it("scale with the data: dev(c·x) = |c|·dev(x)", () => {
    fc.assert(
      fc.property(
        data,
        dataType,
        fc.double({ min: 1e-12, max: 1e12, noNaN: true }),
        fc.boolean(),
        (v, type, c, neg) => {
          const k = neg ? -c : c;
          for (const stat of STAT_NAMES) {
            const a = STATISTICS[stat]({ data: v, type, tau0: 1 }, everyM(v.length));
            const b = STATISTICS[stat]({ data: v.map((e) => e * k), type, tau0: 1 }, everyM(v.length));
            expectSameRows(stat, a, b, c);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("ignore a constant phase offset (all statistics) and a constant frequency offset (Allan family)", () => {
    fc.assert(
      fc.property(data, fc.double({ min: -10, max: 10, noNaN: true }), (v, c) => {
        for (const stat of STAT_NAMES) {
          const a = STATISTICS[stat]({ data: v, type: "phase", tau0: 1 }, everyM(v.length));
          const b = STATISTICS[stat]({ data: v.map((e) => e + c), type: "phase", tau0: 1 }, everyM(v.length));
          expectSameRows(stat, a, b, 1);
        }
        for (const stat of ALLAN_FAMILY) {
          const a = STATISTICS[stat]({ data: v, type: "freq", tau0: 1 }, everyM(v.length));
          const b = STATISTICS[stat]({ data: v.map((e) => e + c), type: "freq", tau0: 1 }, everyM(v.length));
          expect(b.map((r) => r.n)).toEqual(a.map((r) => r.n));
          a.forEach((r, i) => expect(Math.abs(b[i]!.dev - r.dev)).toBeLessThanOrEqual(1e-9 * r.dev + 1e-12));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("agree between the frequency form and its phase form", () => {
    fc.assert(
      fc.property(data, fc.double({ min: 0.001, max: 1000, noNaN: true }), (y, tau0) => {
        const x = frequencyToPhase(y, tau0);
        for (const stat of STAT_NAMES) {
          const a = STATISTICS[stat]({ data: y, type: "freq", tau0 }, everyM(y.length));
          const b = STATISTICS[stat]({ data: x, type: "phase", tau0 }, everyM(y.length));
          expectSameRows(stat, a, b);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("never shift data over a gap: a NaN only removes terms, and nothing throws", () => {
    fc.assert(
      fc.property(data, dataType, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (v, type, holes) => {
        const gapped = v.slice();
        for (const h of holes) gapped[h % v.length] = NaN;
        for (const stat of STAT_NAMES) {
          const full = STATISTICS[stat]({ data: v, type, tau0: 1 }, everyM(v.length));
          const holed = STATISTICS[stat]({ data: gapped, type, tau0: 1 }, everyM(v.length));
          for (const r of holed) {
            const whole = full.find((f) => f.m === r.m);
            expect(whole, `${stat} m=${r.m}`).toBeDefined();
            expect(r.n).toBeLessThanOrEqual(whole!.n);
            expect(r.n).toBeGreaterThan(0);
            expect(Number.isFinite(r.dev)).toBe(true);
          }
          expect(holed.reduce((s, r) => s + r.n, 0)).toBeLessThan(full.reduce((s, r) => s + r.n, 0));
        }
        // The whole pipeline with confidence intervals copes too.
        computeStability({ data: gapped, type, tau0: 1 }, STAT_NAMES, { taus: "all" });
      }),
      { numRuns: 80 },
    );
  });
});
