// Civil (proleptic Gregorian) date arithmetic for UTC labels, without Date.UTC (Espruino lacks it).
// POSIX seconds count 86,400 per day and no leap seconds, so 23:59:60 maps to the same value as the
// following 00:00:00; callers that care keep the "second 60" flag beside the number.

export const SECONDS_PER_DAY = 86400;

/** Days from 0000-03-01 to 1970-01-01: the era arithmetic below counts from a March 1st. */
const DAYS_0000_03_01_TO_EPOCH = 719468;
const DAYS_PER_ERA = 146097;

export interface CivilDate {
  y: number;
  /** Month 1–12. */
  m: number;
  /** Day of month 1–31. */
  d: number;
}

export interface CivilTime {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  /** 0–59 (civilFromPosix never gives 60). */
  s: number;
}

export function createCivilDate(): CivilDate {
  return { y: 1970, m: 1, d: 1 };
}

export function createCivilTime(): CivilTime {
  return { y: 1970, m: 1, d: 1, h: 0, mi: 0, s: 0 };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of civil date (y, m, d). Years are counted from March so that February's
 * variable length falls at the end of the counted year; 400-year eras repeat exactly.
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yearFromMarch = m <= 2 ? y - 1 : y;
  const era = Math.floor(yearFromMarch / 400);
  const yearOfEra = yearFromMarch - era * 400;
  const monthFromMarch = m > 2 ? m - 3 : m + 9;
  // Month lengths from March (31,30,31,30,31,31,30,31,30,31,31,28/29) follow floor((153·mp + 2)/5).
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_ERA + dayOfEra - DAYS_0000_03_01_TO_EPOCH;
}

/** Inverse of daysFromCivil; fills and returns out. */
export function civilFromDays(days: number, out: CivilDate): CivilDate {
  const z = days + DAYS_0000_03_01_TO_EPOCH;
  const era = Math.floor(z / DAYS_PER_ERA);
  const dayOfEra = z - era * DAYS_PER_ERA;
  // The corrections remove the leap days of the 4-, 100- and 400-year cycles before dividing by 365.
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  out.d = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  out.m = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  out.y = yearOfEra + era * 400 + (out.m <= 2 ? 1 : 0);
  return out;
}

/** POSIX seconds of a UTC label (23:59:60 gives the value of the next 00:00:00). No validation. */
export function posixFromCivil(y: number, m: number, d: number, h: number, mi: number, s: number): number {
  return daysFromCivil(y, m, d) * SECONDS_PER_DAY + h * 3600 + mi * 60 + s;
}

/** Fills out with the label of POSIX second posixS (fractions are floored); returns out. */
export function civilFromPosix(posixS: number, out: CivilTime): CivilTime {
  const whole = Math.floor(posixS);
  const days = Math.floor(whole / SECONDS_PER_DAY);
  const secOfDay = whole - days * SECONDS_PER_DAY;
  // A CivilTime has the CivilDate fields, so the date half is filled in place.
  civilFromDays(days, out);
  out.h = Math.floor(secOfDay / 3600);
  out.mi = Math.floor((secOfDay - out.h * 3600) / 60);
  out.s = secOfDay - out.h * 3600 - out.mi * 60;
  return out;
}

function isWhole(v: number): boolean {
  return typeof v === "number" && Math.floor(v) === v;
}

/**
 * A well-formed UTC label. Second 60 is accepted only as 23:59:60 on the last day of a month: the
 * ITU allows a leap second at the end of any month, though June and December are the ones used.
 */
export function civilLabelValid(y: number, m: number, d: number, h: number, mi: number, s: number): boolean {
  if (!isWhole(y) || !isWhole(m) || !isWhole(d) || !isWhole(h) || !isWhole(mi) || !isWhole(s)) return false;
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return false;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return false;
  if (s === 60) return h === 23 && mi === 59 && d === daysInMonth(y, m);
  return true;
}

/** Scratch for unpacking NMEA labels (reused: no allocation per label). */
const unpacked: CivilTime = createCivilTime();

/** Splits packed yyyymmdd / hhmmss integers (NmeaTime.ymd, .hms) into `unpacked`; s may be 60. */
function unpack(ymd: number, hms: number): CivilTime {
  unpacked.y = Math.floor(ymd / 10000);
  unpacked.m = Math.floor(ymd / 100) % 100;
  unpacked.d = ymd % 100;
  unpacked.h = Math.floor(hms / 10000);
  unpacked.mi = Math.floor(hms / 100) % 100;
  unpacked.s = hms % 100;
  return unpacked;
}

/** civilLabelValid for the packed yyyymmdd / hhmmss integers of an NMEA label (NmeaTime.ymd, .hms). */
export function civilPackedValid(ymd: number, hms: number): boolean {
  if (!isWhole(ymd) || !isWhole(hms) || ymd < 0 || hms < 0) return false;
  const t = unpack(ymd, hms);
  return civilLabelValid(t.y, t.m, t.d, t.h, t.mi, t.s);
}

/** POSIX seconds of a packed yyyymmdd / hhmmss label (23:59:60 gives the next midnight). No validation. */
export function posixFromPacked(ymd: number, hms: number): number {
  const t = unpack(ymd, hms);
  return posixFromCivil(t.y, t.m, t.d, t.h, t.mi, t.s);
}
