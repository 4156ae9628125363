import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getBoard, type BoardProfile } from "../../boards/index.ts";
import { createRng } from "../../sim/rng.ts";
import { createOscillator } from "../../sim/models/oscillator.ts";
import { constantTemperature, rampTemperature } from "../../sim/models/temperature.ts";
import type { TemperatureProfile } from "../../sim/contracts.ts";
import { agingPpbPerSFromPpmPerYear, createBoundConfig, type BoundConfig } from "./bound.ts";
import { posixFromCivil } from "./civil.ts";
import type { LeapPolicy } from "./leap.ts";
import { createMonotonicState, monotonicSample } from "./monotonic.ts";
import {
  UTC_EVT_FIRST_LOCK,
  UTC_EVT_LEAP_DONE,
  UTC_EVT_SLEW,
  UTC_EVT_STEP,
  UTC_SERVO_HOLDOVER,
  UTC_SERVO_LOCKED,
  createUtcClockConfig,
  createUtcClockInput,
  createUtcClockState,
  createUtcReading,
  utcClockRead,
  utcClockSetLeap,
  utcClockTemperature,
  utcClockUpdate,
  type UtcClockInput,
  type UtcClockState,
} from "./utc-clock.ts";

const T0 = posixFromCivil(2024, 5, 1, 0, 0, 0);

/** The bound configuration from a board profile's figures (what the build would inline). */
function boundConfigFor(board: BoardProfile): BoundConfig {
  const cfg = createBoundConfig();
  const osc = board.oscillator;
  cfg.quantumNs = board.timebase.quantumS.value * 1e9;
  cfg.jitterRmsNs = board.interrupt.jitterRmsS.value * 1e9;
  cfg.tolerancePpb = osc.tolerancePpm.value * 1000;
  cfg.whiteFmAdev1s = osc.noise.value.whiteFmAdev1s;
  cfg.randomWalkFmAdev1s = osc.noise.value.randomWalkFmAdev1s;
  cfg.agingPpbPerS = agingPpbPerSFromPpmPerYear(osc.agingPpmPerYear.value);
  const t = osc.temperature.value;
  if (t.model === "parabolic") {
    cfg.tempTurnoverC = t.turnoverC;
    cfg.tempKPpmPerC2 = t.kPpmPerC2;
  } else if (t.model === "cubic") {
    cfg.tempTurnoverC = t.turnoverC;
    cfg.tempAPpmPerC = t.aPpmPerC;
    cfg.tempKPpmPerC2 = t.kPpmPerC2 ?? 0;
    cfg.tempBPpmPerC3 = t.bPpmPerC3;
  }
  cfg.tempResolutionC = board.temperature.resolutionC.value ?? 0;
  return cfg;
}

function lockedInput(
  input: UtcClockInput,
  nowUs: number,
  edgeUs: number,
  labelS: number,
  phaseOffsetNs: number,
  freqErrorPpb: number,
): UtcClockInput {
  input.servoState = UTC_SERVO_LOCKED;
  input.nowUs = nowUs;
  input.edgeUs = edgeUs;
  input.labelPosixS = labelS;
  input.labelSecond60 = false;
  input.phaseOffsetNs = phaseOffsetNs;
  input.phaseSigmaNs = 100;
  input.freqErrorPpb = freqErrorPpb;
  input.freqSigmaPpb = 1;
  input.temperatureC = NaN;
  return input;
}

function newClock(policy: LeapPolicy = "smear"): UtcClockState {
  return createUtcClockState(createUtcClockConfig(boundConfigFor(getBoard("espruino-wifi")), policy));
}

/** Reading − T0 in ns (exact in a double for runs shorter than ~100 days). */
function readNs(clock: UtcClockState, monoUs: number): number {
  const r = utcClockRead(clock, monoUs, createUtcReading());
  expect(r.valid).toBe(true);
  return (r.s - T0) * 1e9 + r.ns;
}

describe("utcClockUpdate / utcClockRead", () => {
  it("is invalid before the first lock, steps on it, then slews small errors", () => {
    const clock = newClock();
    const input = createUtcClockInput();
    expect(utcClockRead(clock, 0, createUtcReading()).valid).toBe(false);
    // Edge at mono 1 s labelled T0; the update runs 200 ms later.
    let ev = utcClockUpdate(clock, lockedInput(input, 1200000, 1000000, T0, 0, 0));
    expect(ev).toBe(UTC_EVT_STEP | UTC_EVT_FIRST_LOCK);
    expect(readNs(clock, 1200000)).toBe(200000000);
    expect(readNs(clock, 1500000)).toBe(500000000);
    // Next edge: the servo says the edge stamp is 50 µs late (true edge earlier): the clock is 50 µs behind.
    ev = utcClockUpdate(clock, lockedInput(input, 2100000, 2000000, T0 + 1, 50000, 0));
    expect(ev).toBe(UTC_EVT_SLEW);
    expect(clock.lastSlewNs).toBeCloseTo(-50000, 6);
    const r = utcClockRead(clock, 2100000, createUtcReading());
    // Reading is behind the best estimate by 50 µs, so the interval lies ahead of it.
    expect(r.earliest95Ns + r.latest95Ns).toBeGreaterThan(99000);
    // Slewed out over slewTimeS = 1 s at 50 ppm: done by mono 3.1 s.
    expect(readNs(clock, 3100000)).toBe(2100000000 + 50000);
    expect(readNs(clock, 4100000)).toBe(3100000000 + 50000);
    expect(clock.steps).toBe(1);
  });

  it("steps past the panic threshold and caps the slew rate at maxSlewPpb", () => {
    const clock = newClock();
    const input = createUtcClockInput();
    utcClockUpdate(clock, lockedInput(input, 1000000, 1000000, T0, 0, 0));
    let ev = utcClockUpdate(clock, lockedInput(input, 2000000, 2000000, T0 + 1, -100000000, 0));
    expect(ev).toBe(UTC_EVT_SLEW);
    expect(clock.slewPpb).toBe(-500000);
    // 100 ms at 500 ppm takes 200 s: after 100 s, 50 ms are slewed out.
    expect(readNs(clock, 102000000)).toBe(101000000000 - 50000000);
    ev = utcClockUpdate(clock, lockedInput(input, 103000000, 103000000, T0 + 102, 300000000, 0));
    expect(ev).toBe(UTC_EVT_STEP);
    expect(clock.steps).toBe(2);
    expect(clock.lastStepNs).toBeCloseTo(300000000 + 50500000, 0);
    expect(readNs(clock, 103000000)).toBe(102000000000 + 300000000);
  });

  it("corrects the rate from the frequency estimate and keeps it through holdover", () => {
    const clock = newClock();
    const input = createUtcClockInput();
    // Local clock 10 ppm fast: 1,000,010 µs of local time per true second.
    utcClockUpdate(clock, lockedInput(input, 0, 0, T0, 0, 10000));
    expect(readNs(clock, 100001000)).toBe(100000000000);
    input.servoState = UTC_SERVO_HOLDOVER;
    input.freqErrorPpb = 20000;
    input.nowUs = 100001000;
    utcClockUpdate(clock, input);
    expect(readNs(clock, 200003000)).toBe(200000000000);
    const r = utcClockRead(clock, 200003000, createUtcReading());
    expect(r.ageS).toBeCloseTo(200.003, 6);
    expect(r.latestHardNs).toBeGreaterThan(r.latest95Ns);
  });

  it("leap second under the step policy shows 23:59:60 and folds afterwards", () => {
    const clock = newClock("step");
    const input = createUtcClockInput();
    const L = posixFromCivil(2017, 1, 1, 0, 0, 0);
    utcClockSetLeap(clock, L, 1);
    utcClockUpdate(clock, lockedInput(input, 0, 0, L - 2, 0, 0));
    const r = createUtcReading();
    utcClockRead(clock, 2500000, r);
    expect([r.s - L, r.ns, r.second60]).toEqual([-1, 500000000, true]);
    utcClockRead(clock, 3500000, r);
    expect([r.s - L, r.ns, r.second60]).toEqual([0, 500000000, false]);
    // The GPS labels the edge after 23:59:60 as 00:00:00; the clock agrees and folds the leap away.
    const ev = utcClockUpdate(clock, lockedInput(input, 3000000, 3000000, L, 0, 0));
    expect(ev & UTC_EVT_LEAP_DONE).toBe(UTC_EVT_LEAP_DONE);
    expect(ev & UTC_EVT_STEP).toBe(0);
    expect(Math.abs(clock.lastSlewNs)).toBeLessThan(1);
    utcClockRead(clock, 3500000, r);
    expect([r.s - L, r.ns, r.second60]).toEqual([0, 500000000, false]);
  });

  it("leap second under the smear policy: half a second at midnight, no step", () => {
    const clock = newClock("smear");
    const input = createUtcClockInput();
    const L = posixFromCivil(2016, 12, 31, 0, 0, 0) + 86400;
    utcClockSetLeap(clock, L, 1);
    utcClockUpdate(clock, lockedInput(input, 0, 0, L - 50000, 0, 0));
    const r = createUtcReading();
    utcClockRead(clock, 50000500000, r);
    expect([r.s - L, r.ns]).toEqual([0, 0]);
    // Labels keep arriving (after the leap they are POSIX + 1 on the elapsed scale): no steps.
    const end = L + 43201 + 10;
    const ev = utcClockUpdate(
      clock,
      lockedInput(input, (end - (L - 50000)) * 1e6, (end - (L - 50000)) * 1e6, end - 1, 0, 0),
    );
    expect(ev & UTC_EVT_STEP).toBe(0);
    expect(ev & UTC_EVT_LEAP_DONE).toBe(UTC_EVT_LEAP_DONE);
    utcClockRead(clock, (end - (L - 50000)) * 1e6, r);
    expect(r.s).toBe(end - 1);
  });

  it("tracks the temperature excursion since the last good PPS for the bound", () => {
    const clock = newClock();
    const input = lockedInput(createUtcClockInput(), 0, 0, T0, 0, 0);
    input.temperatureC = 25;
    utcClockUpdate(clock, input);
    utcClockTemperature(clock, 27);
    utcClockTemperature(clock, 26);
    expect([clock.tempMinC, clock.tempMaxC]).toEqual([25, 27]);
    const warm = utcClockRead(clock, 600e6, createUtcReading());
    utcClockTemperature(clock, 31);
    const hot = utcClockRead(clock, 600e6, createUtcReading());
    expect(hot.latest95Ns).toBeGreaterThan(warm.latest95Ns);
  });

  it("property: readings never go backwards while slewing, and only the first lock steps", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            jitterUs: fc.integer({ min: -100, max: 100 }),
            lateUs: fc.integer({ min: 0, max: 500000 }),
            offsetNs: fc.double({ min: -5e7, max: 5e7, noNaN: true }),
            freqPpb: fc.double({ min: -5e5, max: 5e5, noNaN: true }),
            reads: fc.array(fc.integer({ min: 0, max: 1500000 }), { maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        (steps) => {
          const clock = newClock("none");
          const input = createUtcClockInput();
          let edgeUs = 1000000;
          let label = T0;
          let lastRead = -Infinity;
          let lastReadUs = 0;
          for (const st of steps) {
            const nowUs = Math.max(edgeUs + st.lateUs, lastReadUs);
            utcClockUpdate(clock, lockedInput(input, nowUs, edgeUs, label, st.offsetNs, st.freqPpb));
            const reads = [0, ...st.reads].sort((a, b) => a - b);
            for (const d of reads) {
              const us = Math.max(nowUs + d, lastReadUs);
              const v = readNs(clock, us);
              expect(v).toBeGreaterThanOrEqual(lastRead);
              lastRead = v;
              lastReadUs = us;
            }
            // The next edge one true second later on a local clock that is freqPpb fast.
            edgeUs += Math.round(1e6 * (1 + st.freqPpb * 1e-9)) + st.jitterUs;
            label += 1;
          }
          expect(clock.steps).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ─── Coverage: the bound against a simulated oscillator through a locked hour and a 1-hour holdover ──

interface Coverage {
  readings: number;
  inside95: number;
  insideHard: number;
  halfWidths95Ns: number[];
  absErrNs: number[];
  errOverBound: number[];
}

const WINDOW_S = 300;
const LOCK_S = 3600;
const HOLDOVER_S = 3600;
const READ_EVERY_S = 10;

function quantile(values: number[], q: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/**
 * One run: edges stamped with the board's quantum and interrupt jitter; a least-squares fit over the
 * last WINDOW_S edges stands in for the servo (phase and frequency, with sigmas from the residuals plus
 * the random-walk FM wander over the window); the clock is then read in holdover.
 */
function runCoverage(
  board: BoardProfile,
  seed: string,
  temperature: TemperatureProfile,
  into: Coverage,
): void {
  const rng = createRng(seed);
  const osc = createOscillator(board.oscillator, { rng: rng.fork("oscillator"), temperature });
  const jitterRng = rng.fork("jitter");
  const readRng = rng.fork("read");
  const qS = board.timebase.quantumS.value;
  const jitterS = board.interrupt.jitterRmsS.value;
  const hRw = board.oscillator.noise.value.randomWalkFmAdev1s;
  const resolutionC = board.temperature.resolutionC.value ?? 0.1;
  const getTime = (t: number, jitter: boolean) =>
    Math.floor((osc.localAt(t) + (jitter ? jitterS * jitterRng.normal() : 0)) / qS) * qS;
  const measureC = (t: number) => Math.round(temperature.at(t) / resolutionC) * resolutionC;

  const mono = createMonotonicState(5, 1, 0.001);
  const clock = createUtcClockState(createUtcClockConfig(boundConfigFor(board), "smear"));
  const input = createUtcClockInput();
  const reading = createUtcReading();
  const edgeK: number[] = [];
  const edgeX: number[] = [];
  monotonicSample(mono, getTime(0.5, false));

  for (let k = 1; k <= LOCK_S; k++) {
    const edgeUs = monotonicSample(mono, getTime(k, true));
    edgeK.push(k);
    edgeX.push(edgeUs * 1e-6 - k);
    if (edgeK.length > WINDOW_S) {
      edgeK.shift();
      edgeX.shift();
    }
    const n = edgeK.length;
    if (n < 30) continue;
    let kMean = 0;
    let xMean = 0;
    for (let i = 0; i < n; i++) {
      kMean += edgeK[i] as number;
      xMean += edgeX[i] as number;
    }
    kMean /= n;
    xMean /= n;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      sxx += ((edgeK[i] as number) - kMean) ** 2;
      sxy += ((edgeK[i] as number) - kMean) * ((edgeX[i] as number) - xMean);
    }
    const slope = sxy / sxx;
    let ssr = 0;
    for (let i = 0; i < n; i++) {
      ssr += ((edgeX[i] as number) - xMean - slope * ((edgeK[i] as number) - kMean)) ** 2;
    }
    const s2 = ssr / (n - 2);
    const predX = xMean + slope * (k - kMean);
    const spanS = n;
    input.servoState = UTC_SERVO_LOCKED;
    input.edgeUs = edgeUs;
    input.nowUs = monotonicSample(mono, getTime(k + 0.05, false));
    input.labelPosixS = T0 + k;
    input.labelSecond60 = false;
    input.phaseOffsetNs = (edgeUs * 1e-6 - k - predX) * 1e9;
    input.phaseSigmaNs =
      Math.sqrt(s2 * (1 / n + (k - kMean) ** 2 / sxx) + (hRw * hRw * spanS ** 3) / 12) * 1e9;
    input.freqErrorPpb = slope * 1e9;
    input.freqSigmaPpb = Math.sqrt(s2 / sxx + hRw * hRw * spanS) * 1e9;
    input.temperatureC = measureC(k);
    utcClockUpdate(clock, input);
  }
  expect(clock.steps).toBe(1);

  // Holdover: no edges; the firmware keeps sampling getTime() every second and feeds the temperature.
  input.servoState = UTC_SERVO_HOLDOVER;
  input.freqErrorPpb = NaN;
  for (let tick = LOCK_S + 1; tick < LOCK_S + HOLDOVER_S; tick++) {
    input.nowUs = monotonicSample(mono, getTime(tick, false));
    input.temperatureC = measureC(tick);
    utcClockUpdate(clock, input);
    if (tick % READ_EVERY_S !== 0) continue;
    const tRead = tick + readRng.uniform();
    const us = monotonicSample(mono, getTime(tRead, false));
    utcClockRead(clock, us, reading);
    const whole = Math.floor(tRead);
    // true − reading, ns
    const trueOffsetNs = (T0 + whole - reading.s) * 1e9 + ((tRead - whole) * 1e9 - reading.ns);
    into.readings++;
    if (trueOffsetNs >= reading.earliest95Ns && trueOffsetNs <= reading.latest95Ns) into.inside95++;
    if (trueOffsetNs >= reading.earliestHardNs && trueOffsetNs <= reading.latestHardNs) into.insideHard++;
    const half95 = (reading.latest95Ns - reading.earliest95Ns) / 2;
    const centre = (reading.latest95Ns + reading.earliest95Ns) / 2;
    into.halfWidths95Ns.push(half95);
    into.absErrNs.push(Math.abs(trueOffsetNs - centre));
    into.errOverBound.push(Math.abs(trueOffsetNs - centre) / half95);
  }
}

describe("bound coverage (espruino-wifi oscillator, 1 h locked then 1 h holdover)", () => {
  const board = getBoard("espruino-wifi");
  const scenarios: Array<[string, () => TemperatureProfile]> = [
    ["constant 25 °C", () => constantTemperature(25)],
    [
      "25 → 30 °C ramp during holdover",
      () => rampTemperature({ from: 25, to: 30, startS: LOCK_S, durationS: HOLDOVER_S }),
    ],
    [
      "30 → 20 °C ramp during holdover",
      () => rampTemperature({ from: 30, to: 20, startS: LOCK_S, durationS: HOLDOVER_S }),
    ],
  ];
  it.each(scenarios)("%s", (name, temperature) => {
    const cov: Coverage = {
      readings: 0,
      inside95: 0,
      insideHard: 0,
      halfWidths95Ns: [],
      absErrNs: [],
      errOverBound: [],
    };
    for (let seed = 0; seed < 16; seed++)
      runCoverage(board, `clock-coverage-${name}-${seed}`, temperature(), cov);
    const summary = {
      scenario: name,
      readings: cov.readings,
      inside95: cov.inside95 / cov.readings,
      insideHard: cov.insideHard / cov.readings,
      medianHalfWidth95Us: quantile(cov.halfWidths95Ns, 0.5) / 1000,
      covering95Us: quantile(cov.absErrNs, 0.95) / 1000,
      coveringAllUs: Math.max(...cov.absErrNs) / 1000,
      errOverBoundP95: quantile(cov.errOverBound, 0.95),
    };
    console.log(JSON.stringify(summary));
    expect(summary.inside95).toBeGreaterThanOrEqual(0.95);
    expect(cov.insideHard).toBe(cov.readings);
  });
});
