// timenode firmware entry: PPS edges labelled with UTC seconds from the GPS's NMEA, a servo that
// estimates the board clock's frequency and phase, a monotonic clock and a disciplined UTC clock with
// error bounds, host commands, and every raw observation sent to the host so it can re-derive all.
import { createCommandCounters, createCommandReader, type CommandContext } from "./commands.ts";
import { createRecordSigner, signRecordLine, type RecordSigner } from "./auth.ts";
import { createHostLink, newBootId, type LineSink } from "./link.ts";
import { createMonotonicState, monotonicMapUs, monotonicSample } from "./monotonic.ts";
import {
  createLineAssembler,
  createNmeaCounters,
  createNmeaTime,
  scanNmeaLine,
  type NmeaTime,
} from "./nmea.ts";
import { createPpsState, ppsEdge } from "./pps.ts";
import {
  EVT_AUTH_UNAVAILABLE,
  EVT_BOOT,
  EVT_FIFO_FULL,
  EVT_NMEA_REJECTS,
  EVT_REPL,
  EVT_RING_OVERFLOW,
  EVT_SETTIME,
  REC_CLOCK,
  REC_EVENT,
  REC_HELLO,
  REC_MEMORY,
  REC_NMEA,
  REC_PPS,
  REC_TEMPERATURE,
} from "./protocol.ts";
import { PTP_EVENT_PORT, PTP_GENERAL_PORT } from "./ptp.ts";
import { decodePtpLine, framePtpLine } from "./ptp-frame.ts";
import { createPtpLineRouter } from "./ptp-line-router.ts";
import {
  createPtpBoardSlave,
  ptpBoardSlaveReceive,
  ptpBoardSlaveTick,
  ptpSlaveBound,
  ptpSlaveDelayReq,
  ptpSlaveUtc,
  type PtpSlaveTime,
} from "./ptp-slave.ts";
import {
  createPtpBoardMaster,
  ptpBoardMasterReceive,
  ptpBoardMasterTick,
  ptpIdentityFromSerial,
  type PtpClockTime,
} from "./ptp-master.ts";
import { createRing, ringSizeBytes, ringSizeLines, ringTakeOverflow } from "./ring.ts";
import { createTimeCore } from "./timecore.ts";

const TICK_MS = 1000;
const HEALTH_EVERY_TICKS = 10;
/** Memory is reported less often: process.memory() walks the heap, and the figure moves slowly. */
const MEMORY_EVERY_TICKS = 60;
/** A UTC reading with its bounds every this many ticks (every second would fill a 9600-baud link). */
const READING_EVERY_TICKS = 10;
/** PPS edges waiting for the main loop; a power of two. */
const EDGE_SLOTS = 8;

// --- state, all allocated once ---------------------------------------------------------------------
// getTime() samples at least every tick; a larger forward step or any backward step is setTime().
const mono = createMonotonicState(5 * (TICK_MS / 1000), TICK_MS / 1000, 0.001);
monotonicSample(mono, getTime());
const ring = createRing(ringSizeLines(TN_BOARD.jsVars), ringSizeBytes(TN_BOARD.jsVars));
/** The chip's id: what tells boards apart when a USB hub renumbers their ports. */
const serialNumber = getSerial();
// WiFi boards built with a UDP host send each record as one datagram to the host, and take commands
// from datagrams on the same port; the build folds this away for every other board.
const udpSocket = TN_BOARD.udpPort > 0 ? require("dgram").createSocket("udp4") : null;
const linkSink: LineSink =
  TN_BOARD.udpPort > 0
    ? {
        write: function (line: string) {
          if (udpSocket !== null) udpSocket.send(line, TN_BOARD.udpPort, TN_BOARD.udpHost);
        },
      }
    : TN_HOST_DEVICE;

/** The signer of a board built with a node key; null where this Espruino build has no crypto library. */
function recordSigner(): RecordSigner | null {
  try {
    const crypto = require("crypto");
    return createRecordSigner(TN_BOARD.authKey, serialNumber, function (data: string) {
      return E.toString(crypto.SHA256(data));
    });
    // Espruino needs a binding in catch; the error only says that there is no crypto library.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
  } catch (missing) {
    return null;
  }
}

// Boards built with a node key tag every line they send, resends too (firmware/src/auth.ts); the ring
// keeps the untagged lines. The build folds this away for boards without a key.
const signer = TN_BOARD.authKey !== "" ? recordSigner() : null;
const hostSink: LineSink =
  TN_BOARD.authKey !== "" && signer !== null
    ? {
        write: function (line: string) {
          linkSink.write(signRecordLine(signer, line));
        },
      }
    : linkSink;
const host = createHostLink(hostSink, newBootId(), ring);
const pps = createPpsState();
const nmeaCounters = createNmeaCounters();
const nmeaTime = createNmeaTime();
// Boards too small for the time core send raw observations only (the host derives the rest); the
// build then leaves the time core out of the bundle.
const core = TN_BOARD.timeCore ? createTimeCore(host.send) : null;
// Boards built with --ptp-master hand their UTC on to the host over PTP (docs/sync.md): Sync, Follow_Up
// and Announce to the host's ports 319/320, Delay_Req taken on port 319; or, without a UDP host, all of
// them as #TP2 lines on the serial host device. The build folds it away elsewhere.
const ptpSocket = TN_BOARD.ptpMaster && !TN_BOARD.ptpSerial ? require("dgram").createSocket("udp4") : null;
const ptp = TN_BOARD.ptpMaster ? createPtpBoardMaster(ptpIdentityFromSerial(serialNumber), 0) : null;
if (TN_BOARD.ptpSerial && ptp !== null)
  ptp.frame = function (bytes: string) {
    return framePtpLine(bytes, E.CRC32);
  };
/** Board clock when the host-link chunk being read arrived: a serial Delay_Req's receive time. */
let ptpChunkUs = 0;
// Boards built with --ptp-slave take UTC from a PTP master over UDP instead of GPS (docs/sync.md): Sync
// on port 319, Follow_Up, Announce and Delay_Resp on 320, Delay_Req to the master's port 319.
const ptpEventSocket = TN_BOARD.ptpSlave ? require("dgram").createSocket("udp4") : null;
const ptpGeneralSocket = TN_BOARD.ptpSlave ? require("dgram").createSocket("udp4") : null;
const ptpSlave = TN_BOARD.ptpSlave
  ? createPtpBoardSlave(ptpIdentityFromSerial(serialNumber), 0, {
      quantumNs: TN_BOARD.quantumNs,
      tolerancePpb: TN_BOARD.tolerancePpb,
      // Frequencies estimated from exchanges stamped in JavaScript wander by ppm (docs/sync.md).
      wanderPpb: 10000,
    })
  : null;
const ptpSlaveNow: PtpSlaveTime = { s: 0, ns: 0 };

// The PPS handler only stores the edge: typed arrays, no objects or strings (runs once a second, but
// a glitching PPS line must not be able to exhaust a 2630-variable board).
const edgeUs = new Float64Array(EDGE_SLOTS);
const edgeCount = new Uint32Array(2); // [0] written, [1] read

let nmeaRejectsReported = 0;
let fifoOverflows = 0;
let jumpsReported = 0;
let ticks = 0;
// Whether a label has claimed the latest drained edge (pps.lastUs).
let lastEdgeLabelled = true;
// Labels already sent this second (see onNmeaTime).
let lastLabelHms = -1;
let lastLabelYmd = 0;
let lastLabelValid = -1;

function nowUs(): number {
  return monotonicSample(mono, getTime());
}

function onPps(e: WatchEvent) {
  edgeUs[edgeCount[0] & (EDGE_SLOTS - 1)] = monotonicMapUs(mono, e.time);
  edgeCount[0]++;
}

/** Sends a P record for every edge stored since the last call (the oldest are lost if > EDGE_SLOTS). */
function drainEdges() {
  if (edgeCount[0] - edgeCount[1] > EDGE_SLOTS) edgeCount[1] = edgeCount[0] - EDGE_SLOTS;
  while (edgeCount[1] !== edgeCount[0]) {
    const us = edgeUs[edgeCount[1] & (EDGE_SLOTS - 1)];
    edgeCount[1]++;
    const flags = ppsEdge(pps, us);
    lastEdgeLabelled = false;
    lastLabelHms = -1;
    host.send(REC_PPS, us + "," + pps.intervalUs + "," + flags);
  }
}

// A receiver sends several time sentences per second (RMC, GGA, ZDA …). One label per second reaches
// the host, plus another when a later sentence of the same second adds a date or disagrees on validity.
// A PPS edge starts a new second even if the time repeats (receivers that show a leap second as a
// repeated 23:59:59).
function onNmeaTime(t: NmeaTime) {
  drainEdges();
  const now = nowUs();
  if (core !== null && t.valid === 1 && !lastEdgeLabelled) {
    lastEdgeLabelled = true;
    core.label(t, now, pps.lastUs);
  }
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
  host.send(REC_NMEA, now + "," + t.kind + "," + t.ymd + "," + t.hms + "," + t.ms + "," + t.valid);
}

function onNmeaLine(line: string) {
  scanNmeaLine(line, nmeaTime, nmeaCounters, onNmeaTime);
}

function nmeaRejects(): number {
  return nmeaCounters.badChecksum + nmeaCounters.noChecksum + nmeaCounters.oversize + nmeaCounters.badTime;
}

/**
 * Who this board is: sent at boot and again every minute, so a host that starts later (or lost the boot's
 * hello) learns the board's serial number even when the board cannot take commands.
 */
function sendHello() {
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
      TN_BOARD.gpsUart +
      "," +
      serialNumber +
      "," +
      (TN_BOARD.hostSharedWithGps && TN_BOARD.udpPort === 0 ? 0 : 1),
  );
}

function health(now: number) {
  const temperature = E.getTemperature();
  if (temperature === temperature) host.send(REC_TEMPERATURE, now + "," + Math.round(temperature * 1000));
  const flags = E.getErrorFlags();
  let overflow = 0;
  for (let i = 0; i < flags.length; i++) if (flags[i] === "FIFO_FULL") overflow = 1;
  if (overflow) {
    fifoOverflows++;
    pps.overflowPending = true;
    host.send(REC_EVENT, now + "," + EVT_FIFO_FULL + ",1");
  }
  const rejects = nmeaRejects();
  if (rejects !== nmeaRejectsReported) {
    nmeaRejectsReported = rejects;
    host.send(REC_EVENT, now + "," + EVT_NMEA_REJECTS + "," + rejects);
  }
  // The highest seq dropped, or -1 when none was: seq 0 is a real drop too.
  const dropped = ringTakeOverflow(ring);
  if (dropped >= 0) host.send(REC_EVENT, now + "," + EVT_RING_OVERFLOW + "," + dropped);
  if (ticks % MEMORY_EVERY_TICKS === 0) {
    sendHello();
    const memory = process.memory(false);
    host.send(REC_MEMORY, now + "," + memory.usage + "," + memory.total + "," + overflow);
  }
}

/** The disciplined UTC clock at board time `us`, as the PTP master stamps with it (false before it was first set). */
function ptpReadAt(out: PtpClockTime, us: number): boolean {
  if (core === null || core.read === undefined) return false;
  const reading = core.read(us);
  out.s = reading.s;
  out.ns = reading.ns;
  out.state = reading.servoState;
  return reading.valid;
}

function ptpRead(out: PtpClockTime): boolean {
  return ptpReadAt(out, nowUs());
}

function ptpSend(event: boolean, bytes: string) {
  if (TN_BOARD.ptpSerial) TN_HOST_DEVICE.write(bytes);
  else if (ptpSocket !== null)
    ptpSocket.send(bytes, event ? PTP_EVENT_PORT : PTP_GENERAL_PORT, TN_BOARD.udpHost);
}

function ptpReadChunk(out: PtpClockTime): boolean {
  return ptpReadAt(out, ptpChunkUs);
}

function onPtpLine(line: string) {
  if (ptp === null) return;
  const decoded = decodePtpLine(line, E.CRC32);
  if (decoded.bytes === null) ptp.dropped++;
  else ptpBoardMasterReceive(ptp, decoded.bytes, ptpReadChunk, ptpSend);
}

function onPtpSlaveMessage(message: string, rinfo: DgramRemoteInfo) {
  const us = nowUs();
  if (ptpSlave === null || ptpEventSocket === null) return;
  if (!ptpBoardSlaveReceive(ptpSlave, message, us, rinfo.address)) return;
  const request = ptpSlaveDelayReq(ptpSlave);
  ptpSlave.t3Us = nowUs();
  ptpEventSocket.send(request, PTP_EVENT_PORT, ptpSlave.masterAddress);
}

/** The PTP slave's UTC reading, as the time core's U record carries one (servo states alike). */
function ptpSlaveReading(now: number) {
  if (ptpSlave === null || !ptpSlave.set) return;
  ptpSlaveUtc(ptpSlave, now, ptpSlaveNow);
  const bound = Math.round(ptpSlaveBound(ptpSlave, now));
  host.send(
    REC_CLOCK,
    now +
      "," +
      ptpSlaveNow.s +
      "," +
      Math.round(ptpSlaveNow.ns) +
      ",0," +
      -bound +
      "," +
      bound +
      "," +
      -bound +
      "," +
      bound +
      "," +
      ptpSlave.state +
      "," +
      Math.round((now - ptpSlave.exchangeUs) / 1000),
  );
}

function tick() {
  // First, so that on a serial link the Sync is not queued behind this tick's records: its stamp is
  // taken when it is handed to the port, and time spent waiting there would count as path delay.
  // TN_BOARD.ptpMaster, not only ptp !== null: the build can drop the code behind a literal false.
  if (TN_BOARD.ptpMaster && ptp !== null) ptpBoardMasterTick(ptp, ptpRead, ptpSend);
  const now = nowUs();
  if (mono.jumps !== jumpsReported) {
    jumpsReported = mono.jumps;
    host.send(REC_EVENT, now + "," + EVT_SETTIME + "," + mono.lastJumpUs);
  }
  drainEdges();
  if (core !== null) {
    // The error bound follows temperature every second: a step in temperature moves a quartz's
    // frequency at once, long before the servo has relearnt it.
    const temperature = E.getTemperature();
    if (temperature === temperature) core.temperature(temperature);
    core.tick(now, ticks % READING_EVERY_TICKS === 0);
  }
  if (TN_BOARD.ptpSlave && ptpSlave !== null) {
    ptpBoardSlaveTick(ptpSlave, now);
    if (ticks % READING_EVERY_TICKS === 0) ptpSlaveReading(now);
  }
  ticks++;
  if (ticks % HEALTH_EVERY_TICKS === 0) health(now);
}

const commandContext: CommandContext = {
  ring: ring,
  // Built property by property: the build inlines each TN_BOARD field, there is no TN_BOARD object.
  board: {
    id: TN_BOARD.id,
    firmwareVersion: TN_BOARD.firmwareVersion,
    ppsPin: TN_BOARD.ppsPin,
    gpsUart: TN_BOARD.gpsUart,
    gpsBaud: TN_BOARD.gpsBaud,
    gpsRx: TN_BOARD.gpsRx,
    gpsTx: TN_BOARD.gpsTx,
    hostDevice: TN_BOARD.hostDevice,
    hostBaud: TN_BOARD.hostBaud,
  },
  espruinoVersion: process.env.VERSION,
  serial: serialNumber,
  counters: createCommandCounters(),
  localUs: nowUs,
  send: host.send,
  resend: host.resend,
  nmeaRejects: nmeaRejects,
  fifoOverflows: function () {
    return fifoOverflows;
  },
  announceLeap: function (midnightPosixS: number, sign: number) {
    if (core === null) return false;
    core.announceLeap(midnightPosixS, sign);
    return true;
  },
  repl: function () {
    host.send(REC_EVENT, nowUs() + "," + EVT_REPL + ",0");
    TN_HOST_DEVICE.setConsole(true);
  },
};

function start() {
  if (TN_BOARD.moveConsole) LoopbackA.setConsole(true);
  if (TN_BOARD.udpPort > 0 && udpSocket !== null) {
    udpSocket.bind(TN_BOARD.udpPort);
    udpSocket.on("message", createCommandReader(commandContext).push);
  } else if (TN_BOARD.ptpSerial) {
    const router = createPtpLineRouter(onPtpLine, createCommandReader(commandContext).push);
    TN_HOST_DEVICE.on("data", function (chunk: string) {
      ptpChunkUs = nowUs();
      router.push(chunk);
    });
  } else if (!TN_BOARD.hostSharedWithGps) TN_HOST_DEVICE.on("data", createCommandReader(commandContext).push);
  if (TN_BOARD.ptpMaster && ptpSocket !== null && ptp !== null) {
    ptpSocket.bind(PTP_EVENT_PORT);
    ptpSocket.on("message", function (message: string) {
      ptpBoardMasterReceive(ptp, message, ptpRead, ptpSend);
    });
  }
  if (TN_BOARD.ptpSlave && ptpEventSocket !== null && ptpGeneralSocket !== null) {
    ptpEventSocket.bind(PTP_EVENT_PORT);
    ptpEventSocket.on("message", onPtpSlaveMessage);
    ptpGeneralSocket.bind(PTP_GENERAL_PORT);
    ptpGeneralSocket.on("message", onPtpSlaveMessage);
  }
  const gpsOptions: SerialSetupOptions = {};
  if (TN_BOARD.gpsRx !== null) gpsOptions.rx = TN_BOARD.gpsRx;
  if (TN_BOARD.gpsTx !== null) gpsOptions.tx = TN_BOARD.gpsTx;
  TN_GPS_SERIAL.setup(TN_BOARD.gpsBaud, gpsOptions);
  const lines = createLineAssembler(onNmeaLine, nmeaCounters);
  TN_GPS_SERIAL.on("data", lines.push);
  setWatch(onPps, TN_BOARD.ppsPin, { repeat: true, edge: "rising", debounce: 0 });
  sendHello();
  host.send(REC_EVENT, "0," + EVT_BOOT + ",0");
  if (TN_BOARD.authKey !== "" && signer === null) host.send(REC_EVENT, "0," + EVT_AUTH_UNAVAILABLE + ",0");
  setInterval(tick, TICK_MS);
}

start();
