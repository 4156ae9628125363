// timenode firmware entry: PPS edges and NMEA time labels from the GPS, temperature and health, all
// sent to the host as raw observations so that the host can re-derive everything.
import {
  createLineAssembler,
  createNmeaCounters,
  createNmeaTime,
  scanNmeaLine,
  type NmeaTime,
} from "./nmea.ts";
import { createHostLink, newBootId } from "./link.ts";
import { createPpsState, ppsEdge } from "./pps.ts";
import {
  EVT_BOOT,
  EVT_FIFO_FULL,
  EVT_NMEA_REJECTS,
  EVT_REPL,
  REC_ERROR,
  REC_EVENT,
  REC_HELLO,
  REC_MEMORY,
  REC_NMEA,
  REC_PPS,
  REC_TEMPERATURE,
} from "./protocol.ts";

const HEALTH_INTERVAL_MS = 10000;

const bootLocalS = getTime();
const host = createHostLink(TN_HOST_DEVICE, newBootId());
const pps = createPpsState();
const nmeaCounters = createNmeaCounters();
const nmeaTime = createNmeaTime();
let nmeaRejectsReported = 0;
let lastLabelHms = -1;
let lastLabelYmd = 0;
let lastLabelValid = -1;

/** Local time in integer µs since boot: integers on the wire, never doubles. */
function localUs(timeS: number): number {
  return Math.round((timeS - bootLocalS) * 1000000);
}

function onPps(e: WatchEvent) {
  const us = localUs(e.time);
  const flags = ppsEdge(pps, us);
  const intervalUs = pps.lastUs < 0 ? 0 : us - pps.lastUs;
  pps.lastUs = us;
  lastLabelHms = -1;
  host.send(REC_PPS, us + "," + intervalUs + "," + flags);
}

// A receiver sends several time sentences per second (RMC, GGA, ZDA …). One label per second reaches
// the host, plus another when a later sentence of the same second adds a date or disagrees on validity.
// A PPS edge starts a new second even if the time repeats (receivers that show a leap second as a
// repeated 23:59:59).
function onNmeaTime(t: NmeaTime) {
  const newSecond = t.hms !== lastLabelHms;
  const addsDate = t.ymd !== 0 && lastLabelYmd === 0;
  const disagrees = t.valid >= 0 && lastLabelValid >= 0 && t.valid !== lastLabelValid;
  if (!newSecond && !addsDate && !disagrees) return;
  if (newSecond) {
    lastLabelYmd = 0;
    lastLabelValid = -1;
  }
  lastLabelHms = t.hms;
  if (t.ymd !== 0) lastLabelYmd = t.ymd;
  if (t.valid >= 0) lastLabelValid = t.valid;
  host.send(
    REC_NMEA,
    localUs(getTime()) + "," + t.kind + "," + t.ymd + "," + t.hms + "," + t.ms + "," + t.valid,
  );
}

function onNmeaLine(line: string) {
  scanNmeaLine(line, nmeaTime, nmeaCounters, onNmeaTime);
}

function nmeaRejects(): number {
  return nmeaCounters.badChecksum + nmeaCounters.noChecksum + nmeaCounters.oversize + nmeaCounters.badTime;
}

function health() {
  const now = localUs(getTime());
  const temperature = E.getTemperature();
  if (temperature === temperature) host.send(REC_TEMPERATURE, now + "," + Math.round(temperature * 1000));
  const flags = E.getErrorFlags();
  let overflow = 0;
  for (let i = 0; i < flags.length; i++) if (flags[i] === "FIFO_FULL") overflow = 1;
  if (overflow) {
    pps.overflowPending = true;
    host.send(REC_EVENT, now + "," + EVT_FIFO_FULL + ",1");
  }
  const rejects = nmeaRejects();
  if (rejects !== nmeaRejectsReported) {
    nmeaRejectsReported = rejects;
    host.send(REC_EVENT, now + "," + EVT_NMEA_REJECTS + "," + rejects);
  }
  const memory = process.memory(false);
  host.send(REC_MEMORY, now + "," + memory.usage + "," + memory.total + "," + overflow);
}

const hostCounters = createNmeaCounters();

/** Commands from the host. "repl" hands the console back so the board can be reflashed. */
function onHostLine(line: string) {
  if (line === "repl") {
    host.send(REC_EVENT, localUs(getTime()) + "," + EVT_REPL + ",0");
    TN_HOST_DEVICE.setConsole(true);
  } else if (line.length > 0) {
    host.send(REC_ERROR, "unknown-command," + line.length);
  }
}

function start() {
  if (TN_BOARD.moveConsole) LoopbackA.setConsole(true);
  if (!TN_BOARD.hostSharedWithGps)
    TN_HOST_DEVICE.on("data", createLineAssembler(onHostLine, hostCounters).push);
  const gpsOptions: SerialSetupOptions = {};
  if (TN_BOARD.gpsRx !== null) gpsOptions.rx = TN_BOARD.gpsRx;
  if (TN_BOARD.gpsTx !== null) gpsOptions.tx = TN_BOARD.gpsTx;
  TN_GPS_SERIAL.setup(TN_BOARD.gpsBaud, gpsOptions);
  const lines = createLineAssembler(onNmeaLine, nmeaCounters);
  TN_GPS_SERIAL.on("data", lines.push);
  setWatch(onPps, TN_BOARD.ppsPin, { repeat: true, edge: "rising", debounce: 0 });
  host.send(
    REC_HELLO,
    TN_BOARD.id +
      "," +
      TN_BOARD.firmwareVersion +
      "," +
      process.env.VERSION +
      "," +
      TN_BOARD.quantumNs +
      "," +
      TN_BOARD.jsVars +
      "," +
      TN_BOARD.ppsPin +
      "," +
      TN_BOARD.gpsUart,
  );
  host.send(REC_EVENT, "0," + EVT_BOOT + ",0");
  setInterval(health, HEALTH_INTERVAL_MS);
}

start();
