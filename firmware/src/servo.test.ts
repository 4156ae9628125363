import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CANDIDATES, measureCell } from "../../bench/servo.ts";
import {
  SERVO_MAX_FREQ_PPB,
  createServo,
  servoGpsSinceAnchorS,
  servoMissing,
  servoPredictPhaseNs,
  servoSample,
  SERVO_ACQUIRING,
  SERVO_HOLDOVER,
  SERVO_LOCK_MIN_EDGES,
  SERVO_LOCKED,
  SERVO_NOGPS,
  type ServoConfig,
  type ServoState,
} from "./servo.ts";

const NRF52: ServoConfig = {
  quantumNs: 30517.578125,
  jitterNs: 9000,
  whiteFmAdev1s: 0,
  randomWalkFmAdev1s: 0,
};

/** Edge of GPS second g for a clock that is `freqPpb` fast and read `offsetUs` at second 0, plus noise. */
function edgeUs(g: number, freqPpb: number, offsetUs: number, noiseUs = 0): number {
  return offsetUs + g * (1e6 + freqPpb / 1000) + noiseUs;
}

/** Deterministic ±amplitude noise. */
function wobble(g: number, amplitudeUs: number): number {
  return amplitudeUs * Math.sin(g * 2.399963);
}

function run(s: ServoState, from: number, to: number, freqPpb: number, offsetUs = 5e6): void {
  for (let g = from; g < to; g++) servoSample(s, edgeUs(g, freqPpb, offsetUs, wobble(g, 10)), g);
}

describe("servo state machine", () => {
  it("NOGPS → ACQUIRING → LOCKED → HOLDOVER → LOCKED → NOGPS", () => {
    const s = createServo({ ...NRF52, holdoverMaxS: 100 });
    expect(s.state).toBe(SERVO_NOGPS);
    servoSample(s, edgeUs(1000, 150e3, 5e6), 1000);
    expect(s.state).toBe(SERVO_ACQUIRING);
    expect(Number.isNaN(servoPredictPhaseNs(s, 6e6))).toBe(true);
    run(s, 1001, 1001 + SERVO_LOCK_MIN_EDGES, 150e3);
    expect(s.state).toBe(SERVO_ACQUIRING);
    run(s, 1001 + SERVO_LOCK_MIN_EDGES, 1030, 150e3);
    expect(s.state).toBe(SERVO_LOCKED);
    const last = s.lastEdgeLocalUs;
    servoMissing(s, last + 1.5e6);
    expect(s.state).toBe(SERVO_LOCKED);
    servoMissing(s, last + 3e6);
    expect(s.state).toBe(SERVO_HOLDOVER);
    const before = s.phaseUncertaintyNs;
    servoMissing(s, last + 50e6);
    expect(s.phaseUncertaintyNs).toBeGreaterThanOrEqual(before);
    run(s, 1035, 1036, 150e3);
    expect(s.state).toBe(SERVO_LOCKED);
    servoMissing(s, s.lastEdgeLocalUs + 3e6);
    expect(s.state).toBe(SERVO_HOLDOVER);
    servoMissing(s, s.lastEdgeLocalUs + 101e6);
    expect(s.state).toBe(SERVO_NOGPS);
    // PPS comes back: a fresh start, phase still measured from the first anchor.
    run(s, 2000, 2002, 150e3);
    expect(s.state).toBe(SERVO_ACQUIRING);
    expect(s.anchorGpsSecond).toBe(1000);
  });

  it("ACQUIRING without edges falls back to NOGPS", () => {
    const s = createServo(NRF52);
    run(s, 0, 3, 0);
    servoMissing(s, s.lastEdgeLocalUs + 11e6);
    expect(s.state).toBe(SERVO_NOGPS);
    run(s, 20, 40, 0);
    expect(s.state).toBe(SERVO_LOCKED);
  });

  it("acquires a clock 10 % fast from the first interval", () => {
    const s = createServo(NRF52);
    run(s, 0, 40, 1e8);
    expect(s.state).toBe(SERVO_LOCKED);
    expect(s.freqPpb).toBeGreaterThan(1e8 - 100);
    expect(s.freqPpb).toBeLessThan(1e8 + 100);
    expect(s.outliers).toBe(0);
  });
});

describe("servo outliers", () => {
  it("rejects a SoftDevice-delayed edge and keeps the lock", () => {
    const s = createServo(NRF52);
    run(s, 0, 100, -40e3);
    const freq = s.freqPpb;
    servoSample(s, edgeUs(100, -40e3, 5e6, 250), 100);
    expect(s.outliers).toBe(1);
    expect(s.state).toBe(SERVO_LOCKED);
    expect(s.freqPpb).toBe(freq);
    run(s, 101, 110, -40e3);
    expect(s.outliers).toBe(1);
  });

  it("restarts after repeated outliers (an RC recalibration step) and locks again", () => {
    const s = createServo(NRF52);
    run(s, 0, 100, 0);
    // 250 ppm step at second 100: phase continuous, frequency changed.
    for (let g = 100; g < 140; g++) servoSample(s, edgeUs(100, 0, 5e6) + (g - 100) * (1e6 + 250), g);
    expect(s.restarts).toBe(1);
    expect(s.outliers).toBe(3);
    expect(s.state).toBe(SERVO_LOCKED);
    expect(s.freqPpb).toBeCloseTo(250e3, -2);
  });

  it("ignores repeated labels and non-numbers", () => {
    const s = createServo(NRF52);
    run(s, 0, 20, 0);
    const samples = s.samples;
    servoSample(s, edgeUs(19, 0, 5e6), 19);
    servoSample(s, NaN, 20);
    expect(s.samples).toBe(samples);
    expect(s.outliers).toBe(2);
  });
});

describe("servo predictions", () => {
  it("maps local time to GPS time on the fitted line", () => {
    const s = createServo({ quantumNs: 1000, jitterNs: 0, whiteFmAdev1s: 0, randomWalkFmAdev1s: 0 });
    for (let g = 10; g < 30; g++) servoSample(s, edgeUs(g, 20e3, 123456), g);
    expect(s.freqPpb).toBeCloseTo(20e3, 6);
    const localUs = edgeUs(35.25, 20e3, 123456);
    expect(servoGpsSinceAnchorS(s, localUs)).toBeCloseTo(25.25, 9);
    expect(servoPredictPhaseNs(s, localUs)).toBeCloseTo(25.25 * 20e3, 3);
    expect(servoPredictPhaseNs(s, s.lastEdgeLocalUs)).toBeCloseTo(s.phaseNs, 6);
  });

  it("refuses a line no clock could follow (found by the property below: a -100 % clock)", () => {
    const s = createServo(NRF52);
    let g = 0;
    let local = 0;
    for (const [dg, noiseNs] of [
      [0, 0],
      [-1, -999999999.9999998],
      [-2, 0],
      [0, 0],
      [4, 0],
      [-1, 0],
    ] as const) {
      g += dg;
      local += dg * 1e6 + noiseNs / 1000;
      servoSample(s, local, g);
      servoMissing(s, local + 5e5);
    }
    expect(Math.abs(s.freqPpb)).toBeLessThan(SERVO_MAX_FREQ_PPB);
    if (s.everEstimated) expect(Number.isNaN(servoPredictPhaseNs(s, local + 1e6))).toBe(false);
  });

  it("never reports NaN once it has an estimate, whatever the edges", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -2, max: 5 }), fc.double({ min: -1e9, max: 1e9, noNaN: true })), {
          minLength: 3,
          maxLength: 200,
        }),
        (steps) => {
          const s = createServo(NRF52);
          let g = 0;
          let local = 0;
          for (const step of steps) {
            g += step[0];
            local += step[0] * 1e6 + step[1] / 1000;
            servoSample(s, local, g);
            servoMissing(s, local + 5e5);
          }
          for (const v of [s.freqPpb, s.phaseNs, s.freqUncertaintyPpb, s.phaseUncertaintyNs, s.residualRmsNs])
            expect(Number.isNaN(v)).toBe(false);
          if (s.everEstimated) expect(Number.isNaN(servoPredictPhaseNs(s, local + 1e6))).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("keeps a constant state size over 10,000 edges", () => {
    const s = createServo(NRF52);
    run(s, 0, 2, 0);
    const keys = Object.keys(s).length;
    const estKeys = Object.keys(s.est).length;
    run(s, 2, 10_002, 0);
    expect(Object.keys(s).length).toBe(keys);
    expect(Object.keys(s.est).length).toBe(estKeys);
    expect(s.est.ringX.length).toBe(1);
  });
});

// The targets on seeded lab-model data (bench/servo.ts; figures in docs/servo.md): white timing
// noise only, RMS over seeds, frequency after 1 h within 1.5× the LS floor, locked time error within 2×.
describe("lab-model targets", () => {
  const kalman = CANDIDATES.find((c) => c.name === "kalman");
  for (const board of ["esp32", "puckjs", "pico"]) {
    it(`${board}: Kalman reaches the least-squares floor`, () => {
      const cell = measureCell(board, "white", kalman!, 24);
      expect(cell.freqRatio).toBeLessThanOrEqual(1.5);
      expect(cell.timeRatio).toBeLessThanOrEqual(2);
      expect(cell.outliers).toBe(0);
    });
  }

  it("puckjs with SoftDevice-delayed edges: outliers rejected, still at the floor", () => {
    const cell = measureCell("puckjs", "outliers", kalman!, 24);
    expect(cell.outliers).toBeGreaterThan(0);
    expect(cell.freqRatio).toBeLessThanOrEqual(1.5);
    expect(cell.timeRatio).toBeLessThanOrEqual(2);
  });
});
