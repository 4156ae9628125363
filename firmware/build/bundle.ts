// Builds the firmware for one board: esbuild bundles firmware/src into one minified script with the
// board's constants inlined, then the Espruino-compatibility checker reads the final output, so nothing
// the bundler emits reaches a board unchecked. Violations point back at the TypeScript source.
import { buildSync, type BuildFailure } from "esbuild";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { BoardProfile } from "../../boards/types.ts";
import type { BoardConstants } from "../src/board-constants.ts";
import { checkScript, type Violation } from "./checker/index.ts";
import { estimateJsVars, type JsVarEstimate } from "./estimate.ts";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const FIRMWARE_SRC = join(REPO_ROOT, "firmware", "src");

export const GPS_DEFAULT_BAUD = 9600;

/**
 * Boards with fewer JsVars than this get the observer firmware without the time core: with it, the
 * code alone would need more than half of their variables (measured with `timenode build`).
 */
export const TIME_CORE_MIN_VARS = 2048;

/** Nor do boards whose Storage is smaller than this: the time-core bundle is about 24 KB. */
export const TIME_CORE_MIN_STORAGE_BYTES = 32 * 1024;

export type { BoardConstants };

export interface BuildOptions {
  board: BoardProfile;
  /** Receiver labelling: seconds added to each NMEA label (−1 when the receiver labels the next edge). */
  labelOffsetS?: number;
  leapPolicy?: "step" | "smear" | "none";
  /** WiFi boards: send records to this host over UDP instead of the serial host device. */
  udpHost?: UdpHost;
  /**
   * Boards with the time core: also act as PTP master towards the host, over whichever link carries
   * the records (UDP with udpHost, else the serial host device).
   */
  ptpMaster?: boolean;
  /** WiFi boards: take UTC from a PTP master over UDP (ports 319/320) instead of GPS. */
  ptpSlave?: boolean;
  /** Tag every record line with HMAC-SHA256 under this node key (hex, 16+ bytes; docs/truth.md). */
  authKey?: string;
  /** GPS pins and baud from a wiring file (host/wiring), instead of the board's defaults. */
  gpsPins?: GpsPins;
  /** Entry module; default firmware/src/main.ts (selftest.ts with `selftest`). */
  entry?: string;
  /** Build the self-test bundle instead of the firmware. */
  selftest?: boolean;
  /** JsVar budget; default half of the board's variables (no budget on resizable boards). */
  budgetVars?: number;
}

export interface BuildResult {
  board: string;
  code: string;
  /** Source map (v3 JSON) of `code`, sources relative to the repository root. */
  map: string;
  bytes: number;
  estimate: JsVarEstimate;
  budgetVars: number | null;
  violations: Violation[];
  /** Problems that fail the build: bundler errors, checker violations, a blown budget. */
  errors: string[];
}

export interface GpsPins {
  ppsPin: string;
  gpsUart: string;
  gpsRx: string;
  gpsTx: string | null;
  gpsBaud: number;
}

export interface UdpHost {
  address: string;
  port: number;
}

export function firmwareVersion(): string {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * Which serial device carries the host protocol: USB CDC where the board has it; else the console UART
 * when the GPS is elsewhere; else Bluetooth; else the GPS's own UART, whose TX then goes to the host
 * while its RX listens to the GPS (ESP8266: Serial2 cannot receive), which leaves no way to send
 * commands to the board.
 */
export function hostDeviceFor(board: BoardProfile): { device: string; baud: number; sharedWithGps: boolean } {
  const gpsUart = board.pins.defaultGpsUart;
  const byKind = (kind: string) => board.transports.find((t) => t.kind === kind);
  const usb = byKind("usb-cdc");
  if (usb) return { device: usb.device, baud: 0, sharedWithGps: false };
  const consoleLink = board.transports.find(
    (t) =>
      (t.kind === "uart" || t.kind === "stdio") && t.device === board.console.device && t.device !== gpsUart,
  );
  if (consoleLink) return { device: consoleLink.device, baud: consoleLink.baud ?? 0, sharedWithGps: false };
  const ble = byKind("ble");
  if (ble) return { device: ble.device, baud: 0, sharedWithGps: false };
  const gpsLink = board.transports.find((t) => t.kind === "uart" && t.device === gpsUart);
  if (gpsLink) return { device: gpsLink.device, baud: GPS_DEFAULT_BAUD, sharedWithGps: true };
  throw new Error(`board ${board.id} has no serial link for the host; add a uart, usb-cdc or ble transport`);
}

function temperatureCurve(board: BoardProfile) {
  const curve = board.oscillator.temperature.value;
  if (curve.model === "parabolic") {
    return { turnoverC: curve.turnoverC, aPpmPerC: 0, kPpmPerC2: curve.kPpmPerC2, bPpmPerC3: 0 };
  }
  if (curve.model === "cubic") {
    return {
      turnoverC: curve.turnoverC,
      aPpmPerC: curve.aPpmPerC,
      kPpmPerC2: curve.kPpmPerC2 ?? 0,
      bPpmPerC3: curve.bPpmPerC3,
    };
  }
  return { turnoverC: 25, aPpmPerC: 0, kPpmPerC2: 0, bPpmPerC3: 0 };
}

export function boardConstants(
  board: BoardProfile,
  selftest: boolean,
  receiver: {
    labelOffsetS?: number;
    leapPolicy?: BoardConstants["leapPolicy"];
    udpHost?: UdpHost;
    gpsPins?: GpsPins;
    ptpMaster?: boolean;
    ptpSlave?: boolean;
    authKey?: string;
  } = {},
): BoardConstants {
  const host = hostDeviceFor(board);
  const curve = temperatureCurve(board);
  return {
    id: board.id,
    espruinoBoard: board.espruinoBoard,
    jsVars: board.jsVars.value,
    quantumNs: Math.round(board.timebase.quantumS.value * 1e9),
    sysTicksPerS: board.timebase.sysTicksPerS,
    hostDevice: host.device,
    hostBaud: host.baud,
    gpsUart: receiver.gpsPins?.gpsUart ?? board.pins.defaultGpsUart,
    gpsBaud: receiver.gpsPins?.gpsBaud ?? GPS_DEFAULT_BAUD,
    gpsRx: receiver.gpsPins?.gpsRx ?? board.pins.defaultGpsRx,
    gpsTx: receiver.gpsPins ? receiver.gpsPins.gpsTx : board.pins.defaultGpsTx,
    ppsPin: receiver.gpsPins?.ppsPin ?? board.pins.defaultPps,
    // USB and Bluetooth become the console whenever they connect, so the firmware always claims the
    // host link for itself (espruino.md §5).
    moveConsole: true,
    latencyNs: Math.round(board.interrupt.latencyS.value * 1e9),
    jitterNs: Math.round(board.interrupt.jitterRmsS.value * 1e9),
    tolerancePpb: board.oscillator.tolerancePpm.value * 1000,
    whiteFmAdev1s: board.oscillator.noise.value.whiteFmAdev1s,
    randomWalkFmAdev1s: board.oscillator.noise.value.randomWalkFmAdev1s,
    agingPpmPerYear: board.oscillator.agingPpmPerYear.value,
    tempTurnoverC: curve.turnoverC,
    tempAPpmPerC: curve.aPpmPerC,
    tempKPpmPerC2: curve.kPpmPerC2,
    tempBPpmPerC3: curve.bPpmPerC3,
    tempResolutionC: board.temperature.resolutionC.value ?? 0,
    oscillatorRc: board.oscillator.rcCalibration !== undefined,
    rcStepPpm: board.oscillator.rcCalibration?.value.stepPpm ?? 0,
    labelOffsetS: receiver.labelOffsetS ?? 0,
    leapPolicy: receiver.leapPolicy ?? "step",
    timeCore:
      (board.jsVars.value === 0 || board.jsVars.value >= TIME_CORE_MIN_VARS) &&
      board.storageBytes.value >= TIME_CORE_MIN_STORAGE_BYTES &&
      receiver.ptpSlave !== true,
    hostSharedWithGps: host.sharedWithGps,
    udpHost: receiver.udpHost?.address ?? "",
    udpPort: receiver.udpHost?.port ?? 0,
    ptpMaster: receiver.ptpMaster === true,
    ptpSerial: receiver.ptpMaster === true && receiver.udpHost === undefined,
    ptpSlave: receiver.ptpSlave === true,
    authKey: receiver.authKey ?? "",
    firmwareVersion: firmwareVersion(),
    selftest,
  };
}

export function defaultBudget(board: BoardProfile): number | null {
  return board.jsVars.value > 0 ? Math.floor(board.jsVars.value / 2) : null;
}

function bundlerErrors(error: unknown): string[] {
  const failure = error as Partial<BuildFailure>;
  if (!failure.errors) return [String(error)];
  return failure.errors.map((e) =>
    e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ${e.text}` : e.text,
  );
}

export function buildFirmware(options: BuildOptions): BuildResult {
  const board = options.board;
  const constants = boardConstants(board, options.selftest ?? false, {
    ...(options.labelOffsetS !== undefined ? { labelOffsetS: options.labelOffsetS } : {}),
    ...(options.leapPolicy !== undefined ? { leapPolicy: options.leapPolicy } : {}),
    ...(options.udpHost !== undefined ? { udpHost: options.udpHost } : {}),
    ...(options.gpsPins !== undefined ? { gpsPins: options.gpsPins } : {}),
    ...(options.ptpMaster !== undefined ? { ptpMaster: options.ptpMaster } : {}),
    ...(options.ptpSlave !== undefined ? { ptpSlave: options.ptpSlave } : {}),
    ...(options.authKey !== undefined ? { authKey: options.authKey.toLowerCase() } : {}),
  });
  const entry = options.entry ?? join(FIRMWARE_SRC, options.selftest ? "selftest.ts" : "main.ts");
  const budgetVars = options.budgetVars ?? defaultBudget(board);
  const empty: BuildResult = {
    board: board.id,
    code: "",
    map: "",
    bytes: 0,
    estimate: { ramVars: 0, storageVars: 0, charsPerBlock: 0 },
    budgetVars,
    violations: [],
    errors: [],
  };
  if (options.udpHost && !board.transports.some((t) => t.kind === "wifi-udp"))
    return {
      ...empty,
      errors: [`${board.id} has no WiFi: only boards with a wifi-udp transport can send records over UDP`],
    };
  if (constants.ptpSlave && (constants.ptpMaster || !board.transports.some((t) => t.kind === "wifi-udp")))
    return {
      ...empty,
      errors: [
        constants.ptpMaster
          ? "a board is PTP master or PTP slave, not both"
          : `a PTP slave needs WiFi: ${board.id} has no wifi-udp transport`,
      ],
    };
  if (options.authKey !== undefined && !/^([0-9a-fA-F]{2}){16,}$/.test(options.authKey))
    return {
      ...empty,
      errors: ["a node key is at least 32 hex digits (16 bytes), an even number of them"],
    };
  if (constants.ptpMaster && !constants.timeCore)
    return {
      ...empty,
      errors: [`a PTP master needs the time core, and ${board.id} is too small for it`],
    };
  if (constants.ptpSerial && constants.hostSharedWithGps)
    return {
      ...empty,
      errors: [
        `${board.id}'s serial host link is the GPS UART's TX and cannot receive the host's Delay_Req: ` +
          `a PTP master on it needs a UDP host (--udp-host)`,
      ],
    };
  if (options.udpHost && !/^\d{1,3}(\.\d{1,3}){3}$/.test(options.udpHost.address))
    return {
      ...empty,
      errors: [`UDP host "${options.udpHost.address}" must be an IPv4 address (boards do no DNS)`],
    };
  let code: string;
  let map: string;
  try {
    const result = buildSync({
      absWorkingDir: REPO_ROOT,
      entryPoints: [entry],
      bundle: true,
      // "esm" with no exports gives a plain script whose top-level state is `var`s (global on the board).
      format: "cjs",
      // ES2020 passes every construct through untouched (nothing lowered behind the checker's back);
      // es2021's logical assignment would be emitted by the minifier and is not known to work on Espruino.
      target: "es2020",
      platform: "neutral",
      // Espruino's built-in modules: resolved by require() on the board.
      external: ["dgram", "Storage", "Wifi"],
      minify: true,
      legalComments: "none",
      charset: "ascii",
      sourcemap: "external",
      write: false,
      outfile: join(REPO_ROOT, `timenode-${board.id}.js`),
      tsconfig: join(REPO_ROOT, "firmware", "tsconfig.json"),
      // One define per property, so each folds to a literal (no TN_BOARD object costs JsVars on the
      // board) and `if (TN_BOARD.selftest)` branches disappear.
      define: {
        ...Object.fromEntries(
          Object.entries(constants).map(([key, value]) => [`TN_BOARD.${key}`, JSON.stringify(value)]),
        ),
        TN_HOST_DEVICE: constants.hostDevice,
        TN_GPS_SERIAL: constants.gpsUart,
      },
      logLevel: "silent",
    });
    const js = result.outputFiles.find((f) => f.path.endsWith(".js"));
    const jsMap = result.outputFiles.find((f) => f.path.endsWith(".js.map"));
    if (!js || !jsMap) return { ...empty, errors: ["esbuild produced no output"] };
    code = js.text.replace(/\n$/, "");
    map = jsMap.text;
  } catch (error) {
    return { ...empty, errors: bundlerErrors(error) };
  }
  const check = checkScript(code, { fileName: `timenode-${board.id}.js`, sourceMap: map });
  const estimate = estimateJsVars(code, board.bytesPerVar.value);
  const errors: string[] = [];
  if (check.parseError) errors.push(`the bundle does not parse: ${check.parseError.message}`);
  if (check.violations.length > 0)
    errors.push(`${check.violations.length} Espruino-compatibility violation(s)`);
  const bytes = Buffer.byteLength(code, "latin1");
  if (bytes > board.storageBytes.value) {
    errors.push(
      `the bundle is ${bytes} bytes, larger than the board's ${board.storageBytes.value}-byte Storage`,
    );
  }
  if (budgetVars !== null && estimate.storageVars > budgetVars) {
    errors.push(
      constants.authKey !== "" && !constants.ptpMaster && !constants.ptpSlave
        ? `signed records do not fit on ${board.id}: the code would need about ${estimate.storageVars} JsVars ` +
            `from Storage, over the budget of ${budgetVars} (half of ${board.jsVars.value}); build it without a node key`
        : constants.ptpMaster || constants.ptpSlave
          ? `a PTP ${constants.ptpSlave ? "slave" : "master"} does not fit on ${board.id}: the code would need about ${estimate.storageVars} JsVars ` +
            `from Storage, over the budget of ${budgetVars} (half of ${board.jsVars.value}); build it without --ptp-${constants.ptpSlave ? "slave" : "master"}`
          : `the code needs about ${estimate.storageVars} JsVars from Storage, over the budget of ${budgetVars} ` +
            `(half of ${board.jsVars.value}); shrink firmware/src or pass --budget`,
    );
  }
  return {
    board: board.id,
    code,
    map,
    bytes,
    estimate,
    budgetVars,
    violations: check.violations,
    errors,
  };
}

/** Path of a firmware source file relative to the repository, for messages. */
export function repoRelative(path: string): string {
  return relative(REPO_ROOT, path);
}
