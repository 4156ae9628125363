import { describe, expect, it } from "vitest";
import { createRng } from "../../sim/rng.ts";
import { fitTempco } from "./tempco.ts";

describe("fitTempco", () => {
  it("finds a tuning-fork crystal's parabola and turnover (−0.034 ppm/°C², 25 °C)", () => {
    const temps = Array.from({ length: 41 }, (_, i) => -10 + i * 1.5);
    const y = temps.map((T) => -0.034e-6 * (T - 25) ** 2 + 3e-6);
    const fit = fitTempco(temps, y);
    expect(fit.quadraticPpmPerC2.value).toBeCloseTo(-0.034, 10);
    expect(fit.offsetPpm.value).toBeCloseTo(3, 8);
    expect(fit.turnovers).toHaveLength(1);
    expect(fit.turnovers[0]!.temperatureC).toBeCloseTo(25, 8);
    expect(fit.turnovers[0]!.kind).toBe("maximum");
  });

  it("finds the two turning points of an AT-cut cubic and its inflection", () => {
    // Δf/f = A1(T−T0) + A2(T−T0)² + A3(T−T0)³ with A1 = −5.08e-6·0.1, A2 = −0.45e-9, A3 = 108.6e-12.
    const [a1, a2, a3] = [-5.08e-7, -0.45e-9, 108.6e-12];
    const temps = Array.from({ length: 61 }, (_, i) => -40 + i * 2.5);
    const y = temps.map((T) => a1 * (T - 25) + a2 * (T - 25) ** 2 + a3 * (T - 25) ** 3);
    const fit = fitTempco(temps, y, { model: "cubic" });
    const roots = [-1, 1]
      .map((s) => 25 + (-2 * a2 + s * Math.sqrt(4 * a2 * a2 - 12 * a1 * a3)) / (6 * a3))
      .sort((p, q) => p - q);
    expect(fit.turnovers.map((t) => t.temperatureC)).toEqual([
      expect.closeTo(roots[0]!, 6),
      expect.closeTo(roots[1]!, 6),
    ]);
    expect(fit.turnovers.map((t) => t.kind)).toEqual(["maximum", "minimum"]);
    expect(fit.inflection!.value).toBeCloseTo(25 - a2 / (3 * a3), 6);
    expect(fit.cubicPpmPerC3!.value).toBeCloseTo(108.6e-6, 12);
  });

  it("propagates the coefficient uncertainties into the turnover temperature", () => {
    const rng = createRng("tempco");
    const temps = Array.from({ length: 200 }, (_, i) => 5 + (i % 40));
    const noisy = () => temps.map((T) => -0.034e-6 * (T - 24) ** 2 + 0.02e-6 * rng.normal());
    const fit = fitTempco(temps, noisy());
    const u = fit.turnovers[0]!.uncertaintyC;
    expect(u).toBeGreaterThan(0);
    // The spread of the turnover over repeated noisy fits matches the propagated uncertainty.
    const turnovers = Array.from({ length: 300 }, () => fitTempco(temps, noisy()).turnovers[0]!.temperatureC);
    const mean = turnovers.reduce((a, b) => a + b) / turnovers.length;
    const spread = Math.sqrt(turnovers.reduce((a, v) => a + (v - mean) ** 2, 0) / (turnovers.length - 1));
    expect(mean).toBeCloseTo(24, 1);
    expect(spread / u).toBeGreaterThan(0.85);
    expect(spread / u).toBeLessThan(1.15);
  });

  it("reports no turnover when the cubic's slope never vanishes", () => {
    const temps = [0, 10, 20, 30, 40, 50];
    const fit = fitTempco(
      temps,
      temps.map((T) => 1e-6 * T + 1e-9 * T ** 3),
      { model: "cubic", referenceC: 0 },
    );
    expect(fit.turnovers).toEqual([]);
  });
});
