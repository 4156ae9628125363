// `timenode boards [--json]` lists the board profiles; `timenode boards show <id> [--json]` prints one
// with the source of every figure.
import type { Command } from "commander";
import {
  getBoard,
  InvalidBoardProfileError,
  listBoards,
  UnknownBoardError,
  type BoardProfile,
  type Oscillator,
  type Sourced,
} from "../../../boards/index.ts";
import { CliError } from "../errors.ts";
import type { Output } from "../io.ts";
import type { RegisterCommand } from "../main.ts";
import { formatTable } from "../table.ts";

export const registerBoards: RegisterCommand = (program, ctx) => {
  const boards = program
    .command("boards")
    .description("list the board profiles (boards/*.json)")
    .option("--json", "print every profile as JSON")
    .action((options: { json?: boolean }) => {
      const profiles = loadingProfiles(() => listBoards());
      if (options.json) ctx.out.json(profiles);
      else printTable(ctx.out, profiles);
    });
  boards
    .command("show")
    .argument("<id>", "board id, e.g. pico")
    .description("print one board profile in sections, with the source of every figure")
    .option("--json", "print the profile as JSON")
    .exitOverride()
    .action((id: string, _options: unknown, command: Command) => {
      // `boards` also defines --json and may claim the flag first, so read it from both levels.
      const json = Boolean(command.optsWithGlobals<{ json?: boolean }>().json);
      const profile = loadingProfiles(() => getBoard(id));
      if (json) ctx.out.json(profile);
      else printProfile(ctx.out, profile);
    });
};

function loadingProfiles<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof UnknownBoardError || error instanceof InvalidBoardProfileError) {
      throw new CliError(error.message);
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------- table

const TABLE_COLUMNS: ReadonlyArray<[heading: string, cell: (profile: BoardProfile) => string]> = [
  ["ID", (p) => p.id],
  ["NAME", (p) => p.name],
  ["MCU", (p) => (p.mcu.clockMHz > 0 ? `${p.mcu.part} ${p.mcu.clockMHz} MHz` : p.mcu.part)],
  ["JSVARS", (p) => formatJsVars(p.jsVars.value)],
  ["STORAGE", (p) => formatBytes(p.storageBytes.value)],
  ["QUANTUM", (p) => formatSeconds(p.timebase.quantumS.value)],
  [
    "OSCILLATOR",
    (p) => `${oscillatorKind(p.oscillator)} ${formatTolerance(p.oscillator.tolerancePpm.value)}`,
  ],
  ["TEMP SENSOR", (p) => temperatureSummary(p)],
];

function printTable(out: Output, profiles: readonly BoardProfile[]): void {
  const table = formatTable(
    TABLE_COLUMNS.map(([heading]) => heading),
    profiles.map((p) => TABLE_COLUMNS.map(([, cell]) => cell(p))),
  );
  for (const line of table.split("\n")) out.line(line);
}

function oscillatorKind(oscillator: Oscillator): string {
  switch (oscillator.type) {
    case "tuning-fork-32k":
      return "32k crystal";
    case "at-cut":
      return `${oscillator.nominalHz / 1e6} MHz crystal`;
    case "rc":
      return "RC";
    case "host":
      return "host clock";
  }
}

function temperatureSummary(profile: BoardProfile): string {
  const sensor = profile.temperature;
  if (!sensor.present) return "none (NaN)";
  if (sensor.reliable === false) return "unreliable";
  return sensor.resolutionC.value === null ? "present" : `${sensor.resolutionC.value} °C`;
}

// ---------------------------------------------------------------------------------------------- show

/** Builds indented "label: value" lines, each followed by its source when there is one. */
class Sections {
  readonly lines: string[] = [];

  heading(title: string): void {
    if (this.lines.length > 0) this.lines.push("");
    this.lines.push(title);
  }

  item(label: string, value: string, source?: string): void {
    this.lines.push(`  ${label}: ${value}`);
    if (source) this.lines.push(`      source: ${source}`);
  }

  figure<T>(label: string, figure: Sourced<T>, format: (value: T) => string): void {
    this.item(label, format(figure.value), figure.source);
  }

  text(text: string): void {
    this.lines.push(`  ${text}`);
  }
}

function printProfile(out: Output, profile: BoardProfile): void {
  const sections = new Sections();
  sections.lines.push(`${profile.name}  [${profile.id}, process.env.BOARD = ${profile.espruinoBoard}]`);
  describeHardware(sections, profile);
  describeLinks(sections, profile);
  describeTiming(sections, profile);
  describeOscillator(sections, profile.oscillator);
  describePins(sections, profile);
  if (profile.notes?.length) {
    sections.heading("Notes");
    for (const note of profile.notes) sections.text(`- ${note}`);
  }
  for (const line of sections.lines) out.line(line);
}

function describeHardware(sections: Sections, profile: BoardProfile): void {
  const { mcu } = profile;
  sections.heading("MCU and memory");
  const clock = mcu.clockMHz > 0 ? `, ${mcu.clockMHz} MHz` : "";
  const ram = mcu.ramKB > 0 ? `, ${mcu.ramKB} KB RAM` : "";
  sections.item("MCU", `${mcu.part}${clock}${ram}`, mcu.source);
  sections.figure("JsVars", profile.jsVars, formatJsVars);
  sections.figure("bytes per JsVar", profile.bytesPerVar, String);
  sections.figure("Storage", profile.storageBytes, (bytes) => `${formatBytes(bytes)} (${bytes} bytes)`);
  sections.figure(
    "IO queue",
    profile.ioQueueBytes,
    (bytes) => `${bytes} bytes (~${Math.floor(bytes / 6)} watch events)`,
  );
  sections.heading("Temperature sensor");
  const sensor = profile.temperature;
  sections.figure("E.getTemperature()", sensor.resolutionC, (resolution) => {
    if (!sensor.present) return "no sensor (returns NaN)";
    if (sensor.reliable === false) return "present but unreliable";
    return resolution === null ? "present" : `${resolution} °C resolution`;
  });
  if (sensor.notes) sections.text(sensor.notes);
}

function describeLinks(sections: Sections, profile: BoardProfile): void {
  const { console: consoleDevice } = profile;
  sections.heading("Console and transports");
  const baud = consoleDevice.baud === null ? "" : ` at ${consoleDevice.baud} baud`;
  const notes = consoleDevice.notes ? `; ${consoleDevice.notes}` : "";
  sections.item("console", `${consoleDevice.device}${baud}${notes}`, consoleDevice.source);
  for (const transport of profile.transports) {
    const transportBaud = transport.baud === undefined ? "" : ` at ${transport.baud} baud`;
    const transportNotes = transport.notes ? `; ${transport.notes}` : "";
    sections.item(transport.kind, `${transport.device}${transportBaud}${transportNotes}`, transport.source);
  }
  sections.heading("UARTs");
  for (const uart of profile.uarts) {
    const pins = `rx ${uart.rx ?? "-"}, tx ${uart.tx ?? "-"}${uart.anyPin ? " (any pin)" : ""}`;
    sections.item(uart.device, uart.notes ? `${pins}; ${uart.notes}` : pins, uart.source);
  }
}

function describeTiming(sections: Sections, profile: BoardProfile): void {
  const { timebase, interrupt } = profile;
  sections.heading(`Timebase (${timebase.kind})`);
  sections.text(timebase.description);
  sections.figure(
    "getTime() quantum",
    timebase.quantumS,
    (q) => `${formatSeconds(q)} (${timebase.sysTicksPerS} ticks/s)`,
  );
  sections.figure("setTime()", timebase.setTime, String);
  sections.heading("Pin-edge timestamps (setWatch)");
  sections.figure("latency", interrupt.latencyS, formatSeconds);
  sections.figure("jitter (RMS)", interrupt.jitterRmsS, formatSeconds);
  if (interrupt.worstCaseLatencyS) sections.figure("worst case", interrupt.worstCaseLatencyS, formatSeconds);
}

function describeOscillator(sections: Sections, oscillator: Oscillator): void {
  sections.heading(`Oscillator: ${oscillator.name}`);
  sections.text(`type ${oscillator.type}, nominal ${oscillator.nominalHz} Hz`);
  sections.figure("tolerance", oscillator.tolerancePpm, (ppm) =>
    ppm >= 10_000 ? `±${ppm} ppm (${formatTolerance(ppm)})` : `±${ppm} ppm`,
  );
  sections.figure("temperature curve", oscillator.temperature, (curve) => {
    switch (curve.model) {
      case "parabolic":
        return `parabolic, ${curve.kPpmPerC2} ppm/°C² around ${curve.turnoverC} °C`;
      case "cubic": {
        const quadratic = curve.kPpmPerC2 === undefined ? "" : ` ${signed(curve.kPpmPerC2)}·ΔT²`;
        return `cubic, ${curve.aPpmPerC}·ΔT${quadratic} ${signed(curve.bPpmPerC3)}·ΔT³ ppm, ΔT from ${curve.turnoverC} °C`;
      }
      case "none":
        return "no model";
    }
  });
  sections.figure("aging", oscillator.agingPpmPerYear, (ppm) => `±${ppm} ppm/year`);
  sections.figure(
    "noise (ADEV at 1 s)",
    oscillator.noise,
    (noise) =>
      `white FM ${formatRatio(noise.whiteFmAdev1s)}, random-walk FM ${formatRatio(noise.randomWalkFmAdev1s)}`,
  );
  if (oscillator.rcCalibration) {
    sections.figure(
      "RC calibration",
      oscillator.rcCalibration,
      (calibration) => `every ${calibration.periodS} s, steps up to ${calibration.stepPpm} ppm`,
    );
  }
}

function describePins(sections: Sections, profile: BoardProfile): void {
  const { pins } = profile;
  sections.heading("Pins");
  sections.item(`watchable (${pins.watchable.length})`, pins.watchable.join(" "), pins.source);
  sections.figure("EXTI", pins.extiRule, (rule) =>
    rule === "pin-number"
      ? `one watch per pin number (A8 and B8 conflict), ${pins.extiCount} lines`
      : `no pin-number rule, ${pins.extiCount} watches`,
  );
  if (pins.otherWatched)
    sections.figure("also watched by Espruino", pins.otherWatched, (list) => list.join(" "));
  if (pins.ppsAvailable?.value === false) {
    sections.figure(
      "default PPS",
      pins.ppsAvailable,
      () => `none (${pins.defaultPps} is only a placeholder)`,
    );
  } else {
    sections.item("default PPS", pins.defaultPps);
  }
  sections.item(
    "default GPS",
    `${pins.defaultGpsUart} rx ${pins.defaultGpsRx ?? "-"}, tx ${pins.defaultGpsTx ?? "-"}`,
  );
  const fiveVolt = pins.fiveVoltTolerant.length ? pins.fiveVoltTolerant.join(" ") : "none";
  sections.item("I/O", `${pins.ioVoltage} V; 5 V tolerant: ${fiveVolt}`);
}

// ---------------------------------------------------------------------------------------------- units

function formatJsVars(count: number): string {
  return count === 0 ? "resizable" : String(count);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} B`;
}

function formatSeconds(seconds: number): string {
  const threeDigits = (value: number): number => Number(value.toPrecision(3));
  if (seconds >= 1) return `${threeDigits(seconds)} s`;
  if (seconds >= 1e-3) return `${threeDigits(seconds * 1e3)} ms`;
  return `${threeDigits(seconds * 1e6)} µs`;
}

function formatTolerance(ppm: number): string {
  return ppm >= 10_000 ? `±${ppm / 10_000} %` : `±${ppm} ppm`;
}

function formatRatio(value: number): string {
  return value !== 0 && Math.abs(value) < 1e-3 ? value.toExponential() : String(value);
}

function signed(value: number): string {
  return value < 0 ? `- ${-value}` : `+ ${value}`;
}
