// UTC seconds from a GPS receiver's serial output, through the firmware's own NMEA parser: one call
// per valid time sentence naming a whole second (a sentence without a date borrows the last date).
// Never throws; what it rejects is counted by the parser's counters.
import { civilPackedValid, posixFromPacked } from "../../firmware/src/civil.ts";
import {
  createLineAssembler,
  createNmeaCounters,
  createNmeaTime,
  scanNmeaLine,
  type NmeaCounters,
} from "../../firmware/src/nmea.ts";

export interface NmeaSeconds {
  push(chunk: string): void;
  readonly counters: NmeaCounters;
  /** Time sentences skipped: flagged invalid, a fractional second, no date yet, a leap second. */
  readonly skipped: number;
}

export function createNmeaSeconds(onSecond: (posixS: number) => void): NmeaSeconds {
  const counters = createNmeaCounters();
  const time = createNmeaTime();
  let lastYmd = 0;
  let skipped = 0;
  let lastSecond = -Infinity;
  const assembler = createLineAssembler(
    (line) =>
      scanNmeaLine(line, time, counters, (t) => {
        if (t.ymd !== 0) lastYmd = t.ymd;
        const second60 = t.hms % 100 === 60;
        if (t.valid === 0 || t.ms !== 0 || lastYmd === 0 || second60 || !civilPackedValid(lastYmd, t.hms)) {
          skipped++;
          return;
        }
        const second = posixFromPacked(lastYmd, t.hms);
        // RMC, GGA and ZDA of one burst name the same second: it is told once.
        if (second === lastSecond) return;
        lastSecond = second;
        onSecond(second);
      }),
    counters,
  );
  return {
    push: (chunk) => assembler.push(chunk),
    counters,
    get skipped() {
      return skipped;
    },
  };
}
