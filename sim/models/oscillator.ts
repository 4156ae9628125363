// A free-running oscillator as a BoardClock: fractional frequency y(t) is piecewise constant over
// steps of `stepS` true seconds, so local time is piecewise linear and exactly invertible.
//
// y over step k, [k·Δ, (k+1)·Δ), Δ = stepS:
//   y_k = y0 + c(T(t_mid)) + aging·t_mid + w_k + r_k (+ trim_k for RC oscillators)
// with t_mid = (k + ½)Δ (midpoint sampling makes the phase integral second-order accurate for the
// slowly varying deterministic terms), and
//
// White FM, w_k ~ N(0, σw²) i.i.d. per step. The mean of y over τ = mΔ averages m independent
//   values, so AVAR(τ) = ½·E[(ȳ₂ − ȳ₁)²] = σw²/m = σw²·Δ/τ. Requiring AVAR(τ) = h²/τ with
//   h = whiteFmAdev1s (ADEV at 1 s) gives σw = h/√Δ.
//
// Random-walk FM, r_k = r_{k−1} + ε_k, ε_k ~ N(0, q²). The difference of two adjacent m-step means
//   is (1/m)·Σ_l c_l·ε_l with weights c_l = 1, 2, …, m, …, 2, 1 (2m − 1 terms), so
//   AVAR(mΔ) = q²·(2m² + 1)/(6m)  →  q²·m/3 = (q²/Δ)·τ/3 for m ≫ 1.
//   (The continuous-time result for a Wiener process with Var[dy] = D·dt is AVAR = D·τ/3.)
//   Requiring the asymptote AVAR(τ) = h_rw²·τ/(1 s), h_rw = randomWalkFmAdev1s, gives q = h_rw·√(3Δ).
//   The +½ slope holds for τ ≫ Δ; at τ = Δ the discrete value is q²/2 = 1.5·h_rw²·Δ.
//
// RC oscillators: every rcCalibration.periodS (first at firstCalibrationS, default 0) the oscillator
// is trimmed against the HF crystal in steps of stepPpm: trim = round((target − raw)/step)·step,
// leaving |y − target| ≤ step/2 at the calibration instant; between calibrations temperature and noise
// move it freely. The calibration applies from the start of the step that contains the instant.

import type { BoardClock, Rng, TemperatureProfile } from "../contracts.ts";
import type { Oscillator } from "../../boards/types.ts";
import { paramChecks } from "./params.ts";

const { fail, finite, nonNegative } = paramChecks("oscillator");

const SECONDS_PER_YEAR = 365.25 * 86_400;
const PPM = 1e-6;
const MAX_ABS_Y = 0.5;
const INITIAL_CAPACITY = 256;

export interface OscillatorOptions {
  rng: Rng;
  temperature: TemperatureProfile;
  /** Frequency error at the curve's turnover temperature, ppm. Default: uniform within ±tolerancePpm. */
  initialErrorPpm?: number;
  /** Aging rate, ppm/year (signed). Default: uniform within ±spec.agingPpmPerYear. */
  agingPpmPerYear?: number;
  /** Interval over which noise (and sampled temperature/aging) is held constant, true seconds. */
  stepS?: number;
  /** Accept initialErrorPpm / agingPpmPerYear beyond the spec's bounds. */
  forceOutOfSpec?: boolean;
  /** How far behind the latest localAt query the clock stays queryable, true seconds (default 3600). */
  historyS?: number;
  /** Local clock reading at true time 0 (default 0). */
  initialLocalS?: number;
  /** RC only: the frequency error the calibration aims for, ppm (the HF crystal's error; default 0). */
  calibrationTargetPpm?: number;
  /** RC only: true time of the first calibration (default 0); later ones follow every periodS. */
  firstCalibrationS?: number;
}

export interface OscillatorClock extends BoardClock {
  readonly spec: Oscillator;
  readonly initialErrorPpm: number;
  readonly agingPpmPerYear: number;
  readonly stepS: number;
  trueFrequencyErrorPpm(trueTimeS: number): number;
  /** local − true, seconds. */
  truePhaseS(trueTimeS: number): number;
}

/** Temperature coefficient curve of the spec, returning ppm at temperature c. */
function temperatureCurve(spec: Oscillator): (c: number) => number {
  const curve = spec.temperature?.value;
  if (curve === undefined) fail("spec.temperature.value is missing");
  switch (curve.model) {
    case "none":
      return () => 0;
    case "parabolic": {
      const t0 = finite("temperature.turnoverC", curve.turnoverC);
      const k = finite("temperature.kPpmPerC2", curve.kPpmPerC2);
      return (c) => k * (c - t0) * (c - t0);
    }
    case "cubic": {
      const t0 = finite("temperature.turnoverC", curve.turnoverC);
      const a = finite("temperature.aPpmPerC", curve.aPpmPerC);
      const b = finite("temperature.bPpmPerC3", curve.bPpmPerC3);
      return (c) => {
        const d = c - t0;
        return a * d + b * d * d * d;
      };
    }
    default:
      return fail(`unknown temperature model ${(curve as { model: string }).model}`);
  }
}

function withinSpec(name: string, value: number, bound: number, force: boolean): number {
  finite(name, value);
  if (!force && Math.abs(value) > bound) {
    fail(`${name} = ${value} exceeds the spec's ±${bound}; pass forceOutOfSpec: true to allow it`);
  }
  return value;
}

export function createOscillator(spec: Oscillator, options: OscillatorOptions): OscillatorClock {
  if (spec === null || typeof spec !== "object") fail("spec must be an Oscillator profile");
  if (!["tuning-fork-32k", "at-cut", "rc", "host"].includes(spec.type))
    fail(`unknown type ${String(spec.type)}`);
  const nominalHz = finite("nominalHz", spec.nominalHz);
  if (nominalHz <= 0) fail(`nominalHz must be > 0, got ${nominalHz}`);
  const tolerancePpm = nonNegative("tolerancePpm", spec.tolerancePpm?.value);
  const agingBoundPpm = nonNegative("agingPpmPerYear (a ± bound)", spec.agingPpmPerYear?.value);
  const whiteAdev1s = nonNegative("noise.whiteFmAdev1s", spec.noise?.value?.whiteFmAdev1s);
  const rwAdev1s = nonNegative("noise.randomWalkFmAdev1s", spec.noise?.value?.randomWalkFmAdev1s);
  const curvePpm = temperatureCurve(spec);

  const { rng, temperature } = options;
  if (typeof rng?.normal !== "function") fail("options.rng is required");
  if (typeof temperature?.at !== "function") fail("options.temperature is required");
  const stepS = finite("stepS", options.stepS ?? 1);
  if (stepS <= 0) fail(`stepS must be > 0, got ${stepS}`);
  const historyS = nonNegative("historyS", options.historyS ?? 3600);
  const initialLocalS = finite("initialLocalS", options.initialLocalS ?? 0);
  const force = options.forceOutOfSpec === true;

  const initialErrorPpm = withinSpec(
    "initialErrorPpm",
    options.initialErrorPpm ?? tolerancePpm * (2 * rng.fork("initial-error").uniform() - 1),
    tolerancePpm,
    force,
  );
  const agingPpmPerYear = withinSpec(
    "agingPpmPerYear",
    options.agingPpmPerYear ?? agingBoundPpm * (2 * rng.fork("aging").uniform() - 1),
    agingBoundPpm,
    force,
  );

  let calPeriodS = Infinity;
  let calStep = 0;
  if (spec.type === "rc" && spec.rcCalibration !== undefined) {
    calPeriodS = finite("rcCalibration.periodS", spec.rcCalibration.value?.periodS);
    if (calPeriodS <= 0) fail(`rcCalibration.periodS must be > 0, got ${calPeriodS}`);
    calStep = nonNegative("rcCalibration.stepPpm", spec.rcCalibration.value.stepPpm) * PPM;
  }
  const calTarget = finite("calibrationTargetPpm", options.calibrationTargetPpm ?? 0) * PPM;

  const whiteRng = rng.fork("white-fm");
  const rwRng = rng.fork("random-walk-fm");
  const whiteSigma = whiteAdev1s / Math.sqrt(stepS);
  const rwSigma = rwAdev1s * Math.sqrt(3 * stepS);
  const y0 = initialErrorPpm * PPM;
  const agingPerS = (agingPpmPerYear * PPM) / SECONDS_PER_YEAR;

  // Generation frontier.
  let nextK = 0;
  let nextPhaseS = 0; // phase (local − true − initialLocalS) at the start of step nextK
  let rw = 0;
  let trim = 0;
  let nextCalS =
    calPeriodS < Infinity ? nonNegative("firstCalibrationS", options.firstCalibrationS ?? 0) : Infinity;

  // Retained steps [firstK, nextK) in a ring buffer: frequency and phase at step start.
  let capacity = INITIAL_CAPACITY;
  let mask = capacity - 1;
  let ys = new Float64Array(capacity);
  let phases = new Float64Array(capacity);
  let head = 0;
  let firstK = 0;
  let lowWaterS = 0;
  let hintK = 0;

  const slot = (k: number): number => (head + (k - firstK)) & mask;

  const grow = (): void => {
    const count = nextK - firstK;
    const newYs = new Float64Array(capacity * 2);
    const newPhases = new Float64Array(capacity * 2);
    for (let i = 0; i < count; i++) {
      const s = (head + i) & mask;
      newYs[i] = ys[s] as number;
      newPhases[i] = phases[s] as number;
    }
    ys = newYs;
    phases = newPhases;
    capacity *= 2;
    mask = capacity - 1;
    head = 0;
  };

  const generate = (): void => {
    if (nextK - firstK === capacity) {
      // Drop steps that ended before the retention horizon, or grow.
      const horizonK = Math.floor((lowWaterS - historyS) / stepS);
      if (horizonK > firstK) {
        const drop = Math.min(horizonK, nextK) - firstK;
        head = (head + drop) & mask;
        firstK += drop;
      } else {
        grow();
      }
    }
    const k = nextK;
    const tStart = k * stepS;
    const tMid = tStart + 0.5 * stepS;
    if (rwSigma > 0 && k > 0) rw += rwSigma * rwRng.normal();
    let y = y0 + curvePpm(temperature.at(tMid)) * PPM + agingPerS * tMid + rw;
    if (whiteSigma > 0) y += whiteSigma * whiteRng.normal();
    if (nextCalS < tStart + stepS) {
      const correction = calTarget - y;
      trim = calStep > 0 ? Math.round(correction / calStep) * calStep : correction;
      while (nextCalS < tStart + stepS) nextCalS += calPeriodS;
    }
    y += trim;
    if (!(Math.abs(y) < MAX_ABS_Y)) {
      fail(
        `fractional frequency error ${y} at true time ${tStart} s is not physical; check the temperature curve and noise`,
      );
    }
    const s = slot(k);
    ys[s] = y;
    phases[s] = nextPhaseS;
    nextPhaseS += y * stepS;
    nextK = k + 1;
  };

  const stepOf = (trueTimeS: number, what: string): number => {
    if (typeof trueTimeS !== "number" || !(trueTimeS >= 0) || trueTimeS === Infinity) {
      fail(`${what}: true time must be finite and ≥ 0, got ${trueTimeS}`);
    }
    const k = Math.floor(trueTimeS / stepS);
    if (k < firstK) {
      fail(
        `${what}: true time ${trueTimeS} s is before the retained history (from ${firstK * stepS} s; historyS = ${historyS})`,
      );
    }
    // Raise the low-water mark first so a long jump ahead recycles the ring instead of growing it.
    if (trueTimeS > lowWaterS) lowWaterS = trueTimeS;
    while (nextK <= k) generate();
    return k;
  };

  const phaseAt = (trueTimeS: number, what: string): number => {
    const k = stepOf(trueTimeS, what);
    const s = slot(k);
    return (phases[s] as number) + (ys[s] as number) * (trueTimeS - k * stepS);
  };

  const boundaryLocal = (k: number): number => k * stepS + (phases[slot(k)] as number);

  return {
    spec,
    initialErrorPpm,
    agingPpmPerYear,
    stepS,
    localAt(trueTimeS) {
      return trueTimeS + initialLocalS + phaseAt(trueTimeS, "localAt");
    },
    truePhaseS(trueTimeS) {
      return initialLocalS + phaseAt(trueTimeS, "truePhaseS");
    },
    fractionalFrequencyAt(trueTimeS) {
      // stepOf may reallocate the ring, so it must run before `ys` is read.
      const s = slot(stepOf(trueTimeS, "fractionalFrequencyAt"));
      return ys[s] as number;
    },
    trueFrequencyErrorPpm(trueTimeS) {
      const s = slot(stepOf(trueTimeS, "trueFrequencyErrorPpm"));
      return (ys[s] as number) / PPM;
    },
    trueAt(localS) {
      if (typeof localS !== "number" || !Number.isFinite(localS))
        fail(`trueAt: local time must be finite, got ${localS}`);
      const target = localS - initialLocalS;
      if (nextK === 0) generate();
      if (target < boundaryLocal(firstK)) {
        fail(
          firstK === 0
            ? `trueAt: local time ${localS} s is before the clock started (${initialLocalS} s)`
            : `trueAt: local time ${localS} s is before the retained history (historyS = ${historyS})`,
        );
      }
      while (nextK * stepS + nextPhaseS <= target) generate();
      let k = hintK;
      if (
        k < firstK ||
        k >= nextK ||
        boundaryLocal(k) > target ||
        (k + 1 < nextK && boundaryLocal(k + 1) <= target)
      ) {
        let lo = firstK;
        let hi = nextK - 1;
        while (lo < hi) {
          const mid = Math.floor((lo + hi + 1) / 2);
          if (boundaryLocal(mid) <= target) lo = mid;
          else hi = mid - 1;
        }
        k = lo;
      }
      hintK = k;
      const s = slot(k);
      const tStart = k * stepS;
      return tStart + (target - tStart - (phases[s] as number)) / (1 + (ys[s] as number));
    },
  };
}
