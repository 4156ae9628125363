// Leap-second policies: the one definition, shared by the firmware and the host.
//
// Scales. The "elapsed" scale E counts SI seconds continuously; before a pending leap it equals POSIX
// time. The leap is named by L, the POSIX time of the midnight that follows it, and its sign (+1: 23:59:60
// is inserted; −1: 23:59:59 is dropped). After the leap E − POSIX = sign. The displayed reading is:
//   "step":  POSIX time; an inserted second is shown as 23:59:60 (POSIX second L − 1 repeated with the
//            second60 flag), a dropped second is skipped.
//   "smear": Google's standard smear, a linear 24-hour smear from noon to noon UTC centred on L: the
//            displayed time S lags E by offset(S) = sign·clamp((S − (L − 43,200)) / 86,400, 0, 1) s, so
//            each smeared second lasts 86,400 + sign SI seconds per 86,400 and the offset is exactly
//            sign·0.5 s at the midnight itself.
//   "none":  the leap is ignored and E is shown as is; the clock is then 1 s off until it is corrected.

export type LeapPolicy = "step" | "smear" | "none";

export const LEAP_SMEAR_WINDOW_S = 86400;
export const LEAP_SMEAR_HALF_WINDOW_S = 43200;

export interface LeapDisplay {
  /** Displayed whole POSIX seconds. */
  s: number;
  /** Nanoseconds within the second, integer 0 … 999,999,999. */
  ns: number;
  /** The second shown is 23:59:60 (s is then the POSIX value of 23:59:59). */
  second60: boolean;
}

export function createLeapDisplay(): LeapDisplay {
  return { s: 0, ns: 0, second60: false };
}

export function isLeapPolicy(value: string): boolean {
  return value === "step" || value === "smear" || value === "none";
}

/**
 * How far a smeared clock's reading lags the elapsed scale (s, signed like the leap), at smeared time
 * smearedS. leapPosixS is the midnight after the leap; sign 0 means no leap.
 */
export function leapSmearOffsetS(smearedS: number, leapPosixS: number, sign: number): number {
  if (sign === 0) return 0;
  const intoWindowS = smearedS - (leapPosixS - LEAP_SMEAR_HALF_WINDOW_S);
  if (intoWindowS <= 0) return 0;
  if (intoWindowS >= LEAP_SMEAR_WINDOW_S) return sign;
  return (sign * intoWindowS) / LEAP_SMEAR_WINDOW_S;
}

/** Elapsed-scale second E after which the leap is fully applied under the policy (display = E − sign). */
export function leapEndElapsedS(policy: LeapPolicy, leapPosixS: number, sign: number): number {
  if (policy === "smear") return leapPosixS - LEAP_SMEAR_HALF_WINDOW_S + LEAP_SMEAR_WINDOW_S + sign;
  return sign > 0 ? leapPosixS + 1 : leapPosixS - 1;
}

/** Elapsed-scale second of a UTC label (posixS from civil: 23:59:60 gives L, with second60 set). */
export function leapLabelToElapsedS(
  posixS: number,
  second60: boolean,
  leapPosixS: number,
  sign: number,
): number {
  if (sign > 0) {
    if (second60) return leapPosixS;
    return posixS >= leapPosixS ? posixS + 1 : posixS;
  }
  if (sign < 0) return posixS >= leapPosixS ? posixS - 1 : posixS;
  return posixS;
}

function setDisplay(out: LeapDisplay, s: number, ns: number, second60: boolean): LeapDisplay {
  // ns may arrive as a fraction or a hair outside [0, 1e9) from the smear scaling: renormalise.
  let whole = s;
  let frac = Math.floor(ns);
  if (frac >= 1000000000) {
    whole += 1;
    frac -= 1000000000;
  } else if (frac < 0) {
    whole -= 1;
    frac += 1000000000;
  }
  out.s = whole;
  out.ns = frac;
  out.second60 = second60;
  return out;
}

/**
 * The displayed time for elapsed-scale reading (elapsedS whole seconds + elapsedNs, 0 ≤ ns < 1e9) under
 * the policy, for a leap at leapPosixS with sign (0: none pending). Fills and returns out.
 */
export function leapDisplay(
  policy: LeapPolicy,
  elapsedS: number,
  elapsedNs: number,
  leapPosixS: number,
  sign: number,
  out: LeapDisplay,
): LeapDisplay {
  if (sign === 0 || policy === "none") return setDisplay(out, elapsedS, elapsedNs, false);
  if (policy === "step") {
    if (sign > 0) {
      if (elapsedS < leapPosixS) return setDisplay(out, elapsedS, elapsedNs, false);
      if (elapsedS === leapPosixS) return setDisplay(out, leapPosixS - 1, elapsedNs, true);
      return setDisplay(out, elapsedS - 1, elapsedNs, false);
    }
    if (elapsedS < leapPosixS - 1) return setDisplay(out, elapsedS, elapsedNs, false);
    return setDisplay(out, elapsedS + 1, elapsedNs, false);
  }
  const startS = leapPosixS - LEAP_SMEAR_HALF_WINDOW_S;
  if (elapsedS < startS) return setDisplay(out, elapsedS, elapsedNs, false);
  const lengthS = LEAP_SMEAR_WINDOW_S + sign;
  if (elapsedS >= startS + lengthS) return setDisplay(out, elapsedS - sign, elapsedNs, false);
  // Within the window, work relative to its start: an offset below 86,401 s keeps ~1e-11 s resolution.
  const intoS = elapsedS - startS;
  const smearedIntoS = ((intoS + elapsedNs * 1e-9) * LEAP_SMEAR_WINDOW_S) / lengthS;
  const smearedWholeS = Math.floor(smearedIntoS);
  return setDisplay(out, startS + smearedWholeS, (smearedIntoS - smearedWholeS) * 1e9, false);
}
