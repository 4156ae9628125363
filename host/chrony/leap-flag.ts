// The leap flag for a chrony sample: set, like NTP's leap indicator, through the month whose last
// day ends with the leap (chronyd itself acts on it only on that day), and clear otherwise.
import { civilFromPosix, createCivilTime } from "../../firmware/src/civil.ts";
import { LEAP_DELETE, LEAP_INSERT, LEAP_NORMAL, type LeapFlag } from "./sock-sample.ts";

export interface LeapAnnouncement {
  /** POSIX seconds of the UTC midnight after the leap. */
  midnightS: number;
  /** +1: 23:59:60 inserted; −1: 23:59:59 dropped. */
  sign: number;
}

export function leapFlagAt(utcS: number, leap: LeapAnnouncement | null): LeapFlag {
  if (leap === null || leap.sign === 0 || utcS >= leap.midnightS) return LEAP_NORMAL;
  const lastDay = civilFromPosix(leap.midnightS - 1, createCivilTime());
  const monthStartS = leap.midnightS - 86_400 * lastDay.d;
  if (utcS < monthStartS) return LEAP_NORMAL;
  return leap.sign > 0 ? LEAP_INSERT : LEAP_DELETE;
}

/**
 * "YYYY-MM-DD:+1" (a second inserted at the end of that UTC day) or "…:-1" (one dropped), as IERS
 * Bulletin C announces it; null when the text is not one.
 */
export function parseLeapAnnouncement(text: string): LeapAnnouncement | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}):([+-]1)$/.exec(text);
  if (!m) return null;
  const dayStartMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = new Date(dayStartMs);
  if (day.getUTCMonth() !== Number(m[2]) - 1 || day.getUTCDate() !== Number(m[3])) return null;
  return { midnightS: dayStartMs / 1000 + 86_400, sign: Number(m[4]) };
}
