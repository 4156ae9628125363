import { describe, expect, it } from "vitest";
import { adev, oadev } from "./allan.ts";
import { chiSquareBounds, withConfidence } from "./confidence.ts";
import type { DevRow } from "./deviation.ts";
import { hdev, ohdev } from "./hadamard.ts";
import { mdev, tdev } from "./modified.ts";
import { preparePhase } from "./series.ts";
import type { StatName } from "./taus.ts";
import { loadReference, type ReferenceRow } from "./test-fixtures.ts";

const FUNCTIONS = { adev, oadev, mdev, tdev, hdev, ohdev } as const;

interface Worst {
  dev: number;
  bound: number;
  ratio: number;
}

/** Compares CI rows with a Stable32 CI table and returns the largest relative differences. */
function compareCi(rows: ReturnType<typeof withConfidence>, table: readonly ReferenceRow[]): Worst {
  const worst: Worst = { dev: 0, bound: 0, ratio: 0 };
  for (const e of table) {
    const r = rows.find((x) => x.m === e.m);
    expect(r, `m=${e.m}`).toBeDefined();
    expect(r!.n, `m=${e.m}`).toBe(e.n);
    const lo = e.dev_min!;
    const hi = e.dev_max!;
    worst.dev = Math.max(worst.dev, Math.abs(r!.dev / e.dev - 1));
    worst.bound = Math.max(worst.bound, Math.abs(r!.devMin / lo - 1), Math.abs(r!.devMax / hi - 1));
    worst.ratio = Math.max(
      worst.ratio,
      Math.abs(r!.devMin / r!.dev / (lo / e.dev) - 1),
      Math.abs(r!.devMax / r!.dev / (hi / e.dev) - 1),
    );
  }
  return worst;
}

describe("confidence intervals", () => {
  it("reproduce the OCXO Stable32 CI tables (Greenhall EDF with the table's noise type, 68.3 %)", () => {
    const ref = loadReference("ocxo");
    const s = preparePhase({ data: ref.y, type: "freq", tau0: 1 });
    const cit = ref.expected.confidence_interval_tables;
    for (const [stat, table] of Object.entries(cit.statistics)) {
      const rows = FUNCTIONS[stat as keyof typeof FUNCTIONS](s, { taus: { m: table.rows.map((r) => r.m) } });
      const alphaOf = (m: number) => table.rows.find((r) => r.m === m)?.alpha;
      const worst = compareCi(withConfidence(stat as StatName, s, rows, { alpha: alphaOf }), table.rows);
      expect(worst.dev, stat).toBeLessThan(cit.tolerance.dev_rel);
      expect(worst.bound, stat).toBeLessThan(cit.tolerance.bound_rel);
      expect(worst.ratio, stat).toBeLessThan(cit.tolerance.bound_over_dev_rel);
    }
  });

  it("reproduce the pink-noise OADEV CI table, identifying the same noise type up to m = 256", () => {
    const ref = loadReference("pink_frequency");
    const s = preparePhase({ data: ref.y, type: "freq", tau0: ref.tau0 });
    const cit = ref.expected.confidence_interval_tables;
    const table = cit.statistics["oadev"]!.rows;
    const rows = oadev(s, { taus: "octave" });
    expect(rows.map((r) => r.m)).toEqual(table.map((r) => r.m));
    const own = withConfidence("oadev", s, rows);
    for (const r of own.filter((x) => x.m <= 256)) {
      expect(r.alpha, `m=${r.m}`).toBe(table.find((e) => e.m === r.m)!.alpha);
    }
    // Identified noise types give the table's bounds where they must agree (m ≤ 256) …
    const ownWorst = compareCi(
      own.filter((r) => r.m <= 256),
      table.filter((r) => r.m <= 256),
    );
    // … and with the table's noise type every row does.
    const given = withConfidence("oadev", s, rows, { alpha: (m) => table.find((e) => e.m === m)?.alpha });
    const givenWorst = compareCi(given, table);
    for (const worst of [ownWorst, givenWorst]) {
      expect(worst.dev).toBeLessThan(cit.tolerance.dev_rel);
      expect(worst.bound).toBeLessThan(cit.tolerance.bound_rel);
      expect(worst.ratio).toBeLessThan(cit.tolerance.bound_over_dev_rel);
    }
  });

  it("give chi-squared bounds that narrow as 1/√(2·edf)", () => {
    const { devMin, devMax } = chiSquareBounds(1, 20000);
    expect(1 - devMin).toBeCloseTo(1 / Math.sqrt(40000), 3);
    expect(devMax - 1).toBeCloseTo(1 / Math.sqrt(40000), 3);
    const wide = chiSquareBounds(1, 3, 0.95);
    expect(wide.devMin).toBeLessThan(0.6);
    expect(wide.devMax).toBeGreaterThan(2.5);
    expect(chiSquareBounds(1, NaN).devMin).toBeNaN();
  });

  it("lose degrees of freedom with the terms a gap removes", () => {
    const data = Float64Array.from({ length: 2000 }, (_, i) => Math.sin(i * 2.3));
    const gapped = data.slice();
    gapped.fill(NaN, 500, 900);
    const stat = (d: Float64Array): DevRow[] =>
      oadev({ data: d, type: "freq", tau0: 1 }, { taus: { m: [8] } });
    const whole = withConfidence("oadev", preparePhase({ data, type: "freq", tau0: 1 }), stat(data), {
      alpha: () => 0,
    });
    const holed = withConfidence(
      "oadev",
      preparePhase({ data: gapped, type: "freq", tau0: 1 }),
      stat(gapped),
      {
        alpha: () => 0,
      },
    );
    expect(holed[0]!.n).toBeLessThan(whole[0]!.n);
    expect(holed[0]!.edf).toBeLessThan(whole[0]!.edf);
  });
});
