// Servo estimator comparison on lab-model PPS data (docs/servo.md): for each board and scenario, seeded
// 1 h runs of 1 PPS edges timestamped as the lab's runtime does (interrupt latency + Gaussian jitter,
// floored to the timebase quantum, rounded to integer µs as firmware/src/main.ts does), fed to each
// candidate estimator behind the same servo. Figures are deterministic (seeded); no wall-clock timing.
import { getBoard } from "../boards/index.ts";
import type { BoardProfile } from "../boards/index.ts";
import { EST_KALMAN, EST_PI, EST_WINDOW } from "../firmware/src/estimator.ts";
import {
  createServo,
  servoPredictPhaseNs,
  servoSample,
  SERVO_LOCKED,
  type ServoConfig,
} from "../firmware/src/servo.ts";
import { createOscillator } from "../sim/models/oscillator.ts";
import { constantTemperature, rampTemperature } from "../sim/models/temperature.ts";
import { createRng } from "../sim/rng.ts";

export type Scenario = "white" | "wander" | "ramp" | "outliers";

export interface PpsRunOptions {
  board: string;
  scenario: Scenario;
  seed: number;
  durationS?: number;
}

export interface PpsRun {
  /** Edge timestamps as the firmware sees them, µs since boot; edge i marks GPS second i + 1. */
  edgeLocalUs: Float64Array;
  /** The unquantised local time at each GPS second (the truth a prediction is compared with), µs. */
  trueLocalUs: Float64Array;
  /** Mean true frequency error over the last 60 s, ppb. */
  finalFreqPpb: number;
  /** Whether edge i was given an extra outlier delay. */
  delayed: Uint8Array;
  /** Servo config from the board profile; oscillator noise as the scenario's oscillator really has it. */
  config: ServoConfig;
  /** The board profile's oscillator noise (what firmware would be configured with). */
  specWhiteFmAdev1s: number;
  specRandomWalkFmAdev1s: number;
}

const OUTLIER_RATE = 0.01;
const TRUTH_FREQ_WINDOW_S = 60;

function oscillatorFor(profile: BoardProfile, scenario: Scenario) {
  if (scenario !== "white" && scenario !== "outliers") return profile.oscillator;
  return {
    ...profile.oscillator,
    noise: { ...profile.oscillator.noise, value: { whiteFmAdev1s: 0, randomWalkFmAdev1s: 0 } },
  };
}

/** One seeded run of PPS edges from the lab models. */
export function generatePpsRun(options: PpsRunOptions): PpsRun {
  const durationS = options.durationS ?? 3600;
  const profile = getBoard(options.board);
  const spec = oscillatorFor(profile, options.scenario);
  const rng = createRng(`servo-bench/${options.board}/${options.scenario}/${options.seed}`);
  const temperature =
    options.scenario === "ramp"
      ? rampTemperature({ from: 25, to: 30, startS: 600, durationS: 2400 })
      : constantTemperature(25);
  const whiteOnly = options.scenario === "white" || options.scenario === "outliers";
  // White-only scenarios have a constant frequency: no noise, no temperature change and no aging.
  const osc = createOscillator(spec, {
    rng: rng.fork("osc"),
    temperature,
    ...(whiteOnly ? { agingPpmPerYear: 0 } : {}),
  });
  const jitterRng = rng.fork("jitter");
  const outlierRng = rng.fork("outliers");
  const quantumS = profile.timebase.quantumS.value;
  const latencyS = profile.interrupt.latencyS.value;
  const jitterS = profile.interrupt.jitterRmsS.value;
  const worstS = profile.interrupt.worstCaseLatencyS?.value ?? 0;
  const edgeLocalUs = new Float64Array(durationS);
  const trueLocalUs = new Float64Array(durationS);
  const delayed = new Uint8Array(durationS);
  for (let i = 0; i < durationS; i++) {
    const gpsS = i + 1;
    // GPS PPS jitter (20 ns) is far below every board's timestamp noise but costs nothing to include.
    let delayS = latencyS + jitterS * jitterRng.normal();
    if (options.scenario === "outliers" && outlierRng.uniform() < OUTLIER_RATE) {
      delayS += worstS * outlierRng.uniform();
      delayed[i] = 1;
    }
    const irqS = gpsS + 20e-9 * jitterRng.normal() + (delayS > 0 ? delayS : 0);
    const localS = Math.floor(osc.localAt(irqS) / quantumS) * quantumS;
    edgeLocalUs[i] = Math.round(localS * 1e6);
    trueLocalUs[i] = osc.localAt(gpsS) * 1e6;
  }
  const endS = durationS;
  const finalFreqPpb =
    ((osc.truePhaseS(endS) - osc.truePhaseS(endS - TRUTH_FREQ_WINDOW_S)) / TRUTH_FREQ_WINDOW_S) * 1e9;
  return {
    edgeLocalUs,
    trueLocalUs,
    finalFreqPpb,
    delayed,
    config: {
      quantumNs: quantumS * 1e9,
      jitterNs: jitterS * 1e9,
      whiteFmAdev1s: spec.noise.value.whiteFmAdev1s,
      randomWalkFmAdev1s: spec.noise.value.randomWalkFmAdev1s,
    },
    specWhiteFmAdev1s: profile.oscillator.noise.value.whiteFmAdev1s,
    specRandomWalkFmAdev1s: profile.oscillator.noise.value.randomWalkFmAdev1s,
  };
}

export interface Candidate {
  name: string;
  /** Builds the servo config for a run. */
  config(run: PpsRun): ServoConfig;
}

export const CANDIDATES: Candidate[] = [
  { name: "kalman", config: (run) => ({ ...run.config, estimator: EST_KALMAN }) },
  {
    name: "kalman-spec-noise",
    config: (run) => ({
      ...run.config,
      estimator: EST_KALMAN,
      whiteFmAdev1s: run.specWhiteFmAdev1s,
      randomWalkFmAdev1s: run.specRandomWalkFmAdev1s,
    }),
  },
  { name: "pi-sw", config: (run) => ({ ...run.config, estimator: EST_PI, kp: 0.1, ki: 0.001 }) },
  { name: "pi-hw", config: (run) => ({ ...run.config, estimator: EST_PI, kp: 0.7, ki: 0.3 }) },
  { name: "window-64", config: (run) => ({ ...run.config, estimator: EST_WINDOW, windowSize: 64 }) },
  { name: "window-256", config: (run) => ({ ...run.config, estimator: EST_WINDOW, windowSize: 256 }) },
];

export interface RunFigures {
  /** Frequency estimate − truth after the last edge, ppb. */
  freqErrorPpb: number;
  /** Least-squares floor for the slope of all edges with the run's measured timestamp noise, ppb. */
  freqFloorPpb: number;
  /** Time error (prediction at each GPS second before its edge, minus truth) while LOCKED: mean and rms about it, ns. */
  timeErrorMeanNs: number;
  timeErrorRmsNs: number;
  /** RMS over the same edges of the LS one-step-ahead prediction floor, ns. */
  timeFloorRmsNs: number;
  /** Measured timestamp noise (edge − truth, about its mean), ns. */
  timestampRmsNs: number;
  /** Edge index at which the servo first locked (-1: never). */
  lockedAtEdge: number;
  outliers: number;
  restarts: number;
}

function timestampNoise(run: PpsRun): { meanNs: number; rmsNs: number } {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let i = 0; i < run.edgeLocalUs.length; i++) {
    if (run.delayed[i] === 1) continue;
    const d = ((run.edgeLocalUs[i] as number) - (run.trueLocalUs[i] as number)) * 1000;
    sum += d;
    sumSq += d * d;
    n++;
  }
  const meanNs = sum / n;
  return { meanNs, rmsNs: Math.sqrt(Math.max(0, sumSq / n - meanNs * meanNs)) };
}

/** Feeds one run to one servo configuration and measures it against the truth. */
export function measureRun(run: PpsRun, config: ServoConfig): RunFigures {
  const servo = createServo(config);
  const sigmaNs = timestampNoise(run).rmsNs;
  const n = run.edgeLocalUs.length;
  let lockedAtEdge = -1;
  let errSum = 0;
  let errSumSq = 0;
  let floorSumSq = 0;
  let errCount = 0;
  for (let i = 0; i < n; i++) {
    if (servo.state === SERVO_LOCKED) {
      const trueUs = run.trueLocalUs[i] as number;
      const truthNs = (trueUs - servo.anchorLocalUs) * 1000 - (i + 1 - servo.anchorGpsSecond) * 1e9;
      const err = servoPredictPhaseNs(servo, trueUs) - truthNs;
      errSum += err;
      errSumSq += err * err;
      // One-step-ahead LS prediction variance with k equally spaced edges: σ²(1/k + 3(k+1)/(k(k−1))).
      const k = i;
      floorSumSq += sigmaNs * sigmaNs * (1 / k + (3 * (k + 1)) / (k * (k - 1)));
      errCount++;
    }
    servoSample(servo, run.edgeLocalUs[i] as number, i + 1);
    if (lockedAtEdge < 0 && servo.state === SERVO_LOCKED) lockedAtEdge = i;
  }
  const errMean = errCount > 0 ? errSum / errCount : NaN;
  return {
    freqErrorPpb: servo.freqPpb - run.finalFreqPpb,
    freqFloorPpb: sigmaNs * Math.sqrt(12 / (n * (n * n - 1))),
    timeErrorMeanNs: errMean,
    timeErrorRmsNs: errCount > 0 ? Math.sqrt(Math.max(0, errSumSq / errCount - errMean * errMean)) : NaN,
    timeFloorRmsNs: errCount > 0 ? Math.sqrt(floorSumSq / errCount) : NaN,
    timestampRmsNs: sigmaNs,
    lockedAtEdge,
    outliers: servo.outliers,
    restarts: servo.restarts,
  };
}

export interface CellFigures {
  board: string;
  scenario: Scenario;
  estimator: string;
  seeds: number;
  timestampRmsNs: number;
  /** RMS over seeds of the final frequency error, and the LS floor, ppb; ratio = rms / floor. */
  freqErrorRmsPpb: number;
  freqFloorPpb: number;
  freqRatio: number;
  /** RMS over seeds of the locked time error (about each run's mean), its floor, and the ratio. */
  timeErrorRmsNs: number;
  timeFloorRmsNs: number;
  timeRatio: number;
  /** Mean over seeds of the constant part of the time error (latency and quantisation bias), ns. */
  timeBiasNs: number;
  lockedAtEdgeMax: number;
  outliers: number;
  restarts: number;
}

function rms(values: number[]): number {
  return Math.sqrt(values.reduce((a, v) => a + v * v, 0) / values.length);
}

/** One table cell: `seeds` seeded runs of a board and scenario through one candidate. */
export function measureCell(
  board: string,
  scenario: Scenario,
  candidate: Candidate,
  seeds: number,
  durationS = 3600,
): CellFigures {
  const figures: RunFigures[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const run = generatePpsRun({ board, scenario, seed, durationS });
    figures.push(measureRun(run, candidate.config(run)));
  }
  const freqErrorRmsPpb = rms(figures.map((f) => f.freqErrorPpb));
  const freqFloorPpb = rms(figures.map((f) => f.freqFloorPpb));
  const timeErrorRmsNs = rms(figures.map((f) => f.timeErrorRmsNs));
  const timeFloorRmsNs = rms(figures.map((f) => f.timeFloorRmsNs));
  return {
    board,
    scenario,
    estimator: candidate.name,
    seeds,
    timestampRmsNs: rms(figures.map((f) => f.timestampRmsNs)),
    freqErrorRmsPpb,
    freqFloorPpb,
    freqRatio: freqErrorRmsPpb / freqFloorPpb,
    timeErrorRmsNs,
    timeFloorRmsNs,
    timeRatio: timeErrorRmsNs / timeFloorRmsNs,
    timeBiasNs: figures.reduce((a, f) => a + f.timeErrorMeanNs, 0) / figures.length,
    lockedAtEdgeMax: Math.max(...figures.map((f) => f.lockedAtEdge)),
    outliers: figures.reduce((a, f) => a + f.outliers, 0),
    restarts: figures.reduce((a, f) => a + f.restarts, 0),
  };
}

export const BENCH_BOARDS = ["pico", "puckjs", "esp32", "espruino-wifi"];
export const BENCH_SCENARIOS: Scenario[] = ["white", "outliers", "wander", "ramp"];

function round3(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(3)) : v;
}

/** The full comparison: every board × scenario × candidate, 16 seeds of 1 h each. */
export function benchServo(seeds = 16): object {
  const cells: Record<string, number | string>[] = [];
  for (const board of BENCH_BOARDS) {
    for (const scenario of BENCH_SCENARIOS) {
      for (const candidate of CANDIDATES) {
        const cell = measureCell(board, scenario, candidate, seeds);
        const rounded: Record<string, number | string> = {};
        for (const [key, value] of Object.entries(cell))
          rounded[key] = typeof value === "number" ? round3(value) : value;
        cells.push(rounded);
      }
    }
  }
  return { seeds, durationS: 3600, cells };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(JSON.stringify(benchServo(), null, 2) + "\n");
}
