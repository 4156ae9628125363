import { Option } from "commander";
import { getBoard } from "../../../boards/index.ts";
import type { BoardProfile } from "../../../boards/types.ts";
import { buildFirmware, hostDeviceFor } from "../../../firmware/build/bundle.ts";
import { eraseBootCode, flashBoard, type BoardEnv, type FlashResult, BOOT_FILE } from "../../flash/flash.ts";
import { ensureNodeKey, KeyFileError } from "../../truth/key-file.ts";
import { LinkOpenError, openSerialByteLink, type ByteLink } from "../../flash/link.ts";
import { FlashError, ReplSession } from "../../flash/repl-session.ts";
import { CliError, UsageError } from "../errors.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";
import { parsePositiveInt } from "../options.ts";
import { addFirmwareOptions, firmwareBuildOptions, wiringOf, type FirmwareOptions } from "./build.ts";

/** Baud for a board's console when none is given; USB CDC ignores it. */
const FALLBACK_BAUD = 115200;
const BAR_WIDTH = 30;

interface FlashCommandOptions extends FirmwareOptions {
  port?: string;
  baud?: number;
  dryRun?: boolean;
  verify: boolean;
  erase?: boolean;
  method: "auto" | "packets" | "lines";
  keys?: string;
  json?: boolean;
}

function chosenBoard(options: FlashCommandOptions): {
  board: BoardProfile;
  wiring: ReturnType<typeof wiringOf>;
} {
  let wiring;
  try {
    wiring = wiringOf(options);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CliError) throw error;
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const id = wiring?.board ?? options.board;
  if (id === undefined)
    throw new UsageError("which board? give --board <id> (see timenode boards) or --wiring <file>");
  try {
    return { board: getBoard(id), wiring };
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

function bundle(board: BoardProfile, options: FirmwareOptions, wiring: ReturnType<typeof wiringOf>): string {
  const result = buildFirmware(firmwareBuildOptions(board, options, wiring));
  if (result.errors.length > 0)
    throw new CliError(`the firmware for ${board.id} does not build: ${result.errors.join("; ")}`);
  return result.code;
}

async function openLink(path: string, baud: number): Promise<ByteLink> {
  try {
    return await openSerialByteLink(path, baud);
  } catch (error) {
    if (error instanceof LinkOpenError) throw new CliError(error.message);
    throw error;
  }
}

function bar(written: number, total: number): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((written / total) * BAR_WIDTH);
  return `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${(written / 1024).toFixed(1)}/${(total / 1024).toFixed(1)} KiB`;
}

function describe(result: FlashResult): string[] {
  const what = `${result.bytes} bytes as ${BOOT_FILE} on ${result.port} (${result.espruinoBoard}, Espruino ${result.espruinoVersion})`;
  if (result.dryRun)
    return [
      `dry run: would write ${what} with ${result.method === "packets" ? "file-transfer packets" : "Storage.write lines"}, ` +
        `${result.chunks} chunks of ${result.chunkBytes} bytes; nothing was changed`,
    ];
  return [
    `wrote ${what} in ${result.chunks} chunks of ${result.chunkBytes} bytes (${result.method}${result.retries > 0 ? `, ${result.retries} retries` : ""})`,
    result.verified
      ? `verified: the board's CRC-32 of ${BOOT_FILE} is ${result.crc32}, the same as the bundle's`
      : "not verified (--no-verify)",
    result.hello
      ? `running: timenode ${result.hello.firmwareVersion} on board serial ${result.hello.serial}, boot ${result.hello.bootId}`
      : "",
  ].filter(Boolean);
}

async function run(options: FlashCommandOptions, ctx: CommandContext): Promise<void> {
  if (options.port === undefined) throw new UsageError("which port? give --port <path> (see timenode ports)");
  if (options.keys !== undefined && options.authKey !== undefined)
    throw new UsageError(
      "give --keys <file> (a key per board, made as needed) or a build's --auth-key, not both",
    );
  if (options.erase && (options.dryRun || options.wiring !== undefined))
    throw new UsageError("--erase removes the boot code; it takes no --dry-run or --wiring");
  const chosen = options.erase && options.board === undefined ? null : chosenBoard(options);
  let keyNote: string | null = null;
  // With a key file the board gets its own node key, made (and saved) the first time it is flashed.
  const keyed =
    (board: BoardProfile, wiring: ReturnType<typeof wiringOf>, keys: string) => (env: BoardEnv) => {
      let key;
      try {
        key = ensureNodeKey(keys, env.serial);
      } catch (error) {
        if (error instanceof KeyFileError) throw new FlashError(error.message);
        throw error;
      }
      keyNote = `${key.created ? "made a node key for" : "used the node key of"} board serial ${env.serial} in ${keys}`;
      return bundle(board, { ...options, authKey: key.keyHex }, wiring);
    };
  const code =
    options.erase || chosen === null
      ? ""
      : options.keys === undefined
        ? bundle(chosen.board, options, chosen.wiring)
        : keyed(chosen.board, chosen.wiring, options.keys);
  const baud = options.baud ?? (chosen ? hostDeviceFor(chosen.board).baud : 0) ?? 0;
  const link = await openLink(options.port, baud > 0 ? baud : FALLBACK_BAUD);
  const session = new ReplSession(link);
  try {
    if (options.erase) {
      const erased = await eraseBootCode(session);
      if (options.json) ctx.out.json({ erased: true, ...erased });
      else
        ctx.out.line(
          erased.hadBootFile
            ? `erased ${BOOT_FILE} on ${erased.port} (${erased.espruinoBoard}, Espruino ${erased.espruinoVersion}); the board waits at its REPL`
            : `${erased.port} had no ${BOOT_FILE}; nothing to erase`,
        );
      return;
    }
    const board = (chosen as { board: BoardProfile }).board;
    const result = await flashBoard(session, {
      board,
      code,
      method: options.method,
      verify: options.verify,
      dryRun: options.dryRun ?? false,
      onStage: (stage) => ctx.out.progress(`${board.id} on ${options.port}: ${stage}…`),
      onProgress: (written, total) =>
        ctx.out.progress(`${board.id} on ${options.port}: upload ${bar(written, total)}`),
    });
    ctx.out.progressDone();
    if (options.json) ctx.out.json({ ...result, nodeKey: keyNote });
    else for (const line of [...describe(result), ...(keyNote ? [keyNote] : [])]) ctx.out.line(line);
  } catch (error) {
    ctx.out.progressDone();
    if (error instanceof FlashError) throw new CliError(error.message);
    throw error;
  } finally {
    await link.close();
  }
}

export const registerFlash: RegisterCommand = (program, ctx) => {
  const command = program
    .command("flash")
    .description(
      "build the firmware and write it to a board's Storage through its REPL, offline; verify it by CRC-32 and wait for the firmware to start",
    )
    .option("--board <id>", "board profile id (see `timenode boards`); the board must report the same kind")
    .option("--port <path>", "the board's serial port (see `timenode ports`)")
    .option(
      "--baud <n>",
      "serial speed (default: the board's console speed; USB ignores it)",
      parsePositiveInt,
    )
    .option("--dry-run", "find the board, read its process.env and Storage, check everything, change nothing")
    .option("--no-verify", "skip the CRC-32 comparison of what the board holds with the bundle")
    .option("--erase", "remove the boot code (.bootcde) instead, e.g. after an upload that was cut off")
    .option(
      "--keys <file>",
      "sign records: the board's node key from this key file (made and added when the board has none), the file timenode collect --keys reads",
    )
    .addOption(
      new Option(
        "--method <how>",
        "upload with file-transfer packets (Espruino 2v25+) or Storage.write lines",
      )
        .choices(["auto", "packets", "lines"])
        .default("auto"),
    );
  addFirmwareOptions(command)
    .option("--json", "print the result as JSON")
    .action((options: FlashCommandOptions) => run(options, ctx));
};
