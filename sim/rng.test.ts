import { describe, expect, it } from "vitest";
import { createRng } from "./rng.ts";
import type { Rng } from "./contracts.ts";

function draw(rng: Rng, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(rng.uniform(), rng.normal(), rng.int(-5, 5));
  return out;
}

function moments(xs: number[]): { mean: number; variance: number; kurtosis: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  let m2 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = (x - mean) ** 2;
    m2 += d;
    m4 += d * d;
  }
  m2 /= xs.length;
  m4 /= xs.length;
  return { mean, variance: m2, kurtosis: m4 / (m2 * m2) };
}

describe("createRng", () => {
  it("is deterministic by seed and differs between seeds", () => {
    expect(draw(createRng(42), 100)).toEqual(draw(createRng(42), 100));
    expect(draw(createRng("lab-run-7"), 100)).toEqual(draw(createRng("lab-run-7"), 100));
    expect(draw(createRng(42), 100)).not.toEqual(draw(createRng(43), 100));
    expect(draw(createRng("42"), 100)).not.toEqual(draw(createRng(42), 100));
    expect(draw(createRng(-1), 10)).not.toEqual(draw(createRng(1), 10));
    expect(draw(createRng(2 ** 40), 10)).not.toEqual(draw(createRng(0), 10));
  });

  it("forks by label, independent of how much the parent has drawn", () => {
    const a = createRng(7);
    const b = createRng(7);
    draw(b, 1000);
    expect(draw(a.fork("gps"), 50)).toEqual(draw(b.fork("gps"), 50));
    expect(draw(a.fork("gps"), 50)).not.toEqual(draw(a.fork("oscillator"), 50));
    expect(draw(a.fork("x").fork("y"), 20)).toEqual(draw(createRng(7).fork("x").fork("y"), 20));
    expect(draw(a.fork("x").fork("y"), 20)).not.toEqual(draw(a.fork("y").fork("x"), 20));
    expect(draw(createRng(8).fork("gps"), 20)).not.toEqual(draw(a.fork("gps"), 20));
  });

  it("gives uncorrelated streams for sibling forks", () => {
    const root = createRng("corr");
    const p = root.fork("a");
    const q = root.fork("b");
    const n = 100_000;
    let sxy = 0;
    for (let i = 0; i < n; i++) sxy += p.normal() * q.normal();
    expect(Math.abs(sxy / n)).toBeLessThan(4 / Math.sqrt(n));
  });

  it("uniform() lies in [0, 1) with the right moments", () => {
    const rng = createRng(1);
    const xs = Array.from({ length: 200_000 }, () => rng.uniform());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const m = moments(xs);
    expect(m.mean).toBeCloseTo(0.5, 2);
    expect(m.variance).toBeCloseTo(1 / 12, 3);
  });

  it("normal() is standard normal (mean, variance, kurtosis, tail fraction)", () => {
    const rng = createRng(2);
    const xs = Array.from({ length: 400_000 }, () => rng.normal());
    const m = moments(xs);
    expect(Math.abs(m.mean)).toBeLessThan(0.005);
    expect(m.variance).toBeGreaterThan(0.99);
    expect(m.variance).toBeLessThan(1.01);
    expect(m.kurtosis).toBeGreaterThan(2.95);
    expect(m.kurtosis).toBeLessThan(3.05);
    const beyond2 = xs.filter((x) => Math.abs(x) > 2).length / xs.length;
    expect(beyond2).toBeGreaterThan(0.0455 * 0.95);
    expect(beyond2).toBeLessThan(0.0455 * 1.05);
  });

  it("int() is uniform over inclusive bounds, also beyond 32 bits", () => {
    const rng = createRng(3);
    const counts = new Array<number>(7).fill(0);
    const n = 70_000;
    for (let i = 0; i < n; i++) {
      const v = rng.int(-3, 3);
      counts[v + 3] = (counts[v + 3] as number) + 1;
    }
    // Chi-square with 6 degrees of freedom; 22.5 is its 0.999 quantile.
    const chi2 = counts.reduce((acc, c) => acc + (c - n / 7) ** 2 / (n / 7), 0);
    expect(chi2).toBeLessThan(22.5);
    expect(rng.int(5, 5)).toBe(5);
    for (let i = 0; i < 1000; i++) {
      const v = rng.int(0, 2 ** 40);
      expect(Number.isInteger(v) && v >= 0 && v <= 2 ** 40).toBe(true);
    }
  });

  it("rejects bad seeds and bounds with reasons", () => {
    expect(() => createRng(Number.NaN)).toThrow(/safe integer/);
    expect(() => createRng(1.5)).toThrow(/safe integer/);
    expect(() => createRng(undefined as unknown as number)).toThrow(/number or a string/);
    const rng = createRng(0);
    expect(() => rng.int(3, 2)).toThrow(/min 3 > max 2/);
    expect(() => rng.int(0.5, 2)).toThrow(/safe integers/);
  });
});
