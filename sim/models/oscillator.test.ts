import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRng } from "../rng.ts";
import { createOscillator, type OscillatorOptions } from "./oscillator.ts";
import { constantTemperature, rampTemperature } from "./temperature.ts";
import { oscillatorSpec } from "./testing/specs.ts";

const YEAR_S = 365.25 * 86_400;

/** Overlapping Allan deviation of phase samples x (spacing tau0) at tau = m·tau0 (NIST SP 1065 eq. 11). */
function oadev(x: Float64Array, tau0S: number, m: number): number {
  const n = x.length - 2 * m;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i + 2 * m] as number) - 2 * (x[i + m] as number) + (x[i] as number);
    sum += d * d;
  }
  const tau = m * tau0S;
  return Math.sqrt(sum / (2 * tau * tau * n));
}

function phaseSamples(
  seed: number | string,
  spec: ReturnType<typeof oscillatorSpec>,
  n: number,
  extra: Partial<OscillatorOptions> = {},
): Float64Array {
  const osc = createOscillator(spec, {
    rng: createRng(seed),
    temperature: constantTemperature(25),
    initialErrorPpm: 0,
    agingPpmPerYear: 0,
    ...extra,
  });
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = osc.truePhaseS(i);
  return x;
}

describe("createOscillator", () => {
  it("is deterministic by seed", () => {
    const spec = oscillatorSpec({ whiteFmAdev1s: 1e-9, randomWalkFmAdev1s: 1e-11 });
    const run = (seed: number) => {
      const osc = createOscillator(spec, { rng: createRng(seed), temperature: constantTemperature(30) });
      return [
        osc.initialErrorPpm,
        osc.agingPpmPerYear,
        ...Array.from({ length: 50 }, (_, i) => osc.localAt(i * 7.3)),
      ];
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it("white FM: ADEV(τ) = whiteFmAdev1s·τ^−½ at τ = 1, 10, 100 s", () => {
    const h = 2e-9;
    const x = phaseSamples("wfm", oscillatorSpec({ whiteFmAdev1s: h }), 40_001);
    const measured = [1, 10, 100].map((tau) => oadev(x, 1, tau) / (h / Math.sqrt(tau)));
    expect(measured[0]).toBeGreaterThan(0.97);
    expect(measured[0]).toBeLessThan(1.03);
    expect(measured[1]).toBeGreaterThan(0.93);
    expect(measured[1]).toBeLessThan(1.07);
    expect(measured[2]).toBeGreaterThan(0.85);
    expect(measured[2]).toBeLessThan(1.15);
  });

  it("white FM keeps ADEV(1 s) when the noise step is shorter than 1 s", () => {
    const h = 1e-9;
    const x = phaseSamples("wfm-step", oscillatorSpec({ whiteFmAdev1s: h }), 20_001, { stepS: 0.25 });
    const ratio = oadev(x, 1, 1) / h;
    expect(ratio).toBeGreaterThan(0.96);
    expect(ratio).toBeLessThan(1.04);
  });

  it("random-walk FM: ADEV(τ) → randomWalkFmAdev1s·τ^+½ at long τ", () => {
    const h = 1e-11;
    const spec = oscillatorSpec({ randomWalkFmAdev1s: h });
    const taus = [100, 300, 1000];
    const avar = taus.map(() => 0);
    const runs = 12;
    for (let r = 0; r < runs; r++) {
      const x = phaseSamples(`rwfm-${r}`, spec, 30_001);
      taus.forEach((tau, i) => (avar[i] = (avar[i] as number) + oadev(x, 1, tau) ** 2 / runs));
    }
    const ratios = taus.map((tau, i) => Math.sqrt(avar[i] as number) / (h * Math.sqrt(tau)));
    for (const ratio of ratios) {
      expect(ratio).toBeGreaterThan(0.85);
      expect(ratio).toBeLessThan(1.15);
    }
    const slope = Math.log(Math.sqrt((avar[2] as number) / (avar[0] as number))) / Math.log(10);
    expect(slope).toBeGreaterThan(0.4);
    expect(slope).toBeLessThan(0.6);
  });

  it("parabolic temperature curve: −0.034 ppm/°C² × ΔT²", () => {
    for (const c of [-10, 5, 25, 45, 60]) {
      const osc = createOscillator(oscillatorSpec({}), {
        rng: createRng(1),
        temperature: constantTemperature(c),
        initialErrorPpm: 0,
        agingPpmPerYear: 0,
      });
      const expectedPpm = -0.034 * (c - 25) ** 2;
      expect(osc.trueFrequencyErrorPpm(500)).toBeCloseTo(expectedPpm, 9);
      expect(osc.truePhaseS(1000)).toBeCloseTo(expectedPpm * 1e-6 * 1000, 12);
    }
  });

  it("cubic (AT-cut) temperature curve", () => {
    const spec = oscillatorSpec({
      type: "at-cut",
      temperature: { model: "cubic", turnoverC: 25, aPpmPerC: -0.05, bPpmPerC3: 1e-4 },
    });
    const osc = createOscillator(spec, {
      rng: createRng(1),
      temperature: constantTemperature(45),
      initialErrorPpm: 1,
      agingPpmPerYear: 0,
    });
    expect(osc.trueFrequencyErrorPpm(10)).toBeCloseTo(1 - 0.05 * 20 + 1e-4 * 8000, 9);
  });

  it("ages linearly: y = initial + rate·t, phase = ½·rate·t²", () => {
    const osc = createOscillator(oscillatorSpec({ agingPpmPerYear: 3 }), {
      rng: createRng(1),
      temperature: constantTemperature(25),
      initialErrorPpm: 2,
      agingPpmPerYear: 3,
      stepS: 60,
      historyS: 0,
    });
    const t = 100 * 86_400 + 30; // a step midpoint
    expect(osc.trueFrequencyErrorPpm(t)).toBeCloseTo(2 + (3 * t) / YEAR_S, 9);
    const day = 86_400 * 200;
    const expectedPhase = 2e-6 * day + 0.5 * (3e-6 / YEAR_S) * day * day;
    expect(osc.truePhaseS(day)).toBeCloseTo(expectedPhase, 9);
  });

  it("draws the initial error within tolerance and rejects out-of-spec values unless forced", () => {
    const spec = oscillatorSpec({ tolerancePpm: 20 });
    for (let seed = 0; seed < 50; seed++) {
      const osc = createOscillator(spec, { rng: createRng(seed), temperature: constantTemperature(25) });
      expect(Math.abs(osc.initialErrorPpm)).toBeLessThanOrEqual(20);
      expect(Math.abs(osc.agingPpmPerYear)).toBeLessThanOrEqual(3);
    }
    const base = { rng: createRng(1), temperature: constantTemperature(25) };
    expect(() => createOscillator(spec, { ...base, initialErrorPpm: 25 })).toThrow(
      /exceeds the spec's ±20.*forceOutOfSpec/,
    );
    expect(
      createOscillator(spec, { ...base, initialErrorPpm: 25, forceOutOfSpec: true }).initialErrorPpm,
    ).toBe(25);
  });

  it("localAt and trueAt are exact inverses, and local time is monotonic (property)", () => {
    const osc = createOscillator(oscillatorSpec({ whiteFmAdev1s: 5e-8, randomWalkFmAdev1s: 1e-9 }), {
      rng: createRng("inverse"),
      temperature: rampTemperature({ from: 0, to: 50, startS: 0, durationS: 20_000 }),
      initialLocalS: 1000,
      historyS: 1e6,
    });
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 20_000, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (t, dt) => {
          const local = osc.localAt(t);
          expect(Math.abs(osc.trueAt(local) - t)).toBeLessThan(1e-9);
          expect(Math.abs(osc.localAt(osc.trueAt(local + dt)) - (local + dt))).toBeLessThan(1e-9);
          expect(osc.localAt(t + dt)).toBeGreaterThanOrEqual(local);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("phase is piecewise linear with slope 1 + y inside each step", () => {
    const osc = createOscillator(oscillatorSpec({ whiteFmAdev1s: 1e-7 }), {
      rng: createRng(5),
      temperature: constantTemperature(40),
      stepS: 2,
    });
    const t1 = 10.2;
    const t2 = 11.9;
    const slope = (osc.localAt(t2) - osc.localAt(t1)) / (t2 - t1);
    expect(slope - 1).toBeCloseTo(osc.fractionalFrequencyAt(11), 12);
    expect(osc.trueFrequencyErrorPpm(11)).toBeCloseTo(osc.fractionalFrequencyAt(10.5) * 1e6, 9);
  });

  it("keeps a bounded history and explains queries before it", () => {
    const osc = createOscillator(oscillatorSpec({ whiteFmAdev1s: 1e-9 }), {
      rng: createRng(1),
      temperature: constantTemperature(25),
      historyS: 100,
    });
    osc.localAt(0);
    osc.localAt(100_000);
    expect(() => osc.localAt(99_899)).not.toThrow();
    expect(() => osc.localAt(10)).toThrow(/before the retained history/);
    expect(() => osc.trueAt(-1)).toThrow(/before the retained history/);
    const fresh = createOscillator(oscillatorSpec({}), {
      rng: createRng(1),
      temperature: constantTemperature(25),
    });
    expect(() => fresh.trueAt(-1)).toThrow(/before the clock started/);
    expect(() => fresh.localAt(-1)).toThrow(/must be finite and ≥ 0/);
    // A far-future trueAt (a long timer) does not evict the present.
    fresh.localAt(50);
    fresh.trueAt(200_000);
    expect(() => fresh.localAt(60)).not.toThrow();
  });

  it("RC oscillator: recalibrates every periodS to within ±stepPpm/2 of the target", () => {
    const spec = oscillatorSpec({
      type: "rc",
      tolerancePpm: 50_000,
      temperature: { model: "cubic", turnoverC: 25, aPpmPerC: 300, bPpmPerC3: 0 },
      agingPpmPerYear: 0,
      whiteFmAdev1s: 1e-7,
      rcCalibration: { periodS: 4, stepPpm: 250 },
    });
    const osc = createOscillator(spec, {
      rng: createRng("rc"),
      temperature: rampTemperature({ from: 20, to: 40, startS: 0, durationS: 400 }),
      initialErrorPpm: 20_000,
    });
    let maxDriftPpm = 0;
    for (let t = 0; t < 400; t++) {
      const ppm = osc.trueFrequencyErrorPpm(t + 0.5);
      if (t % 4 === 0) expect(Math.abs(ppm)).toBeLessThanOrEqual(125 + 1e-6);
      maxDriftPpm = Math.max(maxDriftPpm, Math.abs(ppm));
    }
    // Between calibrations the temperature ramp (0.05 °C/s × 300 ppm/°C) moves it up to ~45 ppm more.
    expect(maxDriftPpm).toBeGreaterThan(125);
    expect(maxDriftPpm).toBeLessThan(125 + 50);
  });

  it("rejects impossible parameters with reasons", () => {
    const base = { rng: createRng(1), temperature: constantTemperature(25) };
    expect(() => createOscillator(oscillatorSpec({ tolerancePpm: -1 }), base)).toThrow(
      /tolerancePpm must be ≥ 0/,
    );
    expect(() => createOscillator(oscillatorSpec({ whiteFmAdev1s: Number.NaN }), base)).toThrow(
      /whiteFmAdev1s must be a finite/,
    );
    expect(() => createOscillator(oscillatorSpec({ randomWalkFmAdev1s: -1e-9 }), base)).toThrow(
      /randomWalkFmAdev1s must be ≥ 0/,
    );
    expect(() => createOscillator(oscillatorSpec({}), { ...base, stepS: 0 })).toThrow(/stepS must be > 0/);
    expect(() => createOscillator(oscillatorSpec({ type: "banana" as never }), base)).toThrow(/unknown type/);
    expect(() =>
      createOscillator(oscillatorSpec({ type: "rc", rcCalibration: { periodS: 0, stepPpm: 1 } }), base),
    ).toThrow(/periodS must be > 0/);
    const wild = createOscillator(
      oscillatorSpec({ temperature: { model: "parabolic", turnoverC: 25, kPpmPerC2: -1e4 } }),
      {
        ...base,
        temperature: constantTemperature(100),
      },
    );
    expect(() => wild.localAt(1)).toThrow(/not physical/);
  });
});
