// The once-per-second NMEA burst of a GNSS receiver, with the field formats u-blox receivers print
// (../../../shared/data/nmea/ublox-lea-4h.log, ublox-lea-5q.log): "hhmmss.00", ddmm.mmmmm, RMC ddmmyy,
// ZDA dd,mm,yyyy,00,00, empty fields and RMC V / GGA quality 0 without a fix, all-empty time when the
// receiver has no time yet.
//
// Speed: a lab node-day is 86,400 bursts. The checksum XORs over pieces, so constant pieces are
// checksummed once at construction and per-second pieces once per burst (charCodeAt loops over every
// sentence dominated the cost otherwise); satellite SNRs, and so the GSV sentences, are redrawn only
// every GSV_REFRESH_S (real SNRs drift slowly).

import type { Rng } from "../contracts.ts";
import { hex2, nmeaChecksum } from "./nmea.ts";
import { pad2, type UtcLabel } from "./utc.ts";
import { paramChecks } from "./params.ts";

const { fail, finite } = paramChecks("gps");

export type NmeaSentenceType = "RMC" | "GGA" | "ZDA" | "GSA" | "GSV" | "GLL" | "VTG";

export interface GpsPosition {
  latDeg: number;
  lonDeg: number;
  altM: number;
  geoidSepM?: number;
}

export interface NmeaBurstOptions {
  rng: Rng;
  /** Sentence types in output order (default RMC, GGA, ZDA, GSA, GSV). */
  sentences?: readonly NmeaSentenceType[];
  /** Talker ID, e.g. "GP", "GN". GSV always uses "GP" (GPS satellites). */
  talker?: string;
  /** Decimals of the seconds field ("hhmmss.00" for 2). */
  timeDecimals?: number;
  /** How 23:59:60 is printed: as is, or as a second 23:59:59. */
  leapStyle?: "sixty" | "repeat";
  /** Fraction of sentences sent with a wrong checksum. */
  corruptRate?: number;
  position?: GpsPosition;
  satellitesInView?: number;
}

/** "cold": no time yet (empty time fields); "no-fix": time but no position (RMC V); "fix". */
export type ReceiverState = "cold" | "no-fix" | "fix";

export interface NmeaBurst {
  text: string;
  /** The time field as printed ("" when cold). */
  time: string;
  sentences: number;
  corrupted: number;
}

export interface NmeaBurstWriter {
  write(label: UtcLabel, state: ReceiverState, trueTimeS: number): NmeaBurst;
}

interface Piece {
  s: string;
  x: number;
}

interface Satellite {
  prn: number;
  elevDeg: number;
  azDeg: number;
  snrDb: number;
}

const KNOWN_SENTENCES: readonly NmeaSentenceType[] = ["RMC", "GGA", "ZDA", "GSA", "GSV", "GLL", "VTG"];
const METRES_PER_DEG_LAT = 111_320;
const POSITION_AR = 0.98; // per-second correlation of the position wander
const GSV_REFRESH_S = 10;
const POW10 = [1, 10, 100, 1000, 10000, 100000];

function piece(s: string): Piece {
  return { s, x: nmeaChecksum(s) };
}

/** Non-negative x with `decimals` fraction digits and at least `intDigits` integer digits (toFixed is slow). */
function fixed(x: number, decimals: number, intDigits = 1): string {
  const scale = POW10[decimals] as number;
  const n = Math.round(x * scale);
  const whole = Math.floor(n / scale);
  const frac = String(n - whole * scale);
  const intPart = String(whole);
  return (
    (intPart.length < intDigits ? "0".repeat(intDigits - intPart.length) : "") +
    intPart +
    (decimals > 0 ? "." + "0".repeat(decimals - frac.length) + frac : "")
  );
}

/** ddmm.mmmmm,N / dddmm.mmmmm,E (minutes rounded to 1e-5, carried into degrees). */
function formatAngle(deg: number, degDigits: number, positive: string, negative: string): string {
  const totalMinutes1e5 = Math.round(Math.abs(deg) * 60 * 1e5);
  const whole = Math.floor(totalMinutes1e5 / (60 * 1e5));
  const minutes = (totalMinutes1e5 - whole * 60 * 1e5) / 1e5;
  return fixed(whole, 0, degDigits) + fixed(minutes, 5, 2) + "," + (deg < 0 ? negative : positive);
}

/** Signed metres with one decimal. */
function altField(m: number): string {
  return (m < 0 ? "-" : "") + fixed(Math.abs(m), 1);
}

export function createNmeaBurstWriter(options: NmeaBurstOptions): NmeaBurstWriter {
  const sentences = options.sentences ?? ["RMC", "GGA", "ZDA", "GSA", "GSV"];
  for (const s of sentences) if (!KNOWN_SENTENCES.includes(s)) fail(`unknown sentence type ${String(s)}`);
  const talker = options.talker ?? "GP";
  if (!/^[A-Z]{2}$/.test(talker)) fail(`talker must be two capital letters, got ${talker}`);
  const timeDecimals = options.timeDecimals ?? 2;
  if (!Number.isInteger(timeDecimals) || timeDecimals < 0 || timeDecimals > 3) {
    fail(`timeDecimals must be 0–3, got ${timeDecimals}`);
  }
  const timeSuffix = timeDecimals === 0 ? "" : "." + "0".repeat(timeDecimals);
  const leapStyle = options.leapStyle ?? "sixty";
  if (leapStyle !== "sixty" && leapStyle !== "repeat") {
    fail(`leapStyle must be "sixty" or "repeat", got ${String(leapStyle)}`);
  }
  const corruptRate = options.corruptRate ?? 0;
  if (!(corruptRate >= 0 && corruptRate <= 1)) fail(`corruptRate must be in [0, 1], got ${corruptRate}`);
  const position = options.position ?? { latDeg: 47.28526, lonDeg: 8.56525, altM: 499.6, geoidSepM: 48.0 };
  const latDeg = finite("position.latDeg", position.latDeg);
  const lonDeg = finite("position.lonDeg", position.lonDeg);
  if (Math.abs(latDeg) > 90 || Math.abs(lonDeg) > 180) fail("position out of range");
  const altM = finite("position.altM", position.altM);
  const geoidSepM = finite("position.geoidSepM", position.geoidSepM ?? 48.0);
  const satsInView = options.satellitesInView ?? 10;
  if (!Number.isInteger(satsInView) || satsInView < 0 || satsInView > 32) {
    fail(`satellitesInView must be an integer 0–32, got ${satsInView}`);
  }
  const needsPosition = sentences.includes("RMC") || sentences.includes("GGA") || sentences.includes("GLL");
  const fixRng = options.rng.fork("gps-fix");
  const corruptRng = options.rng.fork("gps-corrupt");

  // Constellation: fixed geometry, noisy SNR; those above 10° are used in the fix (max 12).
  const sats: Satellite[] = [];
  const prns = Array.from({ length: 32 }, (_, i) => i + 1);
  for (let i = 0; i < satsInView; i++) {
    const j = fixRng.int(i, 31);
    [prns[i], prns[j]] = [prns[j] as number, prns[i] as number];
    sats.push({
      prn: prns[i] as number,
      elevDeg: fixRng.int(3, 88),
      azDeg: fixRng.int(0, 359),
      snrDb: fixRng.int(22, 48),
    });
  }
  sats.sort((a, b) => a.prn - b.prn);
  const used = sats.filter((s) => s.elevDeg >= 10).slice(0, 12);
  const gsvSatPrefix = sats.map(
    (s) => "," + pad2(s.prn) + "," + pad2(s.elevDeg) + "," + String(s.azDeg).padStart(3, "0") + ",",
  );
  let gsaUsedField = "";
  for (let i = 0; i < 12; i++)
    gsaUsedField += (i < used.length ? pad2((used[i] as Satellite).prn) : "") + ",";
  const usedCount = pad2(used.length);

  const C = {
    comma: piece(","),
    a: piece(",A,"),
    rmc: piece(talker + "RMC,"),
    rmcV: piece(",V,,,,,,,"),
    rmcTailA: piece(",,,A"),
    rmcTailN: piece(",,,N"),
    gga: piece(talker + "GGA,"),
    ggaQ1: piece(",1," + usedCount + ","),
    ggaTail: piece(",M," + altField(geoidSepM) + ",M,,"),
    ggaNoFix: piece(",,,,,0,00,99.99,,,,,,"),
    zda: piece(talker + "ZDA,"),
    zdaTail: piece(",00,00"),
    zdaCold: piece(talker + "ZDA,,,,,00,00"),
    gsa3: piece(talker + "GSA,A,3," + gsaUsedField),
    gsa1: piece(talker + "GSA,A,1,,,,,,,,,,,,,99.99,99.99,99.99"),
    gll: piece(talker + "GLL,"),
    gllTailA: piece(",A,A"),
    gllNoFix: piece(talker + "GLL,,,,,"),
    gllTailV: piece(",V,N"),
    vtg: piece(talker + "VTG,"),
    vtgTail: piece(",K,A"),
    vtgNoFix: piece(talker + "VTG,,,,,,,,,N"),
  };

  let northM = 0;
  let eastM = 0;
  let upM = 0;
  let gsvPieces: Piece[] = [];
  let gsvFix = false;
  let gsvRefreshS = -Infinity;

  const buildGsv = (fix: boolean): Piece[] => {
    const visible = fix ? sats.length : 0;
    const total = Math.max(1, Math.ceil(visible / 4));
    const pieces: Piece[] = [];
    for (let m = 0; m < total; m++) {
      let body = "GPGSV," + total + "," + (m + 1) + "," + pad2(visible);
      for (let i = m * 4; i < Math.min(visible, m * 4 + 4); i++) {
        const snr = Math.round((sats[i] as Satellite).snrDb + 1.5 * fixRng.normal());
        body += (gsvSatPrefix[i] as string) + pad2(Math.max(0, Math.min(99, snr)));
      }
      pieces.push(piece(body));
    }
    return pieces;
  };

  return {
    write(label, state, trueTimeS) {
      const cold = state === "cold";
      const fix = state === "fix";
      const shownS = label.s === 60 && leapStyle === "repeat" ? 59 : label.s;
      const time = cold ? "" : pad2(label.h) + pad2(label.mi) + pad2(shownS) + timeSuffix;

      // Position wander: AR(1) metres, ~1.5 m horizontal and ~3 m vertical rms.
      const k = Math.sqrt(1 - POSITION_AR * POSITION_AR);
      northM = POSITION_AR * northM + 1.5 * k * fixRng.normal();
      eastM = POSITION_AR * eastM + 1.5 * k * fixRng.normal();
      upM = POSITION_AR * upM + 3 * k * fixRng.normal();
      const speedKn = Math.abs(0.02 * fixRng.normal());
      const courseDeg = fixRng.uniform() * 360;
      const hdop = 0.9 + 0.05 * Math.abs(fixRng.normal());
      let latLon = "";
      if (fix && needsPosition) {
        const lat = latDeg + northM / METRES_PER_DEG_LAT;
        const lon =
          lonDeg + eastM / (METRES_PER_DEG_LAT * Math.max(0.01, Math.cos((latDeg * Math.PI) / 180)));
        latLon = formatAngle(lat, 2, "N", "S") + "," + formatAngle(lon, 3, "E", "W");
      }

      const timeP = piece(time);
      const latLonP = piece(latLon);
      const dateP = piece(cold ? "" : pad2(label.d) + pad2(label.mo) + pad2(label.y % 100));
      let text = "";
      let count = 0;
      let corrupted = 0;
      const add = (...pieces: Piece[]): void => {
        let body = "";
        let xor = 0;
        for (const p of pieces) {
          body += p.s;
          xor ^= p.x;
        }
        if (corruptRate > 0 && corruptRng.uniform() < corruptRate) {
          xor ^= corruptRng.int(1, 255);
          corrupted++;
        }
        text += "$" + body + "*" + hex2(xor) + "\r\n";
        count++;
      };

      for (const type of sentences) {
        switch (type) {
          case "RMC":
            if (fix) {
              const motion = piece(fixed(speedKn, 3) + "," + fixed(courseDeg, 2) + ",");
              add(C.rmc, timeP, C.a, latLonP, C.comma, motion, dateP, C.rmcTailA);
            } else {
              add(C.rmc, timeP, C.rmcV, dateP, C.rmcTailN);
            }
            break;
          case "GGA":
            if (fix)
              add(
                C.gga,
                timeP,
                C.comma,
                latLonP,
                C.ggaQ1,
                piece(fixed(hdop, 2) + "," + altField(altM + upM)),
                C.ggaTail,
              );
            else add(C.gga, timeP, C.ggaNoFix);
            break;
          case "ZDA":
            if (cold) add(C.zdaCold);
            else
              add(C.zda, timeP, piece("," + pad2(label.d) + "," + pad2(label.mo) + "," + label.y), C.zdaTail);
            break;
          case "GSA":
            if (fix)
              add(C.gsa3, piece(fixed(hdop * 1.6, 2) + "," + fixed(hdop, 2) + "," + fixed(hdop * 1.3, 2)));
            else add(C.gsa1);
            break;
          case "GSV":
            if (fix !== gsvFix || trueTimeS >= gsvRefreshS) {
              gsvPieces = buildGsv(fix);
              gsvFix = fix;
              gsvRefreshS = trueTimeS + GSV_REFRESH_S;
            }
            for (const p of gsvPieces) add(p);
            break;
          case "GLL":
            if (fix) add(C.gll, latLonP, C.comma, timeP, C.gllTailA);
            else add(C.gllNoFix, timeP, C.gllTailV);
            break;
          case "VTG":
            if (fix) {
              const motion =
                fixed(courseDeg, 2) + ",T,,M," + fixed(speedKn, 3) + ",N," + fixed(speedKn * 1.852, 3);
              add(C.vtg, piece(motion), C.vtgTail);
            } else {
              add(C.vtgNoFix);
            }
            break;
        }
      }
      return { text, time, sentences: count, corrupted };
    },
  };
}
