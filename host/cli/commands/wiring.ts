// `timenode wiring list|check|show`: the GPS-module-to-board wiring files (wiring/), checked against the
// board profiles and the modules' facts, printed as a pin table and drawn as SVG.
import { writeFileSync } from "node:fs";
import {
  checkWiringFile,
  errorsOf,
  formatProblem,
  listWiringFiles,
  pinRows,
  pinsOf,
  wiringDiagram,
  type CheckedWiring,
  type WiringCheck,
  type WiringProblem,
} from "../../wiring/index.ts";
import { CliError, EXIT_FAILURE } from "../errors.ts";
import type { Output } from "../io.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";
import { formatTable } from "../table.ts";
import { describeFsError } from "../../fs-error.ts";

const HELP = `
A wiring file (wiring/<board>/<module>.json) says how a GPS module connects to a board: PPS pin, module
TX → board RX, optional board TX → module RX, power and ground. The module's facts (supply range, logic
level, PPS polarity and width, default baud, pin names) live once in wiring/modules/<id>.json, each with
the data sheet it comes from. \`check\` validates a file against wiring/wiring.schema.json and against
boards/<board>.json: the pins exist, the PPS pin can be watched, no EXTI line clash on STM32, the UART
pins belong to that UART, 3.3 V/5 V levels are compatible, the supply is in the module's range.

Exit status: 0 no errors (warnings allowed), 1 errors or an unreadable file, 2 usage error.

Examples:
  timenode wiring list
  timenode wiring check wiring/pico/neo-6m.json
  timenode wiring show wiring/pico/neo-6m.json --svg pico-neo-6m.svg`;

export const registerWiring: RegisterCommand = (program, ctx) => {
  const wiring = program
    .command("wiring")
    .description("check and draw how a GPS module is wired to a board (wiring/)")
    .addHelpText("after", HELP);
  wiring
    .command("list")
    .description("list the shipped wiring files and whether each checks clean")
    .option("--json", "print [{file, board, module, pins, errors, warnings}] as JSON")
    .action((options: { json?: boolean }) => runList(options, ctx));
  wiring
    .command("check")
    .argument("<file>", "a wiring file, e.g. wiring/pico/neo-6m.json")
    .description("validate a wiring file against its schema, its board profile and its module")
    .option("--json", "print {file, ok, board, module, pins, problems} as JSON")
    .action((file: string, options: { json?: boolean }) => runCheck(file, options, ctx));
  wiring
    .command("show")
    .argument("<file>", "a wiring file, e.g. wiring/pico/neo-6m.json")
    .description("print the pin table of a wiring file and optionally draw it as SVG")
    .option("--svg <out>", "write an SVG diagram to this file")
    .option("--json", "print {file, board, module, uart, baud, rows, pins, problems} as JSON")
    .action((file: string, options: { svg?: string; json?: boolean }) => runShow(file, options, ctx));
};

// ---------------------------------------------------------------------------------------------- list

function runList(options: { json?: boolean }, ctx: CommandContext): void {
  const checks = listWiringFiles().map(checkWiringFile);
  if (checks.some((check) => errorsOf(check.problems).length > 0)) ctx.exitCode = EXIT_FAILURE;
  if (options.json) {
    ctx.out.json(
      checks.map((check) => ({
        file: check.file,
        board: check.wiring?.board ?? null,
        module: check.wiring?.module ?? null,
        pins: complete(check) ? pinsOf(check) : null,
        errors: count(check.problems, "error"),
        warnings: count(check.problems, "warning"),
      })),
    );
    return;
  }
  const rows = checks.map((check) => {
    const pins = complete(check) ? pinsOf(check) : null;
    return [
      check.file,
      check.wiring?.board ?? "?",
      check.module?.name ?? check.wiring?.module ?? "?",
      pins?.ppsPin ?? "?",
      pins ? `${pins.gpsUart} rx ${pins.gpsRx} tx ${pins.gpsTx ?? "-"}` : "?",
      pins ? String(pins.gpsBaud) : "?",
      status(check.problems),
    ];
  });
  const table = formatTable(["FILE", "BOARD", "MODULE", "PPS", "UART", "BAUD", "STATUS"], rows);
  for (const line of table.split("\n")) ctx.out.line(line);
}

function status(problems: readonly WiringProblem[]): string {
  const errors = count(problems, "error");
  const warnings = count(problems, "warning");
  if (errors > 0) return `${plural(errors, "error")} (timenode wiring check)`;
  return warnings > 0 ? `ok, ${plural(warnings, "warning")}` : "ok";
}

// ---------------------------------------------------------------------------------------------- check

function runCheck(file: string, options: { json?: boolean }, ctx: CommandContext): void {
  const check = checkWiringFile(file);
  const errors = errorsOf(check.problems);
  if (errors.length > 0) ctx.exitCode = EXIT_FAILURE;
  if (options.json) {
    ctx.out.json({
      file,
      ok: errors.length === 0,
      board: check.wiring?.board ?? null,
      module: check.wiring?.module ?? null,
      pins: errors.length === 0 && complete(check) ? pinsOf(check) : null,
      problems: check.problems.map((problem) => ({ ...problem, message: formatProblem(problem) })),
    });
    return;
  }
  if (errors.length > 0) {
    for (const problem of check.problems) ctx.out.line(formatProblem(problem));
    const warnings = count(check.problems, "warning");
    const tail = warnings > 0 ? `, ${plural(warnings, "warning")}` : "";
    ctx.out.line(`${plural(errors.length, "error")}${tail} in ${file}`);
    return;
  }
  for (const problem of check.problems) ctx.out.warn(`timenode: ${formatProblem(problem)}`);
  ctx.out.line(`${file}: OK (${summary(check)})`);
}

function summary(check: WiringCheck): string {
  if (!complete(check)) return "";
  const pins = pinsOf(check);
  const warnings = count(check.problems, "warning");
  const tail = warnings > 0 ? `; ${plural(warnings, "warning")}` : "";
  return `${check.module.name} → ${check.board.name}: PPS ${pins.ppsPin}, ${pins.gpsUart} rx ${pins.gpsRx} tx ${pins.gpsTx ?? "-"} at ${pins.gpsBaud} baud, ${check.wiring.connections.power.volts} V supply${tail}`;
}

// ---------------------------------------------------------------------------------------------- show

function runShow(file: string, options: { svg?: string; json?: boolean }, ctx: CommandContext): void {
  const check = checkWiringFile(file);
  if (!complete(check)) {
    // Nothing to draw without a valid file, board and module: say why, as `check` does.
    throw new CliError(
      `${check.problems.map(formatProblem).join("\n")}\ncannot show ${file}; fix the problems above (timenode wiring check ${file})`,
    );
  }
  const errors = errorsOf(check.problems);
  if (errors.length > 0) {
    ctx.exitCode = EXIT_FAILURE;
    for (const problem of errors) ctx.out.warn(`timenode: ${formatProblem(problem)}`);
  }
  const checked: CheckedWiring = { ...check, problems: check.problems };
  if (options.svg !== undefined) writeSvg(options.svg, wiringDiagram(checked));
  const rows = pinRows(checked);
  if (options.json) {
    ctx.out.json({
      file,
      board: { id: check.board.id, name: check.board.name },
      module: { id: check.module.id, name: check.module.name, file: check.moduleFile },
      uart: check.wiring.connections.uart,
      baud: pinsOf(checked).gpsBaud,
      rows,
      pins: pinsOf(checked),
      problems: check.problems.map((problem) => ({ ...problem, message: formatProblem(problem) })),
      svg: options.svg ?? null,
    });
    return;
  }
  printShow(ctx.out, checked, rows);
  if (options.svg !== undefined) ctx.out.line(`wrote ${options.svg}`);
}

function printShow(out: Output, checked: CheckedWiring, rows: ReturnType<typeof pinRows>): void {
  const { wiring, board, module } = checked;
  const pins = pinsOf(checked);
  const width = module.pps.pulseWidthS.value;
  out.line(`${module.name} → ${board.name} [${checked.file}]`);
  out.line(
    `${pins.gpsUart} at ${pins.gpsBaud} baud; PPS on the ${module.pps.polarity.value} edge${width === null ? "" : `, ${width * 1000} ms wide`}; module facts: ${checked.moduleFile} (${module.datasheet})`,
  );
  out.line("");
  const table = formatTable(
    ["SIGNAL", "MODULE PIN", "BOARD PIN", "DIRECTION", "LEVEL"],
    rows.map((row) => [row.signal, row.modulePin, row.boardPin, row.direction, row.level]),
  );
  for (const line of table.split("\n")) out.line(line);
  const notes = [...(module.notes ?? []), ...(wiring.notes ?? [])];
  if (wiring.connections.power.from === "board") {
    notes.unshift(`Power pin: ${wiring.connections.power.source}.`);
  } else {
    notes.unshift(`Power: ${wiring.connections.power.description}; join its ground to the board's.`);
  }
  out.line("");
  out.line("Notes");
  for (const note of notes) out.line(`  - ${note}`);
}

function writeSvg(out: string, svg: string): void {
  try {
    writeFileSync(out, svg);
  } catch (error) {
    const why = describeFsError(error, "its directory does not exist");
    throw new CliError(`cannot write ${out}: ${why}; pass --svg a path in an existing, writable directory`);
  }
}

// ---------------------------------------------------------------------------------------------- shared

/** A check whose file, board and module all loaded (there may still be connection errors). */
function complete(check: WiringCheck): check is WiringCheck & Omit<CheckedWiring, "file" | "problems"> {
  return check.wiring !== null && check.board !== null && check.module !== null && check.moduleFile !== null;
}

function count(problems: readonly WiringProblem[], severity: WiringProblem["severity"]): number {
  return problems.filter((problem) => problem.severity === severity).length;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
