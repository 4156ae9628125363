// Host commands over the host link (docs/protocol.md, "Host commands"): one line each, words separated
// by spaces. Every line is answered or acted on; a line the board cannot take is answered with an
// error record (X), never ignored. Pure: everything it may touch comes in through the context.
import {
  CMD_ACK,
  CMD_CONFIG,
  CMD_LEAP,
  CMD_REPL,
  CMD_RESEND,
  CMD_STATUS,
  CMD_TIME,
  COMMAND_MAX_LINE,
  ERR_BAD_ARGUMENT,
  ERR_LINE_TOO_LONG,
  ERR_UNKNOWN_COMMAND,
  REC_CONFIG,
  REC_ERROR,
  REC_LOST,
  REC_STATUS,
  REC_TIME,
} from "./protocol.ts";
import { ringAck, ringFrom, ringOldestSeq, type Ring } from "./ring.ts";

/** What the config record reports; TN_BOARD has all of these. */
export interface CommandBoard {
  id: string;
  firmwareVersion: string;
  ppsPin: string;
  gpsUart: string;
  gpsBaud: number;
  gpsRx: string | null;
  gpsTx: string | null;
  hostDevice: string;
  hostBaud: number;
}

export interface CommandCounters {
  /** Command lines taken (including bad ones). */
  lines: number;
  /** Lines answered with an error record. */
  errors: number;
}

export function createCommandCounters(): CommandCounters {
  return { lines: 0, errors: 0 };
}

export interface CommandContext {
  ring: Ring;
  board: CommandBoard;
  espruinoVersion: string;
  /** getSerial(): what tells boards apart when a USB hub renumbers their ports. */
  serial: string;
  counters: CommandCounters;
  /** The board's clock: integer µs since boot. */
  localUs(): number;
  /** Sends a new, numbered record (which the wiring also pushes to the ring). */
  send(type: string, fields: string): void;
  /** Writes a kept record line again, exactly as first sent (same seq, same CRC). */
  resend(line: string): void;
  /** Running count of rejected NMEA lines. */
  nmeaRejects(): number;
  /** Times Espruino's FIFO_FULL flag was seen since boot. */
  fifoOverflows(): number;
  /** Hands the console back to the REPL (announcing it with a repl event first). */
  repl(): void;
  /**
   * A leap second announced by the host (NMEA carries no warning): at the UTC midnight `midnightPosixS`,
   * `sign` +1 inserts a second, −1 drops one, 0 cancels. False when the firmware has no UTC clock.
   */
  announceLeap(midnightPosixS: number, sign: number): boolean;
}

/** Longest query id echoed by the time reply. */
export const TIME_QUERY_ID_MAX = 16;

/** True for a short token of letters, digits, '-', '_' or '.', safe as a record field. */
function isToken(text: string, maxLength: number): boolean {
  if (text.length === 0 || text.length > maxLength) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!digit && !letter && c !== 45 && c !== 95 && c !== 46) return false;
  }
  return true;
}

/** A sequence number: 1 to 15 decimal digits (always a safe integer); -1 otherwise. */
function parseSeq(text: string): number {
  if (text.length === 0 || text.length > 15) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    value = value * 10 + c;
  }
  return value;
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t";
}

/** Splits a command line into words at runs of spaces or tabs. */
function words(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && isSpace(line.charAt(i))) i++;
    if (i >= line.length) break;
    const start = i;
    while (i < line.length && !isSpace(line.charAt(i))) i++;
    out.push(line.substring(start, i));
  }
  return out;
}

function reject(ctx: CommandContext, reason: string, detail: string): void {
  ctx.counters.errors++;
  ctx.send(REC_ERROR, reason + "," + detail);
}

/** The word itself when it is safe in a record field, else "-". */
function detailOf(word: string): string {
  return isToken(word, 16) ? word : "-";
}

function sendStatus(ctx: CommandContext, nowUs: number): void {
  const ring = ctx.ring;
  ctx.send(
    REC_STATUS,
    nowUs +
      "," +
      ring.nextSeq +
      "," +
      ringOldestSeq(ring) +
      "," +
      ring.ackedSeq +
      "," +
      ring.count +
      "," +
      ring.usedBytes +
      "," +
      ring.lostTotal +
      "," +
      ctx.counters.errors +
      "," +
      ctx.nmeaRejects() +
      "," +
      ctx.fifoOverflows(),
  );
}

function pinOrDash(pin: string | null): string {
  return pin === null ? "-" : pin;
}

function sendConfig(ctx: CommandContext): void {
  const b = ctx.board;
  ctx.send(
    REC_CONFIG,
    b.id +
      "," +
      b.firmwareVersion +
      "," +
      ctx.espruinoVersion +
      "," +
      b.ppsPin +
      "," +
      b.gpsUart +
      "," +
      b.gpsBaud +
      "," +
      pinOrDash(b.gpsRx) +
      "," +
      pinOrDash(b.gpsTx) +
      "," +
      b.hostDevice +
      "," +
      b.hostBaud +
      "," +
      ctx.ring.maxLines +
      "," +
      ctx.ring.maxBytes +
      "," +
      ctx.serial,
  );
}

function resendFrom(ctx: CommandContext, seq: number): void {
  const first = ringFrom(ctx.ring, seq, ctx.resend);
  // Sent after the resent lines: this new record may itself push the oldest kept line out.
  if (first > seq) ctx.send(REC_LOST, seq + "," + (first - 1));
}

/**
 * Takes one command line (without its line ending). The board's clock is read first, so the time reply
 * carries the moment the line was complete. Never throws on any input.
 */
export function dispatchCommand(line: string, ctx: CommandContext): void {
  const nowUs = ctx.localUs();
  if (line.length === 0) return;
  ctx.counters.lines++;
  if (line.length > COMMAND_MAX_LINE) {
    reject(ctx, ERR_LINE_TOO_LONG, String(COMMAND_MAX_LINE));
    return;
  }
  const parts = words(line);
  if (parts.length === 0) return;
  const name = parts[0] || "";
  const arg = parts.length > 1 ? parts[1] || "" : "";
  const argCount = parts.length - 1;
  if (name === CMD_STATUS || name === CMD_CONFIG || name === CMD_REPL) {
    if (argCount !== 0) reject(ctx, ERR_BAD_ARGUMENT, name);
    else if (name === CMD_STATUS) sendStatus(ctx, nowUs);
    else if (name === CMD_CONFIG) sendConfig(ctx);
    else ctx.repl();
  } else if (name === CMD_RESEND || name === CMD_ACK) {
    const seq = argCount === 1 ? parseSeq(arg) : -1;
    // Nothing at or after nextSeq has been sent yet; resend <nextSeq> is "nothing missed".
    const limit = name === CMD_RESEND ? ctx.ring.nextSeq : ctx.ring.nextSeq - 1;
    if (seq < 0 || seq > limit) reject(ctx, ERR_BAD_ARGUMENT, name);
    else if (name === CMD_RESEND) resendFrom(ctx, seq);
    else ringAck(ctx.ring, seq);
  } else if (name === CMD_LEAP) {
    const midnight = argCount === 2 ? parseSeq(arg) : -1;
    const signText = parts[2] || "";
    const sign =
      signText === "+1" || signText === "1" ? 1 : signText === "-1" ? -1 : signText === "0" ? 0 : 2;
    if (midnight <= 0 || midnight % 86400 !== 0 || sign === 2) reject(ctx, ERR_BAD_ARGUMENT, name);
    else if (!ctx.announceLeap(midnight, sign)) reject(ctx, ERR_UNKNOWN_COMMAND, name);
  } else if (name === CMD_TIME) {
    if (argCount > 1 || (argCount === 1 && !isToken(arg, TIME_QUERY_ID_MAX)))
      reject(ctx, ERR_BAD_ARGUMENT, name);
    else ctx.send(REC_TIME, nowUs + "," + (argCount === 1 ? arg : "-"));
  } else {
    reject(ctx, ERR_UNKNOWN_COMMAND, detailOf(name));
  }
}

export interface CommandReader {
  /** Feed a chunk from the host link; dispatches each complete line. */
  push(chunk: string): void;
}

/**
 * Assembles command lines from arbitrary chunks. A line longer than COMMAND_MAX_LINE is dropped whole
 * (never buffered beyond the limit) and answered with line-too-long.
 */
export function createCommandReader(ctx: CommandContext): CommandReader {
  let pending = "";
  let discarding = false;
  return {
    push: function (chunk: string) {
      let from = 0;
      while (from < chunk.length) {
        const newline = chunk.indexOf("\n", from);
        if (!discarding) {
          pending += chunk.substring(from, newline < 0 ? chunk.length : newline);
          // One more than the limit: room for the CR of a CR LF ending.
          if (pending.length > COMMAND_MAX_LINE + 1) {
            discarding = true;
            pending = "";
          }
        }
        if (newline < 0) return;
        from = newline + 1;
        if (discarding) {
          discarding = false;
          ctx.counters.lines++;
          reject(ctx, ERR_LINE_TOO_LONG, String(COMMAND_MAX_LINE));
        } else {
          let line = pending;
          pending = "";
          if (line.charAt(line.length - 1) === "\r") line = line.substr(0, line.length - 1);
          dispatchCommand(line, ctx);
        }
      }
    },
  };
}
