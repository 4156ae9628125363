// The error bound of a clock reading: half-widths in ns around the reading, growing with the age of
// the last good PPS (a, seconds) at the oscillator's stability. See docs/clock.md for the derivation.
//
// Gaussian terms (1σ, ns, independent, added in quadrature):
//   base        σ_phase (servo) ⊕ σ_jitter (interrupt)
//   frequency   σ_freq[ppb] · a
//   white FM    h_w · √a · 1e9             (phase of integrated white FM; h_w = ADEV at 1 s)
//   RW FM       h_rw · a^{3/2} · 1e9       (integrated random-walk FM with ADEV h_rw·√τ; = σ_D·a^{3/2}/√3
//                                           in terms of the diffusion rate σ_D = √3·h_rw)
// Deterministic terms (worst case within the profile, ns):
//   quantum     one timebase step (a reading truncates)
//   temperature max |y(T) − y(T_lock)| over T within the measured range since the lock, · a
//   aging       A[ppb/s] · a² / 2
// 95 %:  1.96·σ + deterministic.
// Hard:  k·σ without the frequency term + min(k·σ_freq, 2·tolerance)·a + deterministic, at least the 95 %
//        figure: a sane frequency estimate and the true frequency both lie within ±tolerance.

const SECONDS_PER_YEAR = 31557600;
const Z95 = 1.96;

export interface BoundConfig {
  /** Timebase quantum, ns (profile timebase.quantumS). */
  quantumNs: number;
  /** Interrupt timestamp jitter, RMS ns (profile interrupt.jitterRmsS). */
  jitterRmsNs: number;
  /** Initial frequency tolerance, ± ppb (profile oscillator.tolerancePpm). */
  tolerancePpb: number;
  /** White-FM Allan deviation at 1 s (profile oscillator.noise). */
  whiteFmAdev1s: number;
  /** Random-walk-FM Allan deviation at 1 s (profile oscillator.noise). */
  randomWalkFmAdev1s: number;
  /** Aging bound, ppb per second (profile agingPpmPerYear · 1000 / year). */
  agingPpbPerS: number;
  /** Temperature curve y(T) = a·d + k·d² + b·d³ ppm, d = T − turnover (profile oscillator.temperature). */
  tempTurnoverC: number;
  tempAPpmPerC: number;
  tempKPpmPerC2: number;
  tempBPpmPerC3: number;
  /** Used when no temperature is measured: the excursion ±tempSpanC around tempNominalC. */
  tempNominalC: number;
  tempSpanC: number;
  /** Sensor resolution, added to a measured excursion (profile temperature.resolutionC). */
  tempResolutionC: number;
  /** k of the hard bound's k·σ (5: two-sided Gaussian tail 5.7e-7). */
  hardSigmas: number;
  /**
   * Recalibrated RC oscillators (nRF52 LFRC): each calibration may move the frequency by up to one
   * trim step, ppb, at any moment; 0 for crystals (profile oscillator.rcCalibration.stepPpm).
   */
  rcStepPpb: number;
}

export interface BoundResult {
  /** 95 % half-width at age 0, ns. */
  base95Ns: number;
  /** 95 % half-width at the given age, ns. */
  bound95Ns: number;
  /** Hard half-width at the given age, ns. */
  hardNs: number;
  /** The temperature term's frequency change, ppb (for reports). */
  tempPpb: number;
}

export function createBoundConfig(): BoundConfig {
  return {
    quantumNs: 0,
    jitterRmsNs: 0,
    tolerancePpb: 0,
    whiteFmAdev1s: 0,
    randomWalkFmAdev1s: 0,
    agingPpbPerS: 0,
    tempTurnoverC: 25,
    tempAPpmPerC: 0,
    tempKPpmPerC2: 0,
    tempBPpmPerC3: 0,
    tempNominalC: 25,
    tempSpanC: 10,
    tempResolutionC: 0,
    hardSigmas: 5,
    rcStepPpb: 0,
  };
}

export function createBoundResult(): BoundResult {
  return { base95Ns: 0, bound95Ns: 0, hardNs: 0, tempPpb: 0 };
}

export function agingPpbPerSFromPpmPerYear(ppmPerYear: number): number {
  return (ppmPerYear * 1000) / SECONDS_PER_YEAR;
}

function curvePpm(cfg: BoundConfig, c: number): number {
  const d = c - cfg.tempTurnoverC;
  return d * (cfg.tempAPpmPerC + d * (cfg.tempKPpmPerC2 + d * cfg.tempBPpmPerC3));
}

function changeAt(cfg: BoundConfig, c: number, lo: number, hi: number, ref: number, best: number): number {
  if (c < lo || c > hi) return best;
  const v = curvePpm(cfg, c) - ref;
  const mag = v < 0 ? -v : v;
  return mag > best ? mag : best;
}

/**
 * The largest frequency change from y(refC), ppb, the temperature curve allows for a temperature
 * anywhere within [loC, hiC]: checked at both ends and at the curve's turning points inside.
 */
export function boundTempChangePpb(cfg: BoundConfig, refC: number, loC: number, hiC: number): number {
  if (!(hiC > loC)) return 0;
  const lo = loC;
  const hi = hiC;
  const ref = curvePpm(cfg, refC);
  let best = changeAt(cfg, lo, lo, hi, ref, 0);
  best = changeAt(cfg, hi, lo, hi, ref, best);
  // y'(d) = a + 2k·d + 3b·d²
  const qa = 3 * cfg.tempBPpmPerC3;
  const qb = 2 * cfg.tempKPpmPerC2;
  const qc = cfg.tempAPpmPerC;
  if (qa !== 0) {
    const disc = qb * qb - 4 * qa * qc;
    if (disc >= 0) {
      const root = Math.sqrt(disc);
      best = changeAt(cfg, cfg.tempTurnoverC + (-qb + root) / (2 * qa), lo, hi, ref, best);
      best = changeAt(cfg, cfg.tempTurnoverC + (-qb - root) / (2 * qa), lo, hi, ref, best);
    }
  } else if (qb !== 0) {
    best = changeAt(cfg, cfg.tempTurnoverC - qc / qb, lo, hi, ref, best);
  }
  return best * 1000;
}

/**
 * Bound half-widths for a reading ageS after the last good PPS. lockTempC is the temperature at that PPS
 * and [tempMinC, tempMaxC] the range measured since, including lockTempC (NaN: no sensor, use the
 * config's span around its nominal temperature). Fills and returns out.
 */
export function boundCompute(
  cfg: BoundConfig,
  phaseSigmaNs: number,
  freqSigmaPpb: number,
  ageS: number,
  lockTempC: number,
  tempMinC: number,
  tempMaxC: number,
  out: BoundResult,
): BoundResult {
  const a = ageS > 0 ? ageS : 0;
  const baseVar = phaseSigmaNs * phaseSigmaNs + cfg.jitterRmsNs * cfg.jitterRmsNs;
  const freqNs = freqSigmaPpb * a;
  const whiteNs = cfg.whiteFmAdev1s * 1e9;
  const rwNs = cfg.randomWalkFmAdev1s * 1e9;
  const noiseVar = whiteNs * whiteNs * a + rwNs * rwNs * a * a * a;

  let tempPpb: number;
  if (lockTempC === lockTempC && tempMinC === tempMinC && tempMaxC === tempMaxC) {
    const r = cfg.tempResolutionC;
    tempPpb = boundTempChangePpb(cfg, lockTempC, tempMinC - r, tempMaxC + r);
  } else {
    tempPpb = boundTempChangePpb(
      cfg,
      cfg.tempNominalC,
      cfg.tempNominalC - cfg.tempSpanC,
      cfg.tempNominalC + cfg.tempSpanC,
    );
  }
  const deterministicNs = cfg.quantumNs + tempPpb * a + 0.5 * cfg.agingPpbPerS * a * a;

  const bound95Ns = Z95 * Math.sqrt(baseVar + freqNs * freqNs + noiseVar) + deterministicNs;
  const k = cfg.hardSigmas;
  const capPpb = 2 * cfg.tolerancePpb;
  const freqHardPpb = cfg.tolerancePpb > 0 && k * freqSigmaPpb > capPpb ? capPpb : k * freqSigmaPpb;
  // A calibration step is rare within one second but certain over minutes: the hard bound always
  // allows one, the 95 % bound relies on the servo's statistics.
  const hardNs = k * Math.sqrt(baseVar + noiseVar) + (freqHardPpb + cfg.rcStepPpb) * a + deterministicNs;

  out.base95Ns = Z95 * Math.sqrt(baseVar) + cfg.quantumNs;
  out.bound95Ns = bound95Ns;
  out.hardNs = hardNs > bound95Ns ? hardNs : bound95Ns;
  out.tempPpb = tempPpb;
  return out;
}
