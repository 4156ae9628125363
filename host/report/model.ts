// What a report says about a lab, independent of how it is shown (terminal table, JSON, HTML charts).
// Times along series are seconds since the node's first labelled PPS edge of the boot shown.
import type { SyncSessionModel } from "../sync/store.ts";

export interface Interval {
  value: number;
  /** Standard uncertainty (1 σ). */
  sigma: number;
}

export interface DriftSummary {
  /** Mean fractional frequency error, ppm (+ = the board's clock runs fast). */
  offsetPpm: Interval;
  /** Linear change of the frequency error, ppm per day (quadratic phase fit). */
  agingPpmPerDay: Interval | null;
  spanS: number;
  points: number;
}

export interface TempcoSummary {
  model: "parabolic" | "cubic";
  /** Frequency error (ppm) as a polynomial in (T − referenceC): c0 + c1·dT + c2·dT² (+ c3·dT³). */
  referenceC: number;
  coefficients: Interval[];
  /** Where d f / dT = 0 within the measured range, °C; null when there is none. */
  turnoverC: Interval | null;
  temperatureRangeC: [number, number];
  points: number;
}

export interface StabilityRow {
  tau: number;
  n: number;
  dev: number;
  min: number;
  max: number;
  alpha: number;
}

export interface StabilitySeries {
  stat: "adev" | "mdev" | "tdev";
  rows: StabilityRow[];
}

export interface ClockPoint {
  t: number;
  /**
   * True UTC − the board's reading, ns, where the truth is known (virtual lab); null on real hardware.
   * The bounds are offsets from the reading, so the reading was right when earliest ≤ errorNs ≤ latest.
   */
  errorNs: number | null;
  earliest95Ns: number;
  latest95Ns: number;
  earliestHardNs: number;
  latestHardNs: number;
  /** 0 NOGPS, 1 ACQUIRING, 2 LOCKED, 3 HOLDOVER. */
  servoState: number;
}

/**
 * The clock's error interval as a reading of UTC some time after its last GPS pulse, measured from its
 * own PPS phase (host/analysis/clock-interval.ts): set on the first half of the record, checked on the
 * second.
 */
export interface HorizonIntervalModel {
  horizonS: number;
  halfWidth95Ns: number;
  halfWidthHardNs: number;
  /** Share of the second half's errors inside each half-width. */
  coverage95: number;
  coverageHard: number;
  /** What would have held 95 % of the second half's errors. */
  neededHalfWidth95Ns: number;
  checkSamples: number;
}

export interface EventPoint {
  t: number;
  source: "board" | "host";
  code: string;
  value: string;
}

export interface NodeReportModel {
  name: string;
  serial: string;
  board: string;
  /** e.g. "32.768 kHz crystal ±20 ppm" from the board profile. */
  oscillator: string;
  bootId: string | null;
  records: number;
  lostRecords: number;
  drift: DriftSummary | null;
  tempco: TempcoSummary | null;
  stability: StabilitySeries[];
  intervals: HorizonIntervalModel[];
  /** Phase (time error) against GPS, seconds; decimated for plotting. */
  phase: { t: number; x: number }[];
  /** Frequency error, ppm, averaged over `averagingS`. */
  frequency: { t: number; ppm: number }[];
  frequencyAveragingS: number;
  clock: ClockPoint[];
  temperature: { t: number; c: number }[];
  events: EventPoint[];
}

export interface ReportModel {
  title: string;
  generatedAt: string;
  source: string;
  nodes: NodeReportModel[];
  /** PTP sessions of `timenode sync` (offset, delay and bound over time), oldest first. */
  sync?: SyncSessionModel[];
}
