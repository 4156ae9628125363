// True time ↔ UTC labels. True time is continuous (TAI-like) seconds since the start of the run; each
// positive leap second is an extra UTC second labelled 23:59:60, so after it UTC labels are one second
// behind elapsed true time. Whole UTC seconds are numbered by `second index` w: the UTC second that
// begins at true time w − startFracS (startFracS = the sub-second part of utcStartMs), which keeps
// second boundaries exact in integer arithmetic even when the run starts mid-second.

const MS_PER_DAY = 86_400_000;

export interface UtcLabel {
  y: number;
  /** Month 1–12. */
  mo: number;
  /** Day of month 1–31. */
  d: number;
  h: number;
  mi: number;
  /** Whole second 0–59, or 60 during an inserted leap second. */
  s: number;
  /** Fraction of the second, [0, 1). */
  fracS: number;
}

export interface UtcMappingOptions {
  /** UTC (epoch milliseconds, POSIX: no leap seconds counted) at true time 0. */
  utcStartMs: number;
  /**
   * Positive leap seconds, each given as the UTC midnight (epoch ms) that follows the inserted
   * 23:59:60, e.g. Date.UTC(2016, 11, 31 + 1) for the 2016-12-31 leap second. Leaps at or before
   * utcStartMs have already happened and are ignored.
   */
  leapSecondsUtcMs?: readonly number[];
}

export interface UtcMapping {
  readonly utcStartMs: number;
  /** Fraction of a second by which true time 0 lies past a whole UTC second. */
  readonly startFracS: number;
  /** Index of the UTC second containing true time t (floor(t + startFracS)). */
  secondIndexAt(trueTimeS: number): number;
  /** True time at which UTC second `index` begins (exact: index − startFracS). */
  secondStartTrueTimeS(index: number): number;
  /** Label of UTC second `index` (fracS = 0). */
  labelOfSecond(index: number): UtcLabel;
  labelAt(trueTimeS: number): UtcLabel;
  /** Inverse of labelAt; s = 60 is accepted only where a leap second is scheduled. */
  trueTimeAt(label: Omit<UtcLabel, "fracS"> & { fracS?: number }): number;
  /** POSIX-style UTC epoch milliseconds; held at the following midnight during a leap second. */
  utcMsAt(trueTimeS: number): number;
  /** True time of a POSIX UTC instant (epoch ms, not inside a leap second by construction). */
  trueTimeOfUtcMs(utcMs: number): number;
  /** Leap seconds completed by true time t (since the start of the run). */
  leapSecondsInsertedBy(trueTimeS: number): number;
  isLeapSecond(trueTimeS: number): boolean;
}

function checkFinite(name: string, v: number): void {
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new RangeError(`utc: ${name} must be a finite number, got ${v}`);
}

export function createUtcMapping(options: UtcMappingOptions): UtcMapping {
  const utcStartMs = options.utcStartMs;
  checkFinite("utcStartMs", utcStartMs);
  const startWholeS = Math.floor(utcStartMs / 1000);
  const startFracS = (utcStartMs - startWholeS * 1000) / 1000;

  const leapMidnightsS: number[] = [];
  let previous = -Infinity;
  for (const ms of options.leapSecondsUtcMs ?? []) {
    checkFinite("leapSecondsUtcMs[]", ms);
    if (ms % MS_PER_DAY !== 0) {
      throw new RangeError(
        `utc: leap second ${new Date(ms).toISOString()} is not a UTC midnight (give the midnight after 23:59:60)`,
      );
    }
    if (ms <= previous) throw new RangeError("utc: leapSecondsUtcMs must be strictly increasing");
    previous = ms;
    if (ms > utcStartMs) leapMidnightsS.push(ms / 1000);
  }
  // Second index of leap second j (23:59:60): 23:59:59 has index (midnight − 1) − startWholeS + j.
  const leapIndex = leapMidnightsS.map((midnightS, j) => midnightS - startWholeS + j);

  /** Number of leap seconds whose index is below `index`. */
  const leapsBefore = (index: number): number => {
    let k = 0;
    while (k < leapIndex.length && (leapIndex[k] as number) < index) k++;
    return k;
  };

  // Date is only consulted once per UTC day; labels within a day come from integer arithmetic.
  let cachedDay = NaN;
  let cachedY = 0;
  let cachedMo = 0;
  let cachedD = 0;
  const fieldsOfPosixS = (posixS: number, s: number, fracS: number): UtcLabel => {
    const day = Math.floor(posixS / 86_400);
    if (day !== cachedDay) {
      const date = new Date(day * MS_PER_DAY);
      cachedY = date.getUTCFullYear();
      cachedMo = date.getUTCMonth() + 1;
      cachedD = date.getUTCDate();
      cachedDay = day;
    }
    const secondOfDay = posixS - day * 86_400;
    const h = Math.floor(secondOfDay / 3600);
    const mi = Math.floor((secondOfDay - h * 3600) / 60);
    return {
      y: cachedY,
      mo: cachedMo,
      d: cachedD,
      h,
      mi,
      s: s < 0 ? secondOfDay - h * 3600 - mi * 60 : s,
      fracS,
    };
  };

  const secondIndexAt = (trueTimeS: number): number => Math.floor(trueTimeS + startFracS);

  const labelOf = (index: number, fracS: number): UtcLabel => {
    const k = leapsBefore(index);
    if (k < leapIndex.length && leapIndex[k] === index) {
      // 23:59:60: the fields of 23:59:59, seconds replaced.
      return fieldsOfPosixS((leapMidnightsS[k] as number) - 1, 60, fracS);
    }
    return fieldsOfPosixS(startWholeS + index - k, -1, fracS);
  };

  return {
    utcStartMs,
    startFracS,
    secondIndexAt,
    secondStartTrueTimeS: (index) => index - startFracS,
    labelOfSecond: (index) => labelOf(index, 0),
    labelAt(trueTimeS) {
      checkFinite("trueTimeS", trueTimeS);
      const index = secondIndexAt(trueTimeS);
      return labelOf(index, trueTimeS + startFracS - index);
    },
    trueTimeAt(label) {
      const { y, mo, d, h, mi, s } = label;
      const fracS = label.fracS ?? 0;
      for (const [name, v] of Object.entries({ y, mo, d, h, mi, s, fracS })) {
        if (!Number.isFinite(v)) throw new RangeError(`utc: label field ${name} must be finite`);
      }
      if (fracS < 0 || fracS >= 1) throw new RangeError(`utc: label fracS ${fracS} outside [0, 1)`);
      if (!Number.isInteger(s) || s < 0 || s > 60)
        throw new RangeError(`utc: label second ${s} outside 0–60`);
      const posixS = Date.UTC(y, mo - 1, d, h, mi, s === 60 ? 59 : s) / 1000;
      let index: number;
      if (s === 60) {
        const j = leapMidnightsS.indexOf(posixS + 1);
        if (j < 0) throw new RangeError(`utc: no leap second is scheduled at ${y}-${mo}-${d} ${h}:${mi}:60`);
        index = leapIndex[j] as number;
      } else {
        let k = 0;
        while (k < leapMidnightsS.length && (leapMidnightsS[k] as number) <= posixS) k++;
        index = posixS - startWholeS + k;
      }
      return index - startFracS + fracS;
    },
    utcMsAt(trueTimeS) {
      checkFinite("trueTimeS", trueTimeS);
      const index = secondIndexAt(trueTimeS);
      const k = leapsBefore(index);
      if (k < leapIndex.length && leapIndex[k] === index) return (leapMidnightsS[k] as number) * 1000;
      return (startWholeS + index - k) * 1000 + (trueTimeS + startFracS - index) * 1000;
    },
    trueTimeOfUtcMs(utcMs) {
      checkFinite("utcMs", utcMs);
      let k = 0;
      while (k < leapMidnightsS.length && (leapMidnightsS[k] as number) * 1000 <= utcMs) k++;
      return (utcMs - startWholeS * 1000) / 1000 + k - startFracS;
    },
    leapSecondsInsertedBy(trueTimeS) {
      const index = secondIndexAt(trueTimeS);
      let k = 0;
      while (k < leapIndex.length && (leapIndex[k] as number) < index) k++;
      return k;
    },
    isLeapSecond(trueTimeS) {
      return leapIndex.includes(secondIndexAt(trueTimeS));
    },
  };
}

/** "hhmmss" with two-digit fields (seconds may be 60). */
export function formatHhmmss(label: Pick<UtcLabel, "h" | "mi" | "s">): string {
  return pad2(label.h) + pad2(label.mi) + pad2(label.s);
}

const PAD2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? "0" : "") + i);

/** Two-digit zero-padded integer (0–99; larger values unpadded). */
export function pad2(n: number): string {
  return PAD2[n] ?? String(n);
}
