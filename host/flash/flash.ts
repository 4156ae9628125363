// Flashing a firmware bundle into a board's Storage through its REPL, offline, and proving what landed:
// find the REPL (taking the console back from timenode firmware if it runs), read process.env and refuse
// a board of another kind or a bundle that does not fit before anything changes, reset(), write
// .bootcde in chunks sized for the link (file-transfer packets with an ACK each on 2v25+, Storage.write
// lines before), compare E.CRC32 of what the board holds with the host's CRC-32, load(), and wait for
// the firmware's hello record. A transfer that breaks off is reported with how far it got and how to
// recover; where the link still works, the half-written file is erased.
import { listBoards } from "../../boards/index.ts";
import type { BoardProfile } from "../../boards/types.ts";
import { hostDeviceFor } from "../../firmware/build/bundle.ts";
import { crc32 } from "../../firmware/src/crc32.ts";
import { decodeRecord, REC_HELLO } from "../../firmware/src/protocol.ts";
import { PACKET_TYPE, supportsPackets } from "../../sim/runtime/repl.ts";
import { STORAGE_FILE_HEADER_BYTES } from "../../sim/runtime/storage.ts";
import { untagged } from "../truth/record-auth.ts";
import { FlashError, LinkLostError, ReplSession } from "./repl-session.ts";

export const BOOT_FILE = ".bootcde";
const MAX_CHUNK_BYTES = 1024;
const MIN_CHUNK_BYTES = 64;
/** A chunk should take at most this long on a UART, well inside 2v25's 1 s packet timeout. */
const CHUNK_WIRE_S = 0.25;
const ATTEMPTS = 3;

export interface FlashTimeouts {
  /** For the REPL's first answer after Ctrl-C (and again after asking timenode firmware for it). */
  promptMs: number;
  /** For any other answer (process.env, Storage.write, CRC). */
  answerMs: number;
  /** For the ACK of one packet, on top of its time on the wire. */
  packetMs: number;
  /** For the firmware's hello record after load(). */
  helloMs: number;
}

export const DEFAULT_TIMEOUTS: FlashTimeouts = {
  promptMs: 1500,
  answerMs: 4000,
  packetMs: 2500,
  helloMs: 15000,
};

export type UploadMethod = "packets" | "lines";

export interface FlashRequest {
  board: BoardProfile;
  /** The bundle, or how to build it for the board found (after its kind was checked). */
  code: string | ((env: BoardEnv) => string);
  /** "auto": packets when the board's Espruino has them (2v25+), else lines. */
  method?: UploadMethod | "auto";
  verify?: boolean;
  dryRun?: boolean;
  timeouts?: Partial<FlashTimeouts>;
  onProgress?: (writtenBytes: number, totalBytes: number) => void;
  /** Stages as they start ("prompt", "env", "reset", "upload", "verify", "load", "hello"). */
  onStage?: (stage: string) => void;
}

export interface BoardEnv {
  board: string;
  version: string;
  /** The chip's serial (process.env.SERIAL, what getSerial() answers). */
  serial: string;
  console: string | null;
  storageFreeBytes: number;
  bootFileBytes: number | null;
}

export interface FlashResult {
  port: string;
  board: string;
  espruinoBoard: string;
  espruinoVersion: string;
  dryRun: boolean;
  method: UploadMethod;
  bytes: number;
  chunkBytes: number;
  chunks: number;
  retries: number;
  crc32: number;
  verified: boolean;
  /** The running timenode firmware had the console and was asked to hand it back. */
  tookConsoleFromFirmware: boolean;
  hello: Hello | null;
}

/** Bytes a file takes in Storage: a header plus its size rounded up to the flash word. */
export function storageFootprint(bytes: number): number {
  return STORAGE_FILE_HEADER_BYTES + Math.ceil(bytes / 4) * 4;
}

/**
 * Chunk size for the board's host link: 1 KiB over USB or Bluetooth (flow controlled); on a UART, what
 * the wire carries in a quarter second and at most half the board's input queue, since a UART has no
 * flow control and anything beyond the queue is lost while the board writes to flash.
 */
export function chunkBytesFor(board: BoardProfile): number {
  const { baud } = hostDeviceFor(board);
  if (baud === 0) return MAX_CHUNK_BYTES;
  const byWire = Math.floor(((baud / 10) * CHUNK_WIRE_S) / 16) * 16;
  const byQueue = Math.floor(board.ioQueueBytes.value / 2 / 16) * 16;
  return Math.max(MIN_CHUNK_BYTES, Math.min(MAX_CHUNK_BYTES, byWire, byQueue));
}

function wireMs(board: BoardProfile, bytes: number): number {
  const { baud } = hostDeviceFor(board);
  return baud === 0 ? 0 : (bytes * 10 * 1000) / baud;
}

/** Finds the REPL: Ctrl-C first; if only timenode firmware answers, its `repl` command hands it over. */
async function reachRepl(session: ReplSession, t: FlashTimeouts): Promise<{ tookConsole: boolean }> {
  await session.send("\x03");
  if (await session.evaluate("1", t.promptMs)) return { tookConsole: false };
  await session.send("\nrepl\n");
  if (await session.evaluate("1", t.promptMs)) return { tookConsole: true };
  // A REPL with echo turned off, or a half-typed line: clear it and try once more.
  await session.send("\x03\x03echo(1)\n");
  if (await session.evaluate("1", t.promptMs)) return { tookConsole: true };
  throw new FlashError(
    `no Espruino REPL answered on ${session.link.name}: check that it is an Espruino board, that the baud rate ` +
      `is right (--baud), and that no other program (the Espruino IDE, screen, timenode collect) has the port open`,
  );
}

async function answer(
  session: ReplSession,
  expression: string,
  t: FlashTimeouts,
  what: string,
): Promise<unknown> {
  const result = await session.evaluate(expression, t.answerMs);
  if (!result) throw new FlashError(`${session.link.name} did not answer when asked for ${what}`);
  return result.value;
}

async function readEnv(session: ReplSession, t: FlashTimeouts): Promise<BoardEnv> {
  const value = (await answer(
    session,
    `{b:process.env.BOARD,v:process.env.VERSION,n:process.env.SERIAL,c:process.env.CONSOLE,f:require("Storage").getFree(),` +
      `s:(require("Storage").read("${BOOT_FILE}")||{length:null}).length}`,
    t,
    "process.env",
  )) as { b?: unknown; v?: unknown; n?: unknown; c?: unknown; f?: unknown; s?: unknown } | null;
  if (typeof value?.b !== "string" || typeof value.v !== "string" || typeof value.f !== "number")
    throw new FlashError(`${session.link.name} answered process.env without BOARD, VERSION or Storage space`);
  return {
    board: value.b,
    version: value.v,
    serial: typeof value.n === "string" ? value.n : "",
    console: typeof value.c === "string" ? value.c : null,
    storageFreeBytes: value.f,
    bootFileBytes: typeof value.s === "number" ? value.s : null,
  };
}

function checkBoard(env: BoardEnv, board: BoardProfile, port: string): void {
  if (env.board === board.espruinoBoard) return;
  const match = listBoards().find((b) => b.espruinoBoard === env.board);
  throw new FlashError(
    `${port} has a ${env.board} board (Espruino ${env.version}), not a ${board.name} (${board.espruinoBoard}): ` +
      (match ? `pass --board ${match.id}` : `timenode has no profile for ${env.board}; see timenode boards`),
  );
}

function checkSpace(env: BoardEnv, bytes: number, port: string): void {
  const available =
    env.storageFreeBytes + (env.bootFileBytes === null ? 0 : storageFootprint(env.bootFileBytes));
  if (storageFootprint(bytes) <= available) return;
  throw new FlashError(
    `the bundle needs ${storageFootprint(bytes)} bytes of Storage but ${port} has ${available} free ` +
      `(counting the old ${BOOT_FILE}): remove other files (require("Storage").list() in the REPL) or build a ` +
      `smaller bundle`,
  );
}

/** Puts the console back with the firmware that had it (the board goes on as it was). */
async function handBack(session: ReplSession, tookConsole: boolean): Promise<void> {
  if (!tookConsole) return;
  try {
    await session.run("LoopbackA.setConsole(true)");
  } catch {
    // Nothing more can be done on a link that is gone.
  }
}

interface UploadStats {
  chunks: number;
  retries: number;
}

/** One way of putting chunks into the boot file; each step answers null when the board took it. */
interface ChunkWriter {
  /** Before the first chunk of every attempt. */
  begin(): Promise<string | null>;
  write(chunk: string, at: number): Promise<string | null>;
}

/** File-transfer packets (2v25+): FILE_SEND, then a DATA packet per chunk, each ACKed. */
function packetWriter(
  session: ReplSession,
  board: BoardProfile,
  code: string,
  t: FlashTimeouts,
): ChunkWriter {
  return {
    begin: async () => {
      const open = await session.packet(
        PACKET_TYPE.fileSend,
        JSON.stringify({ fn: BOOT_FILE, s: code.length }),
        t.packetMs,
      );
      return open === "ack" ? null : `the board refused to open ${BOOT_FILE} (${open})`;
    },
    write: async (chunk, at) => {
      const reply = await session.packet(
        PACKET_TYPE.data,
        chunk,
        t.packetMs + wireMs(board, chunk.length + 4),
      );
      return reply === "ack" ? null : `block at byte ${at} was not acknowledged (${reply})`;
    },
  };
}

/** Storage.write lines, each answered: the first creates the file at its full size, the rest fill it. */
function lineWriter(session: ReplSession, board: BoardProfile, code: string, t: FlashTimeouts): ChunkWriter {
  return {
    begin: () => Promise.resolve(null),
    write: async (chunk, at) => {
      const args = at === 0 ? `${JSON.stringify(chunk)},0,${code.length}` : `${JSON.stringify(chunk)},${at}`;
      const result = await session.evaluate(
        `require("Storage").write("${BOOT_FILE}",${args})`,
        t.answerMs + wireMs(board, chunk.length * 2),
      );
      if (!result) return `no answer to the write at byte ${at}`;
      return result.value === true ? null : `Storage refused the write at byte ${at}`;
    },
  };
}

/**
 * Writes the code chunk by chunk. Any failure starts the file over (a block that was written but
 * whose answer was lost would otherwise be written twice), unless the link is gone or it has failed
 * ATTEMPTS times.
 */
async function upload(
  session: ReplSession,
  code: string,
  chunkBytes: number,
  writer: ChunkWriter,
  progress: (written: number) => void,
): Promise<UploadStats> {
  const stats: UploadStats = { chunks: 0, retries: 0 };
  for (let attempt = 1; ; attempt++) {
    let failure = await writer.begin();
    for (let at = 0; failure === null && at < code.length; at += chunkBytes) {
      const chunk = code.slice(at, at + chunkBytes);
      failure = await writer.write(chunk, at);
      stats.chunks++;
      if (failure === null) progress(at + chunk.length);
    }
    if (failure === null) return stats;
    if (session.link.closedReason !== null) throw new LinkLostError(session.link.closedReason);
    if (attempt >= ATTEMPTS) throw new FlashError(`upload failed ${ATTEMPTS} times; last: ${failure}`);
    stats.retries++;
    progress(0);
  }
}

type Hello = { serial: string; firmwareVersion: string; bootId: string };

/** The first hello record among complete lines (a signed line's tag is set aside: it is not checked here). */
function findHello(text: string): Hello | null {
  for (const line of text.split("\n")) {
    const record = decodeRecord(untagged(line), crc32);
    if (typeof record !== "string" && record.type === REC_HELLO)
      return {
        serial: record.fields[7] ?? "",
        firmwareVersion: record.fields[1] ?? "",
        bootId: record.bootId,
      };
  }
  return null;
}

async function waitForHello(session: ReplSession, t: FlashTimeouts): Promise<Hello | null> {
  const deadline = session.link.nowMs() + t.helloMs;
  for (;;) {
    const hello = findHello(session.pending);
    if (hello !== null) return hello;
    if (session.link.closedReason !== null) throw new LinkLostError(session.link.closedReason);
    if (session.link.nowMs() >= deadline) return null;
    await session.link.wait(100);
  }
}

/** Flashes `request.code` as the board's boot code. Throws FlashError with one line saying what to do. */
export async function flashBoard(session: ReplSession, request: FlashRequest): Promise<FlashResult> {
  const t = { ...DEFAULT_TIMEOUTS, ...request.timeouts };
  const port = session.link.name;
  const stage = (name: string) => request.onStage?.(name);
  const { board } = request;
  stage("prompt");
  const { tookConsole } = await reachRepl(session, t);
  stage("env");
  const env = await readEnv(session, t);
  let code: string;
  try {
    checkBoard(env, board, port);
    // A bundle made for this very board (its node key, say) is built once its serial is known.
    code = typeof request.code === "string" ? request.code : request.code(env);
    checkSpace(env, code.length, port);
  } catch (error) {
    await handBack(session, tookConsole);
    throw error;
  }
  const chunkBytes = chunkBytesFor(board);
  const packets = supportsPackets(env.version);
  const wanted = request.method ?? "auto";
  if (wanted === "packets" && !packets) {
    await handBack(session, tookConsole);
    throw new FlashError(
      `${port} runs Espruino ${env.version}; file-transfer packets need 2v25 or later: use --method lines`,
    );
  }
  const method: UploadMethod = wanted === "auto" ? (packets ? "packets" : "lines") : wanted;
  const crc = crc32(code);
  const result: FlashResult = {
    port,
    board: board.id,
    espruinoBoard: env.board,
    espruinoVersion: env.version,
    dryRun: request.dryRun ?? false,
    method,
    bytes: code.length,
    chunkBytes,
    chunks: Math.ceil(code.length / chunkBytes),
    retries: 0,
    crc32: crc,
    verified: false,
    tookConsoleFromFirmware: tookConsole,
    hello: null,
  };
  if (request.dryRun) {
    await handBack(session, tookConsole);
    return result;
  }
  stage("reset");
  await session.run("reset()");
  if (!(await session.evaluate("1", t.answerMs)))
    throw new FlashError(
      `${port} did not come back to its REPL after reset(); unplug and replug it, then try again`,
    );
  stage("upload");
  // The most the board ever acknowledged: what a broken transfer may have left behind.
  let written = 0;
  const progress = (bytes: number) => {
    written = Math.max(written, bytes);
    request.onProgress?.(bytes, code.length);
  };
  try {
    const writer =
      method === "packets" ? packetWriter(session, board, code, t) : lineWriter(session, board, code, t);
    const stats = await upload(session, code, chunkBytes, writer, progress);
    result.chunks = stats.chunks;
    result.retries = stats.retries;
  } catch (error) {
    throw await brokenUpload(session, error, written, code.length, board.id);
  }
  if (request.verify ?? true) {
    stage("verify");
    const boardCrc = await answer(session, `E.CRC32(require("Storage").read("${BOOT_FILE}"))`, t, "the CRC");
    if (boardCrc !== crc)
      throw new FlashError(
        `verification failed: ${port}'s ${BOOT_FILE} has CRC-32 ${String(boardCrc)}, the bundle ${crc}; ` +
          `the board holds something else than was sent: run timenode flash again`,
      );
    result.verified = true;
  }
  stage("load");
  session.skipReceived();
  await session.run("load()");
  stage("hello");
  result.hello = await waitForHello(session, t);
  if (result.hello === null)
    throw new FlashError(
      `${BOOT_FILE} is written${result.verified ? " and verified" : ""}, but no timenode hello came after load(): ` +
        `open the port in a terminal (screen ${port}) to see what the board prints`,
    );
  return result;
}

/** A failed transfer, with how far it got; the half-written file is erased when the link still works. */
async function brokenUpload(
  session: ReplSession,
  error: unknown,
  written: number,
  total: number,
  boardId: string,
): Promise<FlashError> {
  const port = session.link.name;
  const why = error instanceof Error ? error.message : String(error);
  const head = `upload to ${port} stopped with ${written} of ${total} bytes acknowledged (${why})`;
  if (!(error instanceof LinkLostError)) {
    const erased = await session
      .evaluate(`require("Storage").erase("${BOOT_FILE}")`, 2000)
      .then((r) => r !== undefined)
      .catch(() => false);
    if (erased)
      return new FlashError(
        `${head}; the half-written ${BOOT_FILE} was erased and the board waits at its REPL: run timenode flash again`,
      );
  }
  return new FlashError(
    `${head}; the board may hold a half-written ${BOOT_FILE}, which would fail at its next boot: ` +
      `reconnect it and run timenode flash --board ${boardId} --port ${port} again, or timenode flash --erase --port ${port}`,
  );
}

export interface EraseResult {
  port: string;
  espruinoBoard: string;
  espruinoVersion: string;
  hadBootFile: boolean;
}

/** Removes the boot code (after reset(), so nothing of it keeps running) and checks that it is gone. */
export async function eraseBootCode(
  session: ReplSession,
  timeouts: Partial<FlashTimeouts> = {},
): Promise<EraseResult> {
  const t = { ...DEFAULT_TIMEOUTS, ...timeouts };
  await reachRepl(session, t);
  const env = await readEnv(session, t);
  await session.run("reset()");
  if (!(await session.evaluate("1", t.answerMs)))
    throw new FlashError(
      `${session.link.name} did not come back to its REPL after reset(); unplug and replug it`,
    );
  const gone = await answer(
    session,
    `(require("Storage").erase("${BOOT_FILE}"),require("Storage").read("${BOOT_FILE}")===undefined)`,
    t,
    "the erase",
  );
  if (gone !== true) throw new FlashError(`${session.link.name} still has ${BOOT_FILE} after erasing it`);
  return {
    port: session.link.name,
    espruinoBoard: env.board,
    espruinoVersion: env.version,
    hadBootFile: env.bootFileBytes !== null,
  };
}
