// A PI servo that tracks the offset of this clock against the master, as a line
//   offset(t) ≈ phaseNs + freqPpb·1e-9·(t − atNs),
// without ever adjusting a clock: the host's "disciplined" clock is its own clock minus this estimate.
// Start-up follows linuxptp's pi servo: the first sample sets the phase (a step), the second gives the
// frequency from the two offsets, then the servo is locked and each sample corrects phase by kp·r and
// frequency by ki·r/τ (r: the sample minus the prediction, τ: the time since the previous sample).
// Gains are per sample; linuxptp's hardware defaults (kp 0.7, ki 0.3) suit the filtered offsets here.

export type ServoState = "unlocked" | "step" | "locked";

export interface ServoOptions {
  kp: number;
  ki: number;
  /** A residual larger than this (ns) resets the servo (0: never); linuxptp's step_threshold. */
  stepThresholdNs: number;
  /** The start-up frequency estimate waits for two samples at least this far apart, ns. */
  freqEstIntervalNs: number;
  /** Frequency estimates are clamped to ±this, ppb. */
  maxFrequencyPpb: number;
}

export const DEFAULT_SERVO: ServoOptions = {
  kp: 0.3,
  ki: 0.05,
  freqEstIntervalNs: 8e9,
  stepThresholdNs: 0,
  maxFrequencyPpb: 900_000_000,
};

export interface ServoSample {
  state: ServoState;
  /** The sample minus what the servo predicted for it (0 on a step). */
  residualNs: number;
  phaseNs: number;
  freqPpb: number;
}

export class PiServo {
  state: ServoState = "unlocked";
  phaseNs = 0;
  freqPpb = 0;
  atNs = 0;
  private samples = 0;

  constructor(readonly options: ServoOptions = DEFAULT_SERVO) {}

  /** The estimated offset at time `tNs` (same clock as the samples). */
  predict(tNs: number): number {
    return this.phaseNs + this.freqPpb * 1e-9 * (tNs - this.atNs);
  }

  reset(): void {
    this.state = "unlocked";
    this.samples = 0;
    this.phaseNs = 0;
    this.freqPpb = 0;
  }

  /** A measured offset at time `tNs` (ns on this clock; only differences matter). */
  sample(offsetNs: number, tNs: number): ServoSample {
    const { kp, ki, stepThresholdNs, maxFrequencyPpb, freqEstIntervalNs } = this.options;
    const clamp = (ppb: number) => Math.max(-maxFrequencyPpb, Math.min(maxFrequencyPpb, ppb));
    if (this.samples === 0) {
      this.samples = 1;
      this.phaseNs = offsetNs;
      this.atNs = tNs;
      this.state = "unlocked";
      return this.result(0);
    }
    const dt = tNs - this.atNs;
    if (this.samples === 1) {
      if (dt < freqEstIntervalNs || dt <= 0) return this.result(0);
      this.samples = 2;
      this.freqPpb = clamp(((offsetNs - this.phaseNs) / dt) * 1e9);
      this.phaseNs = offsetNs;
      this.atNs = tNs;
      this.state = "step";
      return this.result(0);
    }
    const residual = offsetNs - this.predict(tNs);
    if (stepThresholdNs > 0 && Math.abs(residual) > stepThresholdNs) {
      this.reset();
      return this.sample(offsetNs, tNs);
    }
    this.phaseNs = this.predict(tNs) + kp * residual;
    if (dt > 0) this.freqPpb = clamp(this.freqPpb + ((ki * residual) / dt) * 1e9);
    this.atNs = tNs;
    this.state = "locked";
    return this.result(residual);
  }

  private result(residualNs: number): ServoSample {
    return { state: this.state, residualNs, phaseNs: this.phaseNs, freqPpb: this.freqPpb };
  }
}
