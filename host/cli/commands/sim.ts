import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { Option } from "commander";
import { createLab, type Lab, type LabNode } from "../../../sim/lab.ts";
import { getScenario, scenarioNames } from "../../../sim/scenarios.ts";
import { CONTROL_COMMANDS, createLabControl, type LabControl, type Pluggable } from "../../lab/control.ts";
import { openPtyBridge, type PtyBridge } from "../../lab/pty-bridge.ts";
import { openUdpBridge, type UdpBridge } from "../../lab/udp-bridge.ts";
import { openUdpUplink } from "../../lab/udp-uplink.ts";
import { runLab, type LabRunSummary, type NodeSummary } from "../../lab/run.ts";
import { CliError, UsageError } from "../errors.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";
import {
  parseEspruinoVersion,
  parseLabelOffset,
  parseNonNegativeInt,
  parsePort,
  parsePositiveNumber,
  parseUdpEndpointOption,
} from "../options.ts";
import { checkLabChoices } from "../lab-choices.ts";
import { formatTable } from "../table.ts";
import { runUntilStopped } from "../until-stopped.ts";
import { fixed, formatNs } from "../units.ts";

export const DEFAULT_SIM_BOARDS = ["pico", "esp32", "puckjs"];

interface SimOptions {
  board: string[];
  scenario: string;
  seed: number;
  duration?: number;
  speed: number;
  pty?: string | true;
  udp?: number;
  labelOffset?: number;
  control?: boolean;
  udpCollector?: { host: string; port: number };
  blank?: boolean;
  espruino?: string;
  ptpMaster?: boolean;
  json?: boolean;
}

function summaryTable(nodes: NodeSummary[]): string {
  return formatTable(
    [
      "NODE",
      "OSCILLATOR",
      "RECORDS",
      "LOST",
      "REJECTED",
      "PPS",
      "LABELS",
      "FREQ ppm (PPS)",
      "± ppm",
      "SERVO ppm",
      "TRUTH ppm",
      "UTC rms",
      "95% BOUND",
      "IN 95%",
      "IN HARD",
      "VARS",
    ],
    nodes.map((n) => [
      n.name,
      n.oscillator,
      String(n.records),
      String(n.missingRecords),
      String(Object.values(n.rejectedLines).reduce((a, b) => a + b, 0)),
      String(n.ppsEdges),
      String(n.labels.valid + n.labels.invalid + n.labels.unflagged),
      fixed(n.frequency.measuredPpm, 4),
      fixed(n.frequency.standardErrorPpm, 4),
      n.servo ? fixed(n.servo.freqPpm, 4) : "—",
      fixed(n.frequency.truthPpm, 4),
      n.clock ? formatNs(n.clock.rmsErrorNs) : "—",
      n.clock ? `±${formatNs(n.clock.medianHalfWidth95Ns)}` : "—",
      n.clock ? `${(100 * n.clock.inside95).toFixed(1)}%` : "—",
      n.clock ? `${(100 * n.clock.insideHard).toFixed(1)}%` : "—",
      `${n.memory.usedVars}/${n.memory.totalVars}`,
    ]),
  );
}

function printSummary(summary: LabRunSummary, ctx: CommandContext, json: boolean): void {
  if (json) {
    ctx.out.json(summary);
    return;
  }
  ctx.out.line(
    `virtual lab: scenario ${summary.scenario}, seed ${summary.seed}, ${summary.durationS} s of virtual time`,
  );
  ctx.out.line(summaryTable(summary.nodes));
  for (const node of summary.nodes) {
    for (const error of node.uncaughtErrors) ctx.out.warn(`${node.name}: ${error}`);
    const check = node.labelCheck;
    if (check && check.suggestedLabelOffsetS !== null && check.suggestedLabelOffsetS !== 0) {
      ctx.out.warn(
        `${node.name}: its UTC is ${check.medianDifferenceS.toFixed(3)} s off the host's clock: the receiver labels ` +
          `the next PPS edge; build its firmware with --label-offset ${check.suggestedLabelOffsetS}`,
      );
    } else if (check && check.suggestedLabelOffsetS === null) {
      ctx.out.warn(`${node.name}: its UTC is ${check.medianDifferenceS.toFixed(3)} s off the host's clock`);
    }
  }
}

function runFast(options: SimOptions, ctx: CommandContext): void {
  const durationS = options.duration ?? getScenario(options.scenario).defaultDurationS;
  const summary = runLab({
    boards: options.board,
    scenario: options.scenario,
    seed: options.seed,
    ...(options.labelOffset !== undefined ? { labelOffsetS: options.labelOffset } : {}),
    durationS,
    onProgress: (t, total) => ctx.out.progress(`simulating… ${Math.round((100 * t) / total)} %`),
  });
  ctx.out.progressDone();
  printSummary(summary, ctx, options.json ?? false);
  if (summary.nodes.some((n) => n.uncaughtErrors.length > 0)) ctx.exitCode = 1;
}

/** A board's pty, which the control channel can pull out and plug back in. */
interface PtyPlug {
  path: string;
  bridge: PtyBridge | null;
  /** Host → board bytes still allowed before the cable is pulled (null: no cut planned). */
  bytesBeforeCut: number | null;
}

/** A USB or Bluetooth link takes the console while connected; a UART console is always there. */
function linkTakesConsole(node: LabNode): boolean {
  return !/^Serial\d$/.test(node.hostDevice);
}

async function plugIn(node: LabNode, plug: PtyPlug): Promise<void> {
  const bridge = await openPtyBridge(plug.path);
  bridge.onData((data) => {
    if (plug.bridge !== bridge) return;
    if (plug.bytesBeforeCut === null || data.length < plug.bytesBeforeCut) {
      if (plug.bytesBeforeCut !== null) plug.bytesBeforeCut -= data.length;
      node.sendToBoard(data);
      return;
    }
    // The cable comes out in the middle of this write: the board gets only what was before the cut.
    node.sendToBoard(data.slice(0, plug.bytesBeforeCut));
    plug.bytesBeforeCut = null;
    void unplug(node, plug);
  });
  plug.bridge = bridge;
  if (linkTakesConsole(node)) node.board.connectHost(node.hostDevice);
}

async function unplug(node: LabNode, plug: PtyPlug): Promise<void> {
  const bridge = plug.bridge;
  plug.bridge = null;
  if (bridge !== null && linkTakesConsole(node)) node.board.disconnectHost();
  await bridge?.close();
}

async function exposePtys(lab: Lab, dir: string): Promise<PtyPlug[]> {
  const plugs: PtyPlug[] = [];
  for (const node of lab.nodes) {
    const plug: PtyPlug = { path: join(dir, node.name), bridge: null, bytesBeforeCut: null };
    node.onHostData((data) => plug.bridge?.write(data));
    await plugIn(node, plug);
    plugs.push(plug);
  }
  return plugs;
}

/** WiFi boards get UDP ports basePort, basePort + 1, … in node order; others get none. */
async function exposeUdp(lab: Lab, basePort: number): Promise<Map<string, UdpBridge>> {
  const bridges = new Map<string, UdpBridge>();
  let next = basePort;
  for (const node of lab.nodes) {
    if (node.address === null) continue;
    bridges.set(node.name, await openUdpBridge(lab, node, next++));
  }
  return bridges;
}

function createPacedLab(options: SimOptions): Lab {
  try {
    return createLab({
      boards: options.board,
      scenario: options.scenario,
      seed: options.seed,
      ...(options.labelOffset !== undefined ? { labelOffsetS: options.labelOffset } : {}),
      ...(options.udpCollector ? { udpHostPort: options.udpCollector.port } : {}),
      ...(options.blank ? { blank: true } : {}),
      ...(options.espruino !== undefined ? { espruinoVersion: options.espruino } : {}),
      // A host slave compares the boards' UTC with its own clock: the lab's UTC starts at that clock.
      ...(options.ptpMaster ? { ptpMaster: true, utcStartMs: Date.now() } : {}),
    });
  } catch (error) {
    if (!options.ptpMaster) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`${message}; leave that board out (--board) to run the others as PTP masters`);
  }
}

/** Paces virtual time at `speed` × wall time until the duration or SIGINT/SIGTERM. */
async function runPaced(options: SimOptions, ctx: CommandContext): Promise<void> {
  const lab = createPacedLab(options);
  const uplink = options.udpCollector
    ? openUdpUplink(lab, options.udpCollector.port, options.udpCollector)
    : null;
  let plugs: PtyPlug[];
  let udp: Map<string, UdpBridge>;
  try {
    if (options.pty === undefined) plugs = [];
    else {
      const dir = options.pty === true ? mkdtempSync(join(tmpdir(), "timenode-sim-")) : resolve(options.pty);
      plugs = await exposePtys(lab, dir);
    }
    udp = options.udp === undefined ? new Map() : await exposeUdp(lab, options.udp);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const endpoints = lab.nodes.map((node, i) => ({
    node: node.name,
    board: node.profile.id,
    device: node.hostDevice,
    serial: node.board.serialNumber,
    pty: plugs[i]?.path ?? null,
    udp: udp.has(node.name) ? `127.0.0.1:${udp.get(node.name)?.port}` : null,
    sendsTo:
      node.udpHostPort > 0 && options.udpCollector
        ? `udp ${options.udpCollector.host}:${options.udpCollector.port}`
        : null,
  }));
  if (options.json) ctx.out.record({ event: "ready", speed: options.speed, endpoints });
  else {
    ctx.out.line(`virtual lab running at ${options.speed}× real time (Ctrl-C to stop); boards:`);
    for (const e of endpoints) {
      const links = [
        e.pty ? `${e.pty} (the board's ${e.device})` : "",
        e.udp ? `udp ${e.udp}` : "",
        e.sendsTo ? `records to ${e.sendsTo}` : "",
      ];
      ctx.out.line(
        `  ${e.node}  ${links.filter(Boolean).join("  ") || "— (no pty or UDP link for this board)"}`,
      );
    }
  }
  const control = options.control ? listenForControl(lab, plugs, ctx) : null;
  const durationS = options.duration ?? Infinity;
  let lastWall = process.hrtime.bigint();
  // With --ptp-master the lab's UTC started at this machine's clock when the lab was made: the time
  // since (building firmware, opening ptys) is caught up at once, so the boards' UTC keeps to the clock.
  let virtualS = options.ptpMaster ? Math.max(0, (Date.now() - lab.utc.utcStartMs) / 1000) : 0;
  await runUntilStopped(20, () => {
    const wall = process.hrtime.bigint();
    if (!control?.paused)
      virtualS = Math.min(durationS, virtualS + (Number(wall - lastWall) / 1e9) * options.speed);
    lastWall = wall;
    lab.runUntil(virtualS);
    ctx.out.progress(`virtual time ${virtualS.toFixed(1)} s`);
    return virtualS >= durationS;
  });
  ctx.out.progressDone();
  process.stdin.pause();
  await Promise.all([
    ...plugs.map((p) => p.bridge?.close()),
    ...[...udp.values()].map((b) => b.close()),
    uplink?.close(),
  ]);
  if (options.json) ctx.out.record({ event: "stopped", virtualS: lab.scheduler.now });
  else ctx.out.line(`stopped at ${lab.scheduler.now.toFixed(1)} s of virtual time`);
}

/** --control: commands on stdin, replies as NDJSON on stdout. */
function listenForControl(lab: Lab, plugs: PtyPlug[], ctx: CommandContext): LabControl {
  const pluggable = new Map(
    lab.nodes.flatMap((node, i) => {
      const plug = plugs[i];
      if (!plug) return [];
      const entry: Pluggable = {
        unplug: () => unplug(node, plug),
        plug: async () => {
          if (plug.bridge === null) await plugIn(node, plug);
        },
        unplugAfter: (bytes) => {
          plug.bytesBeforeCut = bytes;
        },
      };
      return [[node.name, entry] as const];
    }),
  );
  const control = createLabControl(lab, pluggable);
  let queue = Promise.resolve();
  createInterface({ input: process.stdin }).on("line", (line) => {
    if (line.trim() === "") return;
    queue = queue.then(async () => ctx.out.record(await control.handle(line)));
  });
  return control;
}

export const registerSim: RegisterCommand = (program, ctx) => {
  program
    .command("sim")
    .description(
      "run the virtual lab: the real firmware bundle on emulated boards with modelled oscillators and GPS receivers",
    )
    .addOption(
      new Option(
        "--board <ids...>",
        `board profile ids, one virtual node each (default ${DEFAULT_SIM_BOARDS.join(" ")})`,
      ).default(DEFAULT_SIM_BOARDS),
    )
    .addOption(
      new Option("--scenario <name>", `environment: ${scenarioNames().join(", ")}`).default("steady"),
    )
    .addOption(
      new Option("--seed <n>", "seed of every random model").default(1).argParser(parseNonNegativeInt),
    )
    .option(
      "--duration <s>",
      "virtual seconds to run (default: the scenario's; with --pty until Ctrl-C)",
      parsePositiveNumber,
    )
    .addOption(
      new Option(
        "--pty [dir]",
        "expose each board's host link as a pseudo-terminal in dir (default: a temp dir)",
      ),
    )
    .option(
      "--udp <port>",
      "make WiFi boards reachable over UDP on 127.0.0.1:port, port+1, … (paced like --pty)",
      parsePort,
    )
    .addOption(
      new Option("--speed <x>", "with --pty or --udp: virtual seconds per wall second")
        .default(1)
        .argParser(parsePositiveNumber),
    )
    .option(
      "--label-offset <s>",
      "firmware built with this NMEA label offset (-1 for receivers that label the next edge)",
      parseLabelOffset,
    )
    .option(
      "--udp-collector <addr:port>",
      "WiFi boards send their records over UDP to a collector there (timenode collect --udp); paced like --pty",
      parseUdpEndpointOption,
    )
    .option(
      "--control",
      `with --pty: take commands on stdin (${CONTROL_COMMANDS}) and answer each with a JSON line`,
    )
    .option(
      "--blank",
      "boards start with empty Storage: fresh Espruinos at their REPL, to try timenode flash",
    )
    .option(
      "--espruino <version>",
      "Espruino version the boards report (e.g. 2v21: before 2v25 the REPL has no file-transfer packets)",
      parseEspruinoVersion,
    )
    .option(
      "--ptp-master",
      "with --pty: boards are also PTP masters on their host link (timenode sync --role slave --port <pty>); " +
        "the lab's UTC then starts at this machine's clock",
    )
    .option("--json", "print results as JSON")
    .action(async (options: SimOptions) => {
      checkLabChoices(options.board, options.scenario);
      if (options.blank && options.pty === undefined)
        throw new UsageError("--blank needs --pty: a blank board only waits at its REPL for a flash");
      if (
        options.ptpMaster &&
        (options.pty === undefined ||
          options.udpCollector !== undefined ||
          options.blank ||
          options.speed !== 1)
      )
        throw new UsageError(
          "--ptp-master needs --pty at --speed 1, without --udp-collector or --blank: the boards' PTP lines reach the host over their ptys, against its real clock",
        );
      if (options.pty !== undefined || options.udp !== undefined || options.udpCollector !== undefined)
        await runPaced(options, ctx);
      else runFast(options, ctx);
    });
};
