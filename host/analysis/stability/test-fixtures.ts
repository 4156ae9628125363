// Test support (not a test): the shared stability reference data beside the repository
// (../shared/data/stability) and the NBS14 data sets generated as nbs14.md describes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { expect } from "vitest";
import type { DevRow, StatData, StatOptions } from "./deviation.ts";
import type { DataType } from "./series.ts";
import { parseSeries } from "./parse.ts";

export const STABILITY_DATA = join(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "..",
  "shared",
  "data",
  "stability",
);

export interface ReferenceRow {
  m: number;
  tau_s: number;
  n: number;
  alpha: number;
  dev: number;
  dev_min?: number;
  dev_max?: number;
}

export interface ReferenceStatistic {
  rows: ReferenceRow[];
  n_rule?: string;
}

export interface ReferenceSet {
  data: { file: string; data_type: string; points: number; tau0_s: number; nominal_hz?: number };
  tolerance: { dev_rel: number };
  statistics: Record<string, ReferenceStatistic>;
  confidence_interval_tables: {
    tolerance: { dev_rel: number; bound_rel: number; bound_over_dev_rel: number };
    statistics: Record<string, ReferenceStatistic>;
  };
}

export interface ReferenceData {
  expected: ReferenceSet;
  /** Fractional frequency. */
  y: Float64Array;
  type: DataType;
  tau0: number;
}

export function loadReference(set: "ocxo" | "pink_frequency"): ReferenceData {
  const dir = join(STABILITY_DATA, set);
  const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as ReferenceSet;
  const parsed = parseSeries(readFileSync(join(dir, expected.data.file), "utf8"));
  const nominal = expected.data.nominal_hz;
  // Absolute frequency in Hz: subtract the nominal first (exact), then divide.
  const y = nominal === undefined ? parsed.values : parsed.values.map((f) => (f - nominal) / nominal);
  return { expected, y, type: "freq", tau0: expected.data.tau0_s };
}

/** NBS14 1000-point set: Lehmer generator 16807·n mod (2³¹ − 1) from seed 1234567890, scaled to (0, 1). */
export function nbs14Thousand(): Float64Array {
  const modulus = 2147483647;
  const y = new Float64Array(1000);
  let n = 1234567890;
  for (let i = 0; i < 1000; i++) {
    y[i] = n / modulus;
    n = (16807 * n) % modulus;
  }
  return y;
}

export const NBS14_TEN_FREQUENCY = [892, 809, 823, 798, 671, 644, 883, 903, 677];
export const NBS14_TEN_PHASE = [
  0.0, 103.11111, 123.22222, 157.33333, 166.44444, 48.55555, -96.33333, -2.22222, 111.88889, 0.0,
];

/** Phase form of a frequency set as nbs14.md defines it: running sum of y − ȳ, starting at 0. */
export function meanRemovedPhase(y: ArrayLike<number>, tau0: number): Float64Array {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i] as number;
  mean /= y.length;
  const x = new Float64Array(y.length + 1);
  for (let i = 0; i < y.length; i++) x[i + 1] = x[i]! + ((y[i] as number) - mean) * tau0;
  return x;
}

export interface RowComparison {
  /** Largest |dev/expected − 1| over the rows. */
  worst: number;
  worstM: number;
  /** Rows with a different n, missing rows, rows beyond the tolerance. */
  nMismatches: number[];
  missing: number[];
  outside: number[];
}

export function compareRows(
  rows: readonly { m: number; n: number; dev: number; tau: number }[],
  expected: readonly ReferenceRow[],
  tolerance: number,
): RowComparison {
  const result: RowComparison = { worst: 0, worstM: 0, nMismatches: [], missing: [], outside: [] };
  const byM = new Map(rows.map((r) => [r.m, r]));
  for (const e of expected) {
    const r = byM.get(e.m);
    if (r === undefined) {
      result.missing.push(e.m);
      continue;
    }
    if (r.n !== e.n || r.tau !== e.tau_s) result.nMismatches.push(e.m);
    const rel = Math.abs(r.dev / e.dev - 1);
    if (!(rel < tolerance)) result.outside.push(e.m);
    if (rel > result.worst) {
      result.worst = rel;
      result.worstM = e.m;
    }
  }
  return result;
}

/**
 * Tolerance for a published 7-significant-digit value: `relative` plus half a unit in its last printed
 * digit (the published figure cannot be closer than its own rounding).
 */
export function publishedTolerance(printed: string, relative: number): number {
  const value = Number(printed);
  const mantissa = printed.replace(/^-/, "").split(/e/i)[0] ?? "";
  const exponent = Number(printed.split(/e/i)[1] ?? 0);
  const decimals = mantissa.includes(".") ? (mantissa.split(".")[1] ?? "").length : 0;
  return Math.abs(value) * relative + 0.5 * 10 ** (exponent - decimals);
}

/**
 * Straight-from-the-definition statistics for tests: every term built from phase differences x_j − x_i
 * computed afresh (O(N·m)), NaN whenever a sample it needs is missing. Independent of the running sums,
 * deques, placeholders and gap bookkeeping of the real implementation.
 */
export function naiveDeviation(
  stat: string,
  data: ArrayLike<number>,
  type: DataType,
  tau0: number,
  m: number,
): { n: number; dev: number } {
  const P = type === "phase" ? data.length : data.length + 1;
  const D = (i: number, j: number): number => {
    if (type === "phase") return (data[j] as number) - (data[i] as number);
    let s = 0;
    for (let l = Math.min(i, j); l < Math.max(i, j); l++) s += data[l] as number;
    return (j >= i ? s : -s) * tau0;
  };
  const tau = m * tau0;
  let sum = 0;
  let n = 0;
  let worst = 0;
  const add = (term: number) => {
    if (Number.isNaN(term)) return;
    sum += term * term;
    n++;
  };
  switch (stat) {
    case "adev":
    case "oadev":
      for (let k = 0; k + 2 * m <= P - 1; k += stat === "adev" ? m : 1)
        add(D(k + m, k + 2 * m) - D(k, k + m));
      return { n, dev: Math.sqrt(sum / (2 * n)) / tau };
    case "hdev":
    case "ohdev":
      for (let k = 0; k + 3 * m <= P - 1; k += stat === "hdev" ? m : 1) {
        add(D(k + 2 * m, k + 3 * m) - 2 * D(k + m, k + 2 * m) + D(k, k + m));
      }
      return { n, dev: Math.sqrt(sum / (6 * n)) / tau };
    case "mdev":
    case "tdev": {
      for (let j = 0; j + 3 * m <= P; j++) {
        let inner = 0;
        for (let i = j; i < j + m; i++) inner += D(i + m, i + 2 * m) - D(i, i + m);
        add(inner);
      }
      const mdev = Math.sqrt(sum / (2 * m * m * n)) / tau;
      return { n, dev: stat === "mdev" ? mdev : (tau * mdev) / Math.sqrt(3) };
    }
    case "totdev":
      // The reflected extension reaches P − 2 points beyond each end: m ≤ P − 1.
      for (let i = 1; i <= P - 2 && m <= P - 1; i++) {
        const j = i + m - (P - 1);
        const ahead = j <= 0 ? D(i, i + m) : D(i, P - 1) + D(P - 1 - j, P - 1);
        const behind = i - m >= 0 ? D(i - m, i) : D(0, i) + D(0, m - i);
        add(ahead - behind);
      }
      return { n, dev: Math.sqrt(sum / (2 * n)) / tau };
    case "tierms":
      for (let k = 0; k + m <= P - 1; k++) add(D(k, k + m));
      return { n, dev: Math.sqrt(sum / n) };
    case "mtie":
      for (let k = 0; k + m <= P - 1; k++) {
        let lo = 0;
        let hi = 0;
        let complete = true;
        for (let j = k; j <= k + m; j++) {
          const v = D(k, j);
          if (Number.isNaN(v)) complete = false;
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        if (!complete) continue;
        worst = Math.max(worst, hi - lo);
        n++;
      }
      return { n, dev: n > 0 ? worst : NaN };
    default:
      throw new Error(`unknown statistic ${stat}`);
  }
}

type Statistic = (data: StatData, options?: StatOptions) => DevRow[];

/** Published NBS14 values (as printed) of one statistic: 1000-point at τ = 1, 10, 100 s; 10-point at 1, 2 s. */
export interface Nbs14Values {
  thousand: [string, string, string];
  ten: [string, string];
}

/** Largest relative errors against the published values, for the report. */
export const nbs14Worst: Record<string, number> = {};

/**
 * Checks a statistic against NBS14: each published value within 1e-7 relative beyond its own rounding,
 * from frequency and from phase input; the two 10-point forms within 1e-7 of each other.
 */
export function expectNbs14(name: string, fn: Statistic, published: Nbs14Values): void {
  const thousand = nbs14Thousand();
  let worst = 0;
  for (const input of [
    { data: thousand, type: "freq" as const, tau0: 1 },
    { data: meanRemovedPhase(thousand, 1), type: "phase" as const, tau0: 1 },
  ]) {
    const rows = fn(input, { taus: { taus: [1, 10, 100] } });
    expect(rows.map((r) => r.tau)).toEqual([1, 10, 100]);
    published.thousand.forEach((printed, i) => {
      const dev = rows[i]!.dev;
      worst = Math.max(worst, Math.abs(dev / Number(printed) - 1));
      expect(
        Math.abs(dev - Number(printed)),
        `${name} 1000-point τ=${rows[i]!.tau} ${input.type}`,
      ).toBeLessThanOrEqual(publishedTolerance(printed, 1e-7));
    });
  }
  const fromFrequency = fn({ data: NBS14_TEN_FREQUENCY, type: "freq", tau0: 1 }, { taus: { m: [1, 2] } });
  const fromPhase = fn({ data: NBS14_TEN_PHASE, type: "phase", tau0: 1 }, { taus: { m: [1, 2] } });
  published.ten.forEach((printed, i) => {
    for (const rows of [fromFrequency, fromPhase]) {
      const dev = rows[i]!.dev;
      worst = Math.max(worst, Math.abs(dev / Number(printed) - 1));
      expect(Math.abs(dev - Number(printed)), `${name} 10-point τ=${i + 1}`).toBeLessThanOrEqual(
        publishedTolerance(printed, 1e-7),
      );
    }
    expect(Math.abs(fromPhase[i]!.dev / fromFrequency[i]!.dev - 1)).toBeLessThan(1e-7);
  });
  nbs14Worst[name] = worst;
}

/** Every row of a statistic's Stable32 all-tau table within the stated tolerance, n and τ equal. */
export function expectReferenceTable(
  set: "ocxo" | "pink_frequency",
  name: string,
  fn: Statistic,
): RowComparison {
  const ref = loadReference(set);
  const expected = ref.expected.statistics[name]!.rows;
  const rows = fn({ data: ref.y, type: ref.type, tau0: ref.tau0 }, { taus: { m: expected.map((r) => r.m) } });
  const c = compareRows(rows, expected, ref.expected.tolerance.dev_rel);
  expect(c.missing, `${set} ${name}: rows missing`).toEqual([]);
  expect(c.nMismatches, `${set} ${name}: n or τ differ`).toEqual([]);
  expect(c.outside, `${set} ${name}: worst ${c.worst} at m ${c.worstM}`).toEqual([]);
  return c;
}

/** Random data with random holes, both input types: the statistic equals its definition term by term. */
export function expectDefinition(name: string, fn: Statistic, numRuns = 120): void {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 50 }),
      fc.array(fc.nat(), { maxLength: 4 }),
      fc.constantFrom("phase" as const, "freq" as const),
      (values, holes, type) => {
        const data = values.slice();
        for (const h of holes) data[h % data.length] = NaN;
        const ms = Array.from({ length: data.length }, (_, i) => i + 1);
        const rows = fn({ data, type, tau0: 0.5 }, { taus: { m: ms } });
        for (const m of ms) {
          const want = naiveDeviation(name, data, type, 0.5, m);
          const got = rows.find((r) => r.m === m);
          if (want.n === 0) {
            expect(got).toBeUndefined();
            continue;
          }
          expect(got?.n, `${name} m=${m}`).toBe(want.n);
          expect(Math.abs(got!.dev - want.dev)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want.dev)));
        }
      },
    ),
    { numRuns },
  );
}
