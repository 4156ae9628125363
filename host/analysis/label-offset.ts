// Receivers that name the NEXT PPS edge in their NMEA make a board's UTC exactly one second wrong, and
// nothing on the board can tell: only an independent clock can. The host compares the board's UTC
// readings with its own time of day (NTP-disciplined, good to milliseconds) when each reading arrives,
// and the median difference, if it sits near a whole non-zero second, says which label offset to build
// the firmware with.
import { sortedMedian } from "./quantile.ts";

export interface LabelOffsetCheck {
  /** Median of (board UTC − host UTC), seconds; NaN without readings. */
  medianDifferenceS: number;
  /** The `timenode build --label-offset` that would fix it: 0 when the board agrees with the host. */
  suggestedLabelOffsetS: number | null;
  readings: number;
}

/** Differences further than this from a whole second are not a labelling problem (delay, bad host clock). */
const WHOLE_SECOND_TOLERANCE_S = 0.25;

export function checkLabelOffset(differencesS: readonly number[]): LabelOffsetCheck {
  const sorted = [...differencesS].filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return { medianDifferenceS: NaN, suggestedLabelOffsetS: null, readings: 0 };
  const median = sortedMedian(sorted);
  const whole = Math.round(median);
  const nearWhole = Math.abs(median - whole) <= WHOLE_SECOND_TOLERANCE_S;
  return {
    medianDifferenceS: median,
    suggestedLabelOffsetS: nearWhole && Math.abs(whole) <= 1 ? (whole === 0 ? 0 : -whole) : null,
    readings: sorted.length,
  };
}
