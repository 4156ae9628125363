// Is an NMEA date a GPS week-number rollover artefact? GPS broadcasts the week number modulo 1024
// (10 bits), so a receiver whose firmware pivots on an old date shows dates exactly 1024 weeks
// (7168 days) early, and a receiver that is stuck or restarting often shows the day of a rollover
// itself (1999-08-21/22, 2019-04-06/07). Pure and Espruino-safe: the firmware and the host share it.

export const GPS_ROLLOVER_DAYS = 7168;

/** How far a "1024 weeks early" date may be from capture − 7168 days: capture dates are approximate. */
export const ROLLOVER_WINDOW_DAYS = 31;

/** A rollover-day date within this many days of a known capture date is believed. */
export const CAPTURE_AGREES_DAYS = 2;

/** Flags (bit mask) returned by rolloverFlags. */
export const ROLLOVER_WEEKS_BEFORE_CAPTURE = 1; // 1024 weeks before the capture date
export const ROLLOVER_DAY = 2; // on the day of a 10-bit week rollover
export const ROLLOVER_BEFORE_2000 = 4; // before 2000 from a modern receiver

/** Days since 1970-01-01 of a yyyymmdd date (proleptic Gregorian; no range check). */
export function daysFromYmd(ymd: number): number {
  let year = Math.floor(ymd / 10000);
  const month = Math.floor(ymd / 100) % 100;
  const day = ymd % 100;
  // Count years from March so that the leap day is the last day of the counted year.
  if (month <= 2) year -= 1;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** yyyymmdd of a day count since 1970-01-01 (the inverse of daysFromYmd). */
export function ymdFromDays(days: number): number {
  const shifted = days + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return year * 10000 + month * 100 + day;
}

function isRolloverDay(ymd: number): boolean {
  return ymd === 19990821 || ymd === 19990822 || ymd === 20190406 || ymd === 20190407;
}

/** Talkers of constellations that only receivers made after 2000 track (GLONASS-era multi-GNSS and later). */
function isModernTalker(talker: string): boolean {
  return talker.length === 2 && talker !== "GP";
}

/**
 * Why `ymd` (yyyymmdd from RMC or ZDA) looks like a rollover artefact, as a bit mask; 0 when it does not
 * (or when ymd is 0, no date). `captureYmd` is the date the log was taken, 0 when unknown; `talker` the
 * sentence's talker ("GP", "GN", …). A receiver counts as modern when the capture is from 2000 on or the
 * talker is not GPS-only.
 */
export function rolloverFlags(ymd: number, captureYmd: number, talker: string): number {
  if (!(ymd > 0)) return 0;
  let flags = 0;
  const days = daysFromYmd(ymd);
  const captureKnown = captureYmd > 0;
  const early = captureKnown ? daysFromYmd(captureYmd) - days : 0;
  if (captureKnown && Math.abs(early - GPS_ROLLOVER_DAYS) <= ROLLOVER_WINDOW_DAYS)
    flags |= ROLLOVER_WEEKS_BEFORE_CAPTURE;
  if (isRolloverDay(ymd) && !(captureKnown && Math.abs(early) <= CAPTURE_AGREES_DAYS)) flags |= ROLLOVER_DAY;
  if (ymd < 20000101 && ((captureKnown && captureYmd >= 20000101) || isModernTalker(talker)))
    flags |= ROLLOVER_BEFORE_2000;
  return flags;
}
