import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { getBoard, listBoards } from "../../../boards/index.ts";
import type { BoardProfile } from "../../../boards/types.ts";
import {
  buildFirmware,
  type BuildOptions,
  type BuildResult,
  type GpsPins,
} from "../../../firmware/build/bundle.ts";
import { formatViolation } from "../../../firmware/build/checker/index.ts";
import { type Command, Option } from "commander";
import { CliError, UsageError } from "../errors.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";
import { InvalidWiringError, loadWiring } from "../../wiring/load.ts";
import { pinsOf } from "../../wiring/pins.ts";
import { parseLabelOffset, parsePositiveInt, parseUdpEndpointOption } from "../options.ts";

/** What the firmware is built with: shared by `build` and `flash`. */
export interface FirmwareOptions {
  board?: string;
  labelOffset?: number;
  leapPolicy?: "step" | "smear" | "none";
  udpHost?: { host: string; port: number };
  ptpMaster?: boolean;
  ptpSlave?: boolean;
  /** Node key (hex) the firmware tags its record lines with. */
  authKey?: string;
  wiring?: string;
}

interface BuildCommandOptions extends FirmwareOptions {
  all?: boolean;
  out?: string;
  selftest?: boolean;
  budget?: number;
  json?: boolean;
}

/** The firmware options of `build` and `flash`. */
export function addFirmwareOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--label-offset <s>",
        "seconds added to the receiver's NMEA labels: -1 for receivers that label the next PPS edge",
      ).argParser(parseLabelOffset),
    )
    .addOption(
      new Option(
        "--leap-policy <policy>",
        "how the UTC clock shows a leap second (firmware/src/leap.ts)",
      ).choices(["step", "smear", "none"]),
    )
    .option(
      "--wiring <file>",
      "take the board and its GPS pins and baud from a wiring file (see timenode wiring list)",
    )
    .option(
      "--udp-host <addr:port>",
      "WiFi boards: send records over UDP to the collector at this IPv4 address (timenode collect --udp)",
      parseUdpEndpointOption,
    )
    .option(
      "--ptp-master",
      "boards with the time core: also be PTP master towards the host, over UDP with --udp-host, else as #TP2 lines on the serial host link (timenode sync --role slave, docs/sync.md)",
    )
    .option(
      "--ptp-slave",
      "WiFi boards: take UTC from a PTP master over UDP instead of GPS (timenode sync --role master, docs/sync.md)",
    );
}

/** The BuildOptions for one board from the firmware options (pins from the wiring, if any). */
export function firmwareBuildOptions(
  board: BoardProfile,
  options: FirmwareOptions,
  wiring: { pins: GpsPins } | null,
): BuildOptions {
  return {
    board,
    ...(options.labelOffset !== undefined ? { labelOffsetS: options.labelOffset } : {}),
    ...(options.leapPolicy !== undefined ? { leapPolicy: options.leapPolicy } : {}),
    ...(options.udpHost ? { udpHost: { address: options.udpHost.host, port: options.udpHost.port } } : {}),
    ...(options.ptpMaster ? { ptpMaster: true } : {}),
    ...(options.ptpSlave ? { ptpSlave: true } : {}),
    ...(options.authKey !== undefined ? { authKey: options.authKey } : {}),
    ...(wiring ? { gpsPins: wiring.pins } : {}),
  };
}

/** The wiring file's board and GPS pins; every problem in the file makes the build refuse. */
export function wiringOf(options: FirmwareOptions): { board: string; pins: GpsPins } | null {
  if (options.wiring === undefined) return null;
  let checked;
  try {
    checked = loadWiring(options.wiring);
  } catch (error) {
    if (error instanceof InvalidWiringError)
      throw new CliError(`${options.wiring} has problems:\n${error.message}`);
    throw error;
  }
  if (options.board !== undefined && options.board !== checked.board.id)
    throw new UsageError(
      `${options.wiring} is wiring for ${checked.board.id}, not ${options.board}; drop --board or pick a wiring file for ${options.board}`,
    );
  return { board: checked.board.id, pins: pinsOf(checked) };
}

function boardsToBuild(options: BuildCommandOptions) {
  if (options.all && options.board) throw new UsageError("give either --board <id> or --all, not both");
  if (options.all && options.out)
    throw new UsageError("--out names one file; with --all, bundles go to out/");
  if (options.all) return listBoards();
  if (!options.board) throw new UsageError("which board? give --board <id> (see `timenode boards`) or --all");
  try {
    return [getBoard(options.board)];
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

function describe(result: BuildResult, file: string): string {
  const budget = result.budgetVars === null ? "no budget (resizable)" : `budget ${result.budgetVars}`;
  return (
    `${result.board}: ${file} ${result.bytes} bytes; JsVars ≈ ${result.estimate.storageVars} from Storage, ` +
    `≈ ${result.estimate.ramVars} if uploaded to RAM (${budget})`
  );
}

function run(options: BuildCommandOptions, ctx: CommandContext): void {
  if (options.all && options.wiring !== undefined)
    throw new UsageError("--wiring is for one board; leave out --all");
  const wiring = wiringOf(options);
  const boards = boardsToBuild(wiring ? { ...options, board: wiring.board } : options);
  const reports = [];
  for (const board of boards) {
    const result = buildFirmware({
      ...firmwareBuildOptions(board, options, wiring),
      selftest: options.selftest ?? false,
      ...(options.budget !== undefined ? { budgetVars: options.budget } : {}),
    });
    const suffix = options.selftest ? "-selftest" : "";
    const file = resolve(options.out ?? join("out", `timenode-${board.id}${suffix}.js`));
    if (result.errors.length === 0) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, result.code, "latin1");
      writeFileSync(file + ".map", result.map);
    } else {
      ctx.exitCode = 1;
    }
    reports.push({
      board: result.board,
      ok: result.errors.length === 0,
      file: result.errors.length === 0 ? file : null,
      bytes: result.bytes,
      jsVars: {
        storage: result.estimate.storageVars,
        ram: result.estimate.ramVars,
        budget: result.budgetVars,
      },
      violations: result.violations,
      errors: result.errors,
    });
    if (options.json) continue;
    for (const violation of result.violations) ctx.out.warn(formatViolation(violation));
    for (const error of result.errors) ctx.out.warn(`${board.id}: ${error}`);
    if (result.errors.length === 0) ctx.out.line(describe(result, file));
  }
  if (options.json) ctx.out.json(options.all ? reports : reports[0]);
}

export const registerBuild: RegisterCommand = (program, ctx) => {
  const command = program
    .command("build")
    .description(
      "compile firmware/src into one minified Espruino script for a board, checked for Espruino compatibility",
    )
    .option("--board <id>", "board profile id (see `timenode boards`)")
    .option("--all", "build for every board (into out/)")
    .option("--out <file>", "output file (default out/timenode-<board>.js; a .map is written beside it)")
    .option("--selftest", "build the self-test bundle instead of the firmware")
    .option("--budget <vars>", "JsVar budget (default: half of the board's variables)", parsePositiveInt)
    .option(
      "--auth-key <hex>",
      "node key (32+ hex digits): the board tags every record line with HMAC-SHA256 under it (timenode collect --keys); timenode flash --keys sets one per board",
    );
  addFirmwareOptions(command)
    .option("--json", "print the result as JSON")
    .action((options: BuildCommandOptions) => run(options, ctx));
};
