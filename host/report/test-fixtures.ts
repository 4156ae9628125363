// A synthetic report for the renderer's tests: one node with every series (six hours, through a
// holdover) and one observer-only node with no clock readings, stability results or temperature.
import type { ClockPoint, NodeReportModel, ReportModel, StabilitySeries } from "./model.ts";

const SPAN_S = 6 * 3600;

function stability(stat: StabilitySeries["stat"], scale: number, slope: number): StabilitySeries {
  const rows = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024].map((tau, i) => {
    const dev = scale * Math.pow(tau, slope);
    const spread = 0.1 + i * 0.05;
    return {
      tau,
      n: Math.floor(SPAN_S / tau),
      dev,
      min: dev * (1 - spread / 2),
      max: dev * (1 + spread),
      alpha: 0,
    };
  });
  return { stat, rows };
}

function clock(): ClockPoint[] {
  const points: ClockPoint[] = [];
  for (let t = 0; t <= SPAN_S; t += 60) {
    const holdover = t >= 2 * 3600 && t < 3 * 3600;
    const acquiring = t < 300;
    const age = holdover ? t - 2 * 3600 : 0;
    const half95 = 2000 + age * 20;
    const halfHard = 2 * half95 + 500;
    points.push({
      t,
      // The last hour is "real hardware": no truth.
      errorNs: t > 5 * 3600 ? null : Math.round(400 * Math.sin(t / 900) + (holdover ? age * 8 : 0)),
      earliest95Ns: -half95,
      latest95Ns: half95,
      earliestHardNs: -halfHard,
      latestHardNs: halfHard,
      servoState: acquiring ? 1 : holdover ? 3 : 2,
    });
  }
  return points;
}

export const fullNode: NodeReportModel = {
  name: '<b>&"x',
  serial: "E1-00-4F",
  board: "Pico <rev 1.4>",
  oscillator: "32.768 kHz crystal ±20 ppm",
  bootId: "b-7",
  records: 21_600,
  lostRecords: 3,
  intervals: [
    {
      horizonS: 1,
      halfWidth95Ns: 410,
      halfWidthHardNs: 1_900,
      coverage95: 0.951,
      coverageHard: 1,
      neededHalfWidth95Ns: 405,
      checkSamples: 1_070,
    },
    {
      horizonS: 1800,
      halfWidth95Ns: 2.1e6,
      halfWidthHardNs: 7.9e6,
      coverage95: 0.912,
      coverageHard: 1,
      neededHalfWidth95Ns: 2.6e6,
      checkSamples: 900,
    },
  ],
  drift: {
    offsetPpm: { value: 12.345, sigma: 0.012 },
    agingPpmPerDay: { value: -0.021, sigma: 0.004 },
    spanS: SPAN_S,
    points: 21_600,
  },
  tempco: {
    model: "parabolic",
    referenceC: 25,
    coefficients: [
      { value: 12.3, sigma: 0.01 },
      { value: 0.02, sigma: 0.003 },
      { value: -0.034, sigma: 0.001 },
    ],
    turnoverC: { value: 25.3, sigma: 0.4 },
    temperatureRangeC: [21.5, 29.8],
    points: 360,
  },
  stability: [stability("adev", 3e-8, -0.5), stability("mdev", 2e-8, -0.7), stability("tdev", 2e-8, 0.3)],
  phase: Array.from({ length: 721 }, (_, i) => ({ t: i * 30, x: 1.5e-6 * Math.sin(i / 40) + i * 1e-9 })),
  frequency: Array.from({ length: 361 }, (_, i) => ({ t: i * 60, ppm: 12.3 + 0.05 * Math.cos(i / 25) })),
  frequencyAveragingS: 60,
  clock: clock(),
  temperature: Array.from({ length: 361 }, (_, i) => ({ t: i * 60, c: 25 + 4 * Math.sin(i / 60) })),
  events: [
    { t: 2 * 3600, source: "board", code: "GPS_LOST", value: 'antenna <unplugged> & "gone"' },
    { t: 3 * 3600, source: "board", code: "GPS_BACK", value: "fix 3D" },
    { t: 4.5 * 3600, source: "host", code: "RESEND", value: "12" },
  ],
};

export const observerNode: NodeReportModel = {
  name: "observer-2",
  serial: "A0-11",
  board: "Puck.js",
  oscillator: "LFRC ±500 ppm, recalibrated",
  bootId: null,
  records: 1_200,
  lostRecords: 0,
  drift: {
    offsetPpm: { value: -41.2, sigma: 0.8 },
    agingPpmPerDay: null,
    spanS: 1_200,
    points: 1_200,
  },
  tempco: null,
  stability: [],
  intervals: [],
  phase: Array.from({ length: 121 }, (_, i) => ({ t: i * 10, x: -41.2e-6 * i * 10 * 1e-3 })),
  frequency: Array.from({ length: 61 }, (_, i) => ({ t: i * 20, ppm: -41.2 + 0.3 * Math.sin(i) })),
  frequencyAveragingS: 20,
  clock: [],
  temperature: [],
  events: [],
};

export const syntheticModel: ReportModel = {
  title: "Lab report <test> & friends",
  generatedAt: "2026-11-25T12:00:00Z",
  source: "lab.sqlite",
  nodes: [fullNode, observerNode],
};

/** The figure ids the synthetic model must produce charts for (as opposed to "no data" notes). */
export const expectedChartIds = [
  "summary-drift",
  "node-1-stability",
  "node-1-tdev",
  "node-1-phase",
  "node-1-frequency",
  "node-1-clock",
  "node-1-temperature",
  "node-2-phase",
  "node-2-frequency",
];

export const expectedNoteIds = ["node-2-stability", "node-2-tdev", "node-2-clock", "node-2-temperature"];
