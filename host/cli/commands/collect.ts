import { Option } from "commander";
import { Collector, type CollectorReport, type NodeReport } from "../../collect/collector.ts";
import type { CollectEvent } from "../../collect/events.ts";
import { openStore, StoreError, type OpenedStore } from "../../store/open.ts";
import { openSerialLink, SerialOpenError, type SerialLink } from "../../transport/serial.ts";
import { listenUdp, type UdpListener } from "../../transport/udp.ts";
import { parseKeyFile } from "../../truth/key-file.ts";
import { RecordAuthenticator } from "../../truth/record-auth.ts";
import { CliError, UsageError } from "../errors.ts";
import { readUserFile } from "../files.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";
import { parsePositiveInt, parsePositiveNumber, parseUdpEndpointOption } from "../options.ts";
import { formatTable } from "../table.ts";
import { runUntilStopped } from "../until-stopped.ts";
import { fixed, formatNs, servoStateName } from "../units.ts";

export const DEFAULT_DB = "timenode.db";
const TICK_MS = 100;
const STATUS_EVERY_MS = 500;

interface CollectOptions {
  port?: string[];
  udp?: { host: string; port: number };
  db: string;
  baud: number;
  duration?: number;
  keys?: string;
  json?: boolean;
}

function describe(event: CollectEvent): string | null {
  switch (event.event) {
    case "node":
      return `${event.node}: ${event.board} board ${event.serial} on ${event.link}`;
    case "reset":
      return event.fromBoot === null
        ? null
        : `${event.node}: reset (boot ${event.fromBoot} → ${event.toBoot})`;
    case "state":
      return `${event.node}: ${event.to}${event.to === "up" ? "" : ` (silent ${event.silentS.toFixed(1)} s)`}`;
    case "lost":
      return `${event.node}: records ${event.first}–${event.last} of boot ${event.boot} are lost (${event.reason})`;
    case "rejected":
      return `${event.link}: ignoring lines that are not timenode records (${event.reason}), e.g. ${JSON.stringify(event.example)}`;
    case "listening":
      return `listening for WiFi boards on udp ${event.udp}`;
    case "link-closed":
      return `${event.link}: ${event.reason}`;
    case "link-error":
      return `${event.link}: ${event.message}`;
    case "clock-step":
      return `${event.node}: the system clock stepped by ${event.stepNs >= 0 ? "+" : "−"}${formatNs(Math.abs(event.stepNs))} (recorded as an event; durations use the monotonic clock)`;
    default:
      return null;
  }
}

function statusLine(node: NodeReport): string {
  const bound = node.bound95Ns === null ? "—" : `±${formatNs(node.bound95Ns)}`;
  const drift = node.freqPpm === null ? "—" : `${node.freqPpm >= 0 ? "+" : ""}${fixed(node.freqPpm, 3)} ppm`;
  return (
    `${node.name.padEnd(14)} ${node.state.padEnd(7)} records ${String(node.stored).padStart(7)}  ` +
    `gaps ${node.gaps} (recovered ${node.recovered})  lost ${node.lost}  ${servoStateName(node.servoState)}  ` +
    `drift ${drift}  bound ${bound}`
  );
}

function summaryTable(report: CollectorReport): string {
  return formatTable(
    ["NODE", "BOARD", "STATE", "STORED", "DUPLICATES", "GAPS", "RECOVERED", "LOST", "RESETS", "STILL OWED"],
    report.nodes.map((n) => [
      n.name,
      n.board,
      n.state,
      String(n.stored),
      String(n.duplicates),
      String(n.gaps),
      String(n.recovered),
      String(n.lost),
      String(n.resets),
      n.owed.map((r) => `${r.first}–${r.last}`).join(" ") || "—",
    ]),
  );
}

function openDatabase(path: string, ctx: CommandContext, json: boolean): OpenedStore {
  try {
    const store = openStore(path);
    if (store.migratedFrom !== null && !json)
      ctx.out.warn(
        `migrated ${path} from schema version ${store.migratedFrom}; the old file is kept as ${store.backupPath}`,
      );
    return store;
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message);
    throw error;
  }
}

/** The node keys of --keys, or a usage error naming the first problem. */
function loadKeys(path: string): RecordAuthenticator {
  const { keys, problems } = parseKeyFile(readUserFile(path, "utf8", "give --keys a readable key file"));
  if (problems.length > 0) throw new UsageError(`--keys ${path}: ${problems[0]}`);
  return new RecordAuthenticator(keys);
}

async function collect(options: CollectOptions, ctx: CommandContext): Promise<void> {
  const ports = options.port ?? [];
  if (ports.length === 0 && !options.udp)
    throw new UsageError(
      "nothing to collect from: give --port <path> (see timenode ports) and/or --udp <addr:port>",
    );
  const json = options.json ?? false;
  const authenticator = options.keys ? loadKeys(options.keys) : null;
  const store = openDatabase(options.db, ctx, json);
  const emit = (event: CollectEvent) => {
    if (json) ctx.out.record(event);
    else {
      const text = describe(event);
      if (text) ctx.out.warn(text);
    }
  };
  const collector = new Collector({
    db: store.db,
    emit,
    ...(authenticator ? { authenticateLink: () => authenticator.forLink() } : {}),
  });
  const serialLinks: SerialLink[] = [];
  let udp: UdpListener | null = null;
  const closeAll = async () => {
    await Promise.all(serialLinks.map((link) => link.close()));
    await udp?.close();
    collector.flush();
  };
  try {
    for (const path of ports) {
      const link = openSerialLink({ path, baudRate: options.baud, collector, emit });
      serialLinks.push(link);
      await link.opened;
    }
    if (options.udp) {
      const endpoint = options.udp;
      udp = await listenUdp({ ...endpoint, collector, emit }).catch((error: NodeJS.ErrnoException) => {
        throw new CliError(
          error.code === "EADDRINUSE"
            ? `UDP port ${endpoint.port} on ${endpoint.host} is in use by another program; pick another with --udp`
            : `cannot listen on UDP ${endpoint.host}:${endpoint.port}: ${error.message}`,
        );
      });
      emit({ event: "listening", udp: `${udp.address.host}:${udp.address.port}` });
    }
  } catch (error) {
    await closeAll();
    store.db.close();
    if (error instanceof SerialOpenError) throw new CliError(error.message);
    throw error;
  }

  const started = process.hrtime.bigint();
  let lastStatus = 0;
  await runUntilStopped(TICK_MS, () => {
    collector.tick();
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (elapsedMs - lastStatus >= STATUS_EVERY_MS) {
      lastStatus = elapsedMs;
      ctx.out.status(collector.report().nodes.map(statusLine));
    }
    return options.duration !== undefined && elapsedMs >= options.duration * 1000;
  });
  ctx.out.progressDone();
  await closeAll();
  const report = collector.report();
  store.db.close();
  if (json) ctx.out.record({ event: "summary", db: options.db, ...report });
  else {
    ctx.out.line(summaryTable(report));
    const rejected = Object.entries(report.rejected);
    if (rejected.length > 0)
      ctx.out.line(
        `lines that were not records: ${rejected.map(([reason, n]) => `${n} ${reason}`).join(", ")}`,
      );
    ctx.out.line(`stored in ${options.db}`);
  }
}

export const registerCollect: RegisterCommand = (program, ctx) => {
  program
    .command("collect")
    .description("collect readings from boards on serial ports and over UDP into an SQLite database")
    .option("--port <paths...>", "serial ports of boards (see timenode ports)")
    .option("--udp <addr:port>", "also listen for WiFi boards on this UDP address", parseUdpEndpointOption)
    .addOption(new Option("--db <file>", "SQLite database to store into").default(DEFAULT_DB))
    .addOption(
      new Option("--baud <n>", "serial speed (USB CDC ignores it)")
        .default(115200)
        .argParser(parsePositiveInt),
    )
    .option("--duration <s>", "stop after this many seconds (default: until Ctrl-C)", parsePositiveNumber)
    .option(
      "--keys <file>",
      "accept only records authenticated with these node keys (JSON: serial → hex key; docs/truth.md): forged, replayed and unknown-key lines are refused and counted",
    )
    .option("--json", "one NDJSON event per line, then a summary")
    .action(async (options: CollectOptions) => collect(options, ctx));
};
