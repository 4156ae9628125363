import { InvalidArgumentError, Option } from "commander";
import { GpioAccessError, gpioAccessProblem, gpioHost, type PpsEdge } from "../../gpio/gpio-line.ts";
import type { HostPpsEdge } from "../../gpio/host-pps.ts";
import { startHostPps, type RunningHostPps } from "../../gpio/start-host-pps.ts";
import { HostNode, hostIdentity, type HostIdentity } from "../../host-clock/host-node.ts";
import { SYSTEM_CLOCK_READER, TodTracker, type ClockReader } from "../../host-clock/tod-tracker.ts";
import { openStore, StoreError } from "../../store/open.ts";
import { SerialOpenError } from "../../transport/serial.ts";
import { CliError } from "../errors.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";
import { parseNonNegativeInt, parsePositiveInt, parsePositiveNumber } from "../options.ts";
import { runUntilStopped } from "../until-stopped.ts";
import { formatNs } from "../units.ts";
import { DEFAULT_DB } from "./collect.ts";

const TICK_MS = 100;

export interface GpioPpsOptions {
  pin: number;
  edge: PpsEdge;
  nmea?: string;
  nmeaBaud: number;
  db: string;
  duration?: number;
  json?: boolean;
}

function parseEdge(text: string): PpsEdge {
  if (text !== "rising" && text !== "falling")
    throw new InvalidArgumentError(`expected rising or falling, got "${text}"`);
  return text;
}

const signed = (ns: number) => `${ns >= 0 ? "+" : "−"}${formatNs(Math.abs(ns))}`;

function edgeEvent(node: string, edge: HostPpsEdge) {
  const fit = edge.fit;
  return {
    event: "edge",
    node,
    second: edge.second,
    labelFrom: edge.labelFrom,
    monoNs: String(edge.monoNs),
    intervalNs: edge.intervalNs,
    flags: edge.flags,
    offsetNs: edge.offsetNs,
    freqPpb: fit?.freqPpb ?? null,
    freqSigmaPpb: fit?.freqSigmaPpb ?? null,
    jitterNs: fit?.jitterNs ?? null,
    outliers: fit?.outliers ?? null,
    excessLatencyNs: fit?.excessLatencyNs ?? null,
  };
}

/** What the command takes from the machine; tests put the virtual lab's host in its place. */
export interface GpioPpsDeps {
  gpioProblem(): string | null;
  reader: ClockReader;
  identity(): HostIdentity;
  start: typeof startHostPps;
  /** Runs `step` every `everyMs` until it returns true or the user stops it. */
  loop(everyMs: number, step: () => boolean | void): Promise<void>;
}

const SYSTEM_DEPS: GpioPpsDeps = {
  gpioProblem: () => gpioAccessProblem(gpioHost()),
  reader: SYSTEM_CLOCK_READER,
  identity: hostIdentity,
  start: startHostPps,
  loop: runUntilStopped,
};

export async function gpioPps(
  options: GpioPpsOptions,
  ctx: CommandContext,
  deps: GpioPpsDeps = SYSTEM_DEPS,
): Promise<void> {
  const json = options.json ?? false;
  // Before the database: a machine without GPIO gets its one line and no file is created.
  const problem = deps.gpioProblem();
  if (problem) throw new CliError(problem);
  let store;
  try {
    store = openStore(options.db);
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message);
    throw error;
  }
  const reader = deps.reader;
  const identity = deps.identity();
  const tracker = new TodTracker(reader, {
    onStep: (step) => {
      node.step(step);
      const text = `the system clock stepped by ${signed(step.stepNs)} against the monotonic clock`;
      if (json)
        ctx.out.record({
          event: "tod-step",
          node: node.name,
          stepNs: step.stepNs,
          todNs: String(step.todNs),
        });
      else ctx.out.warn(text);
    },
  });
  tracker.observe();
  const node = new HostNode(store.db, identity, tracker.systemNsAt(reader.monoNs()));
  let last: HostPpsEdge | null = null;
  const onEdge = (edge: HostPpsEdge) => {
    last = edge;
    const fit = edge.fit;
    node.edge(
      {
        monoNs: edge.monoNs,
        intervalNs: edge.intervalNs,
        flags: edge.flags,
        second: edge.second,
        estimate:
          fit && edge.offsetNs !== null
            ? {
                freqPpb: fit.freqPpb,
                freqSigmaPpb: fit.freqSigmaPpb,
                offsetNs: edge.offsetNs,
                jitterNs: fit.jitterNs,
                outliers: fit.outliers,
              }
            : null,
      },
      edge.systemNs,
    );
    if (json) ctx.out.record(edgeEvent(node.name, edge));
  };
  let running: RunningHostPps;
  try {
    running = await deps.start(options, reader, tracker, onEdge);
  } catch (error) {
    store.db.close();
    if (error instanceof GpioAccessError || error instanceof SerialOpenError)
      throw new CliError(error.message);
    throw error;
  }
  const pps = running.pps;
  if (!json)
    ctx.out.warn(
      `${node.name}: watching GPIO ${options.pin} (${options.edge} edges)` +
        (options.nmea ? `, seconds from the NMEA on ${options.nmea}` : ", seconds from the system clock"),
    );
  const started = reader.monoNs();
  await deps.loop(TICK_MS, () => {
    tracker.observe();
    const e = last as HostPpsEdge | null;
    const fit = e?.fit;
    ctx.out.status([
      fit && e.offsetNs !== null
        ? `${node.name}: ${pps.stats.edges} edges  offset ${signed(e.offsetNs)}  ` +
          `frequency ${fit.freqPpb >= 0 ? "+" : "−"}${Math.abs(fit.freqPpb).toFixed(0)} ppb  jitter ${formatNs(fit.jitterNs)}  ` +
          `latency p95 +${formatNs(fit.excessLatencyNs.p95)}  outliers ${fit.outliers}`
        : `${node.name}: ${pps.stats.edges} edges, waiting for enough labelled edges`,
    ]);
    return options.duration !== undefined && Number(reader.monoNs() - started) / 1e9 >= options.duration;
  });
  ctx.out.progressDone();
  await running.stop();
  store.db.close();
  const final = last as HostPpsEdge | null;
  const summary = {
    node: node.name,
    pin: options.pin,
    ...pps.stats,
    todSteps: tracker.steps,
    todUncertaintyNs: tracker.uncertaintyNs(),
    last: final ? edgeEvent(node.name, final) : null,
  };
  if (json) ctx.out.record({ event: "summary", ...summary });
  else {
    ctx.out.line(`${node.name}: ${summary.edges} edges on GPIO ${options.pin}, stored in ${options.db}`);
    const fit = final?.fit;
    if (fit && final?.offsetNs !== null && final) {
      ctx.out.line(
        `system clock − GPS ${signed(final.offsetNs!)} (late by the interrupt latency, whose floor user space cannot see), ` +
          `frequency ${fit.freqPpb.toFixed(0)} ±${fit.freqSigmaPpb.toFixed(0)} ppb, jitter ${formatNs(fit.jitterNs)}`,
      );
      ctx.out.line(
        `interrupt latency above the fastest edge: median ${formatNs(fit.excessLatencyNs.p50)}, 95 % ${formatNs(fit.excessLatencyNs.p95)}, ` +
          `99 % ${formatNs(fit.excessLatencyNs.p99)}, worst ${formatNs(fit.excessLatencyNs.max)}; ${fit.outliers} of the last ${fit.n} edges left out`,
      );
      ctx.out.line(
        "kernel PPS (pps-gpio overlay, /dev/pps0, chrony's PPS refclock) stamps in the interrupt handler: about ±1 µs instead",
      );
    }
  }
  if (summary.edges === 0) ctx.exitCode = 1;
}

export const registerGpioPps: RegisterCommand = (program, ctx) => {
  program
    .command("gpio-pps")
    .description(
      "time this host's clock by a GPS PPS on a GPIO line (Linux, through onoff) and store it as a node",
    )
    .requiredOption(
      "--pin <n>",
      "GPIO line number the PPS is wired to (not the header pin)",
      parseNonNegativeInt,
    )
    .addOption(
      new Option("--edge <edge>", "the PPS edge that marks the second")
        .default("rising")
        .argParser(parseEdge),
    )
    .option("--nmea <port>", "the GPS receiver's serial port: label seconds from its NMEA")
    .addOption(
      new Option("--nmea-baud <n>", "speed of the NMEA port").default(9600).argParser(parsePositiveInt),
    )
    .addOption(new Option("--db <file>", "SQLite database to store into").default(DEFAULT_DB))
    .option("--duration <s>", "stop after this many seconds (default: until Ctrl-C)", parsePositiveNumber)
    .option("--json", "one NDJSON event per edge, then a summary")
    .action(async (options: GpioPpsOptions) => gpioPps(options, ctx));
};
