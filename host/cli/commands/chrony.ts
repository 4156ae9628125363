import { InvalidArgumentError, Option } from "commander";
import { getBoard } from "../../../boards/index.ts";
import { DbFollow } from "../../chrony/db-follow.ts";
import { BoardExchange, type ExchangeClock, type HostSample } from "../../chrony/board-exchange.ts";
import type { GateVerdict } from "../../chrony/feed-gate.ts";
import { GpioFeed } from "../../chrony/gpio-feed.ts";
import { labNodeRecords } from "../../chrony/lab-link.ts";
import { createPacedLab, type PacedLab } from "../../chrony/paced-lab.ts";
import { openBoardPort, type BoardPort } from "../../chrony/serial-board.ts";
import { createSockClient, type SockClientEvent } from "../../chrony/sock-client.ts";
import { parseLeapAnnouncement, type LeapAnnouncement } from "../../chrony/leap-flag.ts";
import { sockSampleFromNs } from "../../chrony/sock-sample.ts";
import { GpioAccessError, type PpsEdge } from "../../gpio/gpio-line.ts";
import { startHostPps, type RunningHostPps } from "../../gpio/start-host-pps.ts";
import { hostIdentity } from "../../host-clock/host-node.ts";
import { SYSTEM_CLOCK_READER, TodTracker } from "../../host-clock/tod-tracker.ts";
import { quantile } from "../../analysis/quantile.ts";
import { scenarioLeap } from "../../lab/run.ts";
import { openStore, StoreError, type OpenedStore } from "../../store/open.ts";
import { SerialOpenError } from "../../transport/serial.ts";
import { CliError, UsageError } from "../errors.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";
import { parseNonNegativeInt, parsePositiveInt, parsePositiveNumber } from "../options.ts";
import { runUntilStopped } from "../until-stopped.ts";
import { formatNs } from "../units.ts";

const TICK_MS = 100;
const DEFAULT_MAX_BOUND_NS = 1_000_000;
const SILENCE_NS = 3_000_000_000n;
const DB_SILENCE_NS = 25_000_000_000n;
const LAB_WARMUP_S = 90;
const LAB_WARMUP_BUDGET_MS = 3000;

interface ChronyOptions {
  socket: string;
  port?: string;
  baud: number;
  lab?: boolean;
  db?: string;
  node?: string;
  gpio?: number;
  edge: PpsEdge;
  nmea?: string;
  nmeaBaud: number;
  board: string;
  seed: number;
  labOffset: number;
  pps?: boolean;
  maxBoundNs: number;
  leap?: LeapAnnouncement;
  duration?: number;
  json?: boolean;
}

type ChronyEvent =
  | SockClientEvent
  | { event: "feeding"; node: string }
  | { event: "stopped"; node: string; reason: string }
  | {
      event: "sample";
      node: string;
      systemNs: string;
      offsetNs: number;
      delayNs: number;
      nodeBoundNs: number;
      leap: number;
      sent: boolean;
    }
  | { event: "tod-step"; stepNs: number; todNs: string }
  | { event: "link"; node: string; message: string }
  | { event: "lab"; node: string; board: string; trueAheadNs: number; anchorSystemNs: string };

function parseOffsetMs(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || Math.abs(value) > 10_000)
    throw new InvalidArgumentError(`expected milliseconds between -10000 and 10000, got "${text}"`);
  return value;
}

function parseEdge(text: string): PpsEdge {
  if (text !== "rising" && text !== "falling")
    throw new InvalidArgumentError(`expected rising or falling, got "${text}"`);
  return text;
}

function describe(event: ChronyEvent): string | null {
  switch (event.event) {
    case "chrony-unreachable":
      return `chronyd: ${event.message}`;
    case "chrony-connected":
      return `chronyd: sending samples to ${event.socket}`;
    case "feeding":
      return `${event.node}: locked and within its bound: feeding chronyd`;
    case "stopped":
      return `${event.node}: not feeding chronyd: ${event.reason}`;
    case "tod-step":
      return `the system clock stepped by ${event.stepNs >= 0 ? "+" : "−"}${formatNs(Math.abs(event.stepNs))} (against the monotonic clock)`;
    case "link":
      return `${event.node}: ${event.message}`;
    case "lab":
      return `${event.node}: virtual ${event.board} board whose GPS time is the system clock ${event.trueAheadNs >= 0 ? "+" : "−"}${formatNs(Math.abs(event.trueAheadNs))}`;
    default:
      return null;
  }
}

async function chrony(options: ChronyOptions, ctx: CommandContext): Promise<void> {
  const sources = [
    options.port !== undefined,
    options.lab === true,
    options.gpio !== undefined,
    options.db !== undefined,
  ];
  if (sources.filter(Boolean).length !== 1)
    throw new UsageError(
      "give one time node to feed from: --port <serial port>, --db <file> --node <id> (a collector's), --gpio <pin> (this host's PPS) or --lab (a virtual board)",
    );
  if (options.db !== undefined && options.node === undefined)
    throw new UsageError("--db needs --node <name or serial>: which of the collector's nodes to feed from");
  if (options.lab && options.leap !== undefined)
    throw new UsageError("--lab takes its leap seconds from the lab's scenario; leave out --leap");
  // NMEA carries no leap warning: the user names the announced leap, and samples carry it.
  const announcedLeap = () => options.leap ?? null;
  if (options.gpio !== undefined && options.nmea === undefined && !options.pps)
    throw new UsageError(
      "--gpio without --nmea would take the seconds from the very clock being measured: add --nmea <port>, or --pps (chronyd then takes the seconds from a lock refclock)",
    );
  const json = options.json ?? false;
  // Samples (one a second) go to --json only; the rest is also told in words.
  const emit = (event: ChronyEvent) => {
    if (json) ctx.out.record(event);
    else {
      const text = describe(event);
      if (text) ctx.out.warn(text);
    }
  };
  const realMonoNs = () => process.hrtime.bigint();
  const tracker = new TodTracker(SYSTEM_CLOCK_READER, {
    onStep: (step) => emit({ event: "tod-step", stepNs: step.stepNs, todNs: String(step.todNs) }),
  });
  tracker.observe();
  const client = createSockClient({ path: options.socket, monoNs: realMonoNs, emit });
  client.probe();

  let node = options.port ?? "";
  let paced: PacedLab | null = null;
  let boardPort: BoardPort | null = null;
  let hostPps: RunningHostPps | null = null;
  let store: OpenedStore | null = null;
  let ticker: { tick(): void; stats: Record<string, number> } | null = null;
  const offsets: number[] = [];
  const delays: number[] = [];
  let exchange: BoardExchange | null = null;
  const onSample = (sample: HostSample) => {
    if (paced && sample.systemNs < paced.anchorSystemNs) return; // warm-up: before the lab met real time
    const wire = options.pps
      ? // A pulse sample's offset field is the pulse's place in the system second (chrony negates it).
        sockSampleFromNs(sample.systemNs, -sample.offsetNs, 0, true)
      : sockSampleFromNs(sample.systemNs, sample.offsetNs, sample.leap);
    const sent = client.send(wire);
    if (sent) {
      offsets.push(sample.offsetNs);
      delays.push(sample.delayNs);
    }
    emit({
      event: "sample",
      node,
      systemNs: String(sample.systemNs),
      offsetNs: sample.offsetNs,
      delayNs: sample.delayNs,
      nodeBoundNs: sample.nodeBoundNs,
      leap: wire.leap,
      sent,
    });
  };
  const onVerdict = (verdict: GateVerdict) =>
    emit(verdict.feed ? { event: "feeding", node } : { event: "stopped", node, reason: verdict.reason });
  const limits = { maxBoundNs: options.maxBoundNs, maxSilenceNs: SILENCE_NS };

  try {
    if (options.lab) {
      try {
        getBoard(options.board);
      } catch (error) {
        throw new UsageError(`--board: ${(error as Error).message}`);
      }
      const trueAheadNs = Math.round(options.labOffset * 1e6);
      const lab = createPacedLab({
        board: options.board,
        seed: options.seed,
        scenario: "steady",
        trueAheadNs,
        warmupS: LAB_WARMUP_S,
        warmupBudgetMs: LAB_WARMUP_BUDGET_MS,
        tracker,
        realMonoNs,
      });
      paced = lab;
      const labNode = lab.lab.nodes[0]!;
      node = labNode.name;
      const leap = scenarioLeap(lab.lab);
      exchange = newExchange(
        lab.clock,
        (line) => labNode.sendToBoard(line),
        () => (leap.sign === 0 ? null : leap),
      );
      const current = exchange;
      labNodeRecords(labNode, () => current, lab.clock.monoNs);
      emit({
        event: "lab",
        node,
        board: options.board,
        trueAheadNs,
        anchorSystemNs: String(lab.anchorSystemNs),
      });
      lab.warmUp(() => current.tick());
      lab.anchor();
    } else if (options.db !== undefined) {
      try {
        store = openStore(options.db);
      } catch (error) {
        if (error instanceof StoreError) throw new CliError(error.message);
        throw error;
      }
      node = options.node!;
      const follow = new DbFollow({
        db: store.db,
        node,
        // A collector stores a UTC reading every 10 s: silence is counted in readings, not seconds.
        limits: { ...limits, maxSilenceNs: DB_SILENCE_NS },
        monoNs: realMonoNs,
        leap: announcedLeap,
        onSample,
        onVerdict,
      });
      ticker = { tick: () => follow.poll(), stats: follow.stats };
    } else if (options.gpio !== undefined) {
      node = hostIdentity().serial;
      const feed = new GpioFeed({
        limits,
        todUncertaintyNs: () => tracker.uncertaintyNs(),
        leap: announcedLeap,
        onSample,
        onVerdict,
      });
      hostPps = await startHostPps(
        {
          pin: options.gpio,
          edge: options.edge,
          nmeaBaud: options.nmeaBaud,
          ...(options.nmea ? { nmea: options.nmea } : {}),
        },
        SYSTEM_CLOCK_READER,
        tracker,
        (edge) => feed.edge(edge),
      );
      ticker = { tick: () => feed.tick(realMonoNs()), stats: feed.stats };
    } else {
      const clock: ExchangeClock = { monoNs: realMonoNs, systemNsAt: (m) => tracker.systemNsAt(m) };
      const port = openBoardPort({
        path: options.port!,
        baudRate: options.baud,
        monoNs: realMonoNs,
        onRecord: (record, arrivalNs) => exchange?.push(record, arrivalNs),
        onLink: (message) => emit({ event: "link", node, message }),
      });
      exchange = newExchange(clock, (line) => port.send(line), announcedLeap);
      boardPort = port;
      await port.opened;
    }
  } catch (error) {
    client.close();
    await boardPort?.close();
    store?.db.close();
    if (error instanceof SerialOpenError || error instanceof GpioAccessError)
      throw new CliError(error.message);
    throw error;
  }

  function newExchange(
    clock: ExchangeClock,
    send: (line: string) => void,
    leap: () => null | { midnightS: number; sign: number },
  ) {
    return new BoardExchange({ send, clock, limits, leap, onSample, onVerdict });
  }

  const running = ticker ?? exchange!;
  const started = realMonoNs();
  await runUntilStopped(TICK_MS, () => {
    tracker.observe();
    paced?.catchUp();
    running.tick();
    const elapsedS = Number(realMonoNs() - started) / 1e9;
    ctx.out.status([
      `${node}: ${client.stats.sent} samples sent to ${options.socket}, ${client.stats.dropped} not delivered` +
        (offsets.length > 0 ? `; last offset ${formatNs(Math.abs(offsets.at(-1)!))}` : ""),
    ]);
    return options.duration !== undefined && elapsedS >= options.duration;
  });
  ctx.out.progressDone();
  client.close();
  await boardPort?.close();
  await hostPps?.stop();
  store?.db.close();
  const stats: Record<string, number> = { ...running.stats };
  const summary = {
    node,
    socket: options.socket,
    pulse: options.pps ?? false,
    sent: client.stats.sent,
    notDelivered: client.stats.dropped,
    ...stats,
    medianOffsetNs:
      offsets.length > 0
        ? quantile(
            [...offsets].sort((a, b) => a - b),
            0.5,
          )
        : null,
    medianDelayNs:
      delays.length > 0
        ? quantile(
            [...delays].sort((a, b) => a - b),
            0.5,
          )
        : null,
    todSteps: tracker.steps,
  };
  if (json) ctx.out.record({ event: "summary", ...summary });
  else {
    ctx.out.line(
      `${node}: ${summary.sent} samples sent to chronyd (${summary.notDelivered} not delivered, ` +
        `${stats["withheld"]} withheld while the node was not fit, ` +
        (hostPps
          ? `${stats["outliers"]} edges left out as latency outliers)`
          : store
            ? `${stats["readings"]} readings read)`
            : `${stats["slow"]} too slow, ${stats["unanswered"]} unanswered)`),
    );
    if (summary.medianOffsetNs !== null && summary.medianDelayNs !== null)
      ctx.out.line(
        `median offset (true − system) ${summary.medianOffsetNs >= 0 ? "+" : "−"}${formatNs(Math.abs(summary.medianOffsetNs))}, ` +
          (hostPps || store
            ? `short by the ${hostPps ? "interrupt latency" : "readings' way to the collector"} (docs/chrony.md: chrony's offset option)`
            : `median round trip ${formatNs(summary.medianDelayNs)}: samples are good to half of it plus the link's asymmetry`),
      );
  }
  if (summary.sent === 0) ctx.exitCode = 1;
}

function parseLeapOption(text: string): LeapAnnouncement {
  const leap = parseLeapAnnouncement(text);
  if (leap === null)
    throw new InvalidArgumentError(
      `expected the last day before the leap and its sign, e.g. 2026-12-31:+1, got "${text}"`,
    );
  return leap;
}

export const registerChrony: RegisterCommand = (program, ctx) => {
  program
    .command("chrony")
    .description("feed chronyd's SOCK refclock from a time node while it is locked (see docs/chrony.md)")
    .requiredOption("--socket <path>", 'the path of chrony.conf\'s "refclock SOCK <path>" line')
    .option("--port <path>", "serial port of the board to feed from")
    .addOption(new Option("--baud <n>", "serial speed").default(115200).argParser(parsePositiveInt))
    .option("--db <file>", "feed from a node that a running timenode collect stores in this database")
    .option("--node <id>", "with --db: the node's name or chip serial")
    .option(
      "--gpio <pin>",
      "feed from a GPS PPS on this GPIO line of the host (Linux, onoff)",
      parseNonNegativeInt,
    )
    .addOption(
      new Option("--edge <edge>", "the PPS edge that marks the second (--gpio)")
        .default("rising")
        .argParser(parseEdge),
    )
    .option("--nmea <port>", "the GPS receiver's serial port, for the seconds of --gpio edges")
    .addOption(
      new Option("--nmea-baud <n>", "speed of the NMEA port").default(9600).argParser(parsePositiveInt),
    )
    .option("--lab", "feed from a virtual board whose GPS time is the system clock plus --lab-offset")
    .addOption(new Option("--board <id>", "board profile of the virtual board").default("esp32"))
    .addOption(new Option("--seed <n>", "seed of the virtual lab").default(1).argParser(parsePositiveInt))
    .addOption(
      new Option("--lab-offset <ms>", "how far the virtual GPS time is ahead of the system clock")
        .default(0)
        .argParser(parseOffsetMs),
    )
    .option("--pps", "send pulse samples (the seconds come from another source: chrony's lock option)")
    .addOption(
      new Option("--max-bound-ns <n>", "stop feeding while the node's 95 % bound is wider than this")
        .default(DEFAULT_MAX_BOUND_NS)
        .argParser(parsePositiveInt),
    )
    .option(
      "--leap <day:sign>",
      "a leap second announced for the end of that UTC day, e.g. 2026-12-31:+1 (IERS Bulletin C); the samples carry chrony's leap flag through that month",
      parseLeapOption,
    )
    .option("--duration <s>", "stop after this many seconds (default: until Ctrl-C)", parsePositiveNumber)
    .option("--json", "one NDJSON event per line (a sample each second), then a summary")
    .action(async (options: ChronyOptions) => chrony(options, ctx));
};
