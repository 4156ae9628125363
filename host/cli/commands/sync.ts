// `timenode sync --role master|slave (--udp <addr[:port]> | --port <serial>)`: PTPv2 end-to-end two-step
// time transfer with boards, with other hosts and with linuxptp's ptp4l. The slave never touches this
// machine's clock: it estimates this clock's offset against the master, with a bound (docs/sync.md).
import { randomBytes, randomUUID } from "node:crypto";
import { InvalidArgumentError, Option } from "commander";
import { PTP_EVENT_PORT, PTP_MULTICAST_ADDRESS } from "../../../firmware/src/ptp.ts";
import { openStore, StoreError, type OpenedStore } from "../../store/open.ts";
import { PtpMaster } from "../../sync/master.ts";
import { measureIngressLatency } from "../../sync/latency.ts";
import { systemRealtimeClock } from "../../sync/realtime-clock.ts";
import { openPtpSerial } from "../../sync/serial.ts";
import { PtpSlave, type FilterKind, type PortKind, type SlaveEvent } from "../../sync/slave.ts";
import { exchangeWriter } from "../../sync/store.ts";
import { openPtpUdp } from "../../sync/udp.ts";
import { CliError, UsageError } from "../errors.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";
import { parsePort, parsePositiveInt, parsePositiveNumber } from "../options.ts";
import { formatTable } from "../table.ts";
import { runUntilStopped } from "../until-stopped.ts";
import { formatNs } from "../units.ts";

interface SyncOptions {
  role: "master" | "slave";
  udp?: { address: string; port: number | null };
  port?: string;
  baud: number;
  interface?: string;
  domain: number;
  eventPort?: number;
  generalPort?: number;
  asymmetryNs: number;
  filter: FilterKind;
  filterLength: number;
  logSyncInterval: number;
  clockClass: number;
  clockIdentity?: string;
  ingressLatencyNs: number | "auto";
  db?: string;
  duration?: number;
  json?: boolean;
}

const TICK_MS = 50;

/** "addr" or "addr:port": where PTP messages go (the multicast group or a peer), IPv4. */
export function parsePtpDestination(text: string): { address: string; port: number | null } {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(text.trim());
  const octetsOk = match?.[1]?.split(".").every((o) => Number(o) <= 255) ?? false;
  const port = match?.[2] === undefined ? null : Number(match[2]);
  if (!match || !octetsOk || (port !== null && (port < 1 || port > 65535)))
    throw new InvalidArgumentError(
      `expected an IPv4 address with an optional event port, e.g. ${PTP_MULTICAST_ADDRESS} or 10.0.0.2:319, got "${text}"`,
    );
  return { address: match[1]!, port };
}

export function parseDomain(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 255)
    throw new InvalidArgumentError(`expected a PTP domain from 0 to 255, got "${text}"`);
  return value;
}

function parseSignedNs(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || Math.abs(value) > 1e12)
    throw new InvalidArgumentError(`expected nanoseconds such as 1500 or -250, got "${text}"`);
  return value;
}

function parseLatency(text: string): number | "auto" {
  if (text === "auto") return text;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 1e9)
    throw new InvalidArgumentError(`expected auto or nanoseconds ≥ 0 such as 150000, got "${text}"`);
  return value;
}

function parseLogInterval(text: string): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < -7 || value > 4)
    throw new InvalidArgumentError(`expected log2 of seconds from -7 to 4 (0 = 1 s), got "${text}"`);
  return value;
}

function parseClockClass(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 255) throw new InvalidArgumentError(`expected 0–255, got "${text}"`);
  return value;
}

function parseIdentity(text: string): string {
  if (!/^[0-9a-fA-F]{16}$/.test(text))
    throw new InvalidArgumentError(`expected 16 hex digits such as 0a1b2cfffe3d4e5f, got "${text}"`);
  return text.toLowerCase();
}

function openDatabase(path: string): OpenedStore {
  try {
    return openStore(path);
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message);
    throw error;
  }
}

function explainBindError(error: NodeJS.ErrnoException, eventPort: number, generalPort: number): string {
  if (error.code === "EACCES")
    return `no permission to bind UDP ports ${eventPort}/${generalPort}: run as root or pick ports above 1023 with --event-port and --general-port`;
  if (error.code === "EADDRINUSE")
    return `UDP port ${eventPort} or ${generalPort} is in use (ptp4l or another PTP program?): stop it or pick other ports with --event-port and --general-port`;
  if (error.code === "EADDRNOTAVAIL" || error.code === "EINVAL" || error.code === "ENODEV")
    return `cannot join the multicast group: ${error.message}; check --interface is an address of this machine and the interface has a multicast route`;
  return `cannot open UDP ports ${eventPort}/${generalPort}: ${error.message}`;
}

function describeSlaveEvent(event: SlaveEvent): string | null {
  switch (event.kind) {
    case "master":
      return `master ${event.master} (clock class ${event.announce.clockClass}, priority1 ${event.announce.priority1})`;
    case "state":
      return `slave: ${event.from} → ${event.to}`;
    default:
      return null;
  }
}

async function runSync(options: SyncOptions, ctx: CommandContext): Promise<void> {
  if (!options.udp === !options.port)
    throw new UsageError("give one link: --udp <addr[:port]> (UDP/IPv4) or --port <serial path>");
  if (options.db !== undefined && options.role === "master")
    throw new UsageError(
      "--db stores a slave's exchanges; a master never learns t2 and t3: drop --db or use --role slave",
    );
  const json = options.json ?? false;
  const eventPort = options.eventPort ?? options.udp?.port ?? PTP_EVENT_PORT;
  const generalPort = options.generalPort ?? eventPort + 1;
  if (options.udp && eventPort === generalPort)
    throw new UsageError(`--event-port and --general-port must differ (both ${eventPort})`);
  const clock = systemRealtimeClock();
  let ingressNs = 0;
  if (options.udp) {
    if (options.ingressLatencyNs === "auto") {
      const measured = await measureIngressLatency().catch((error: Error) => {
        ctx.out.warn(
          `cannot measure the receive latency on loopback (${error.message}); using 0, set --ingress-latency-ns`,
        );
        return null;
      });
      ingressNs = measured?.minNs ?? 0;
      if (measured && json) ctx.out.record({ event: "ingress-latency", ...measured });
    } else ingressNs = options.ingressLatencyNs;
  } else if (options.ingressLatencyNs !== "auto") ingressNs = options.ingressLatencyNs;
  const clockIdentity = options.clockIdentity ?? randomBytes(8).toString("hex");
  const session = randomUUID();
  const store = options.db ? openDatabase(options.db) : null;
  const write = store ? exchangeWriter(store.db, session, options.role) : null;
  const link = options.udp
    ? `udp ${options.udp.address}:${eventPort}/${generalPort}`
    : `serial ${options.port}`;

  let transportSend: ((kind: PortKind, bytes: string) => bigint) | null = null;
  const send = (kind: PortKind, bytes: string) => transportSend!(kind, bytes);
  let exchanges = 0;
  let last: { offsetNs: number; delayNs: number; boundNs: number; estimateNs: number; state: string } | null =
    null;
  const onSlaveEvent = (event: SlaveEvent) => {
    if (event.kind === "exchange") {
      const x = event.exchange;
      exchanges++;
      last = {
        offsetNs: x.exchange.offsetNs,
        delayNs: x.exchange.meanPathDelayNs,
        boundNs: x.boundNs,
        estimateNs: x.estimateNs,
        state: x.state,
      };
      write?.(x, clock.nowNs());
      if (json)
        ctx.out.record({
          event: "exchange",
          master: x.master,
          sequenceId: x.sequenceId,
          t1Ns: x.t1Ns.toString(),
          t2Ns: x.t2Ns.toString(),
          t3Ns: x.t3Ns.toString(),
          t4Ns: x.t4Ns.toString(),
          offsetNs: Math.round(x.exchange.offsetNs),
          delayNs: Math.round(x.exchange.meanPathDelayNs),
          uncertaintyNs: Math.round(x.exchange.uncertaintyNs),
          filteredOffsetNs: Math.round(x.filteredOffsetNs),
          estimateNs: Math.round(x.estimateNs),
          boundNs: Math.round(x.boundNs),
          servo: x.servoState,
          state: x.state,
        });
      return;
    }
    if (json) {
      if (event.kind === "state") ctx.out.record({ event: "state", from: event.from, to: event.to });
      else ctx.out.record({ event: "master", master: event.master, clockClass: event.announce.clockClass });
    } else {
      const text = describeSlaveEvent(event);
      if (text) ctx.out.warn(text);
    }
  };
  const slave =
    options.role === "slave"
      ? new PtpSlave(
          {
            clockIdentity,
            domain: options.domain,
            asymmetryNs: options.asymmetryNs,
            // The latency correction is a typical value, not a bound: it widens the bound by as much.
            quantumNs: 2 * clock.quantumNs + ingressNs,
            filter: options.filter,
            filterLength: options.filterLength,
          },
          send,
          onSlaveEvent,
        )
      : null;
  const master =
    options.role === "master"
      ? new PtpMaster(
          {
            clockIdentity,
            domain: options.domain,
            logSyncInterval: options.logSyncInterval,
            clockClass: options.clockClass,
          },
          send,
        )
      : null;
  const ingress = BigInt(Math.round(ingressNs));
  const receive = (kind: PortKind, bytes: string, rxNs: bigint) =>
    slave ? slave.receive(kind, bytes, rxNs - ingress) : master!.receive(kind, bytes, rxNs - ingress);
  const onError = (error: Error) => ctx.out.warn(`${link}: ${error.message}`);

  let close: () => Promise<void>;
  let lineRejects: Record<string, number> | null = null;
  try {
    if (options.udp) {
      const udp = await openPtpUdp({
        destination: options.udp.address,
        eventPort,
        generalPort,
        ...(options.interface ? { interfaceAddress: options.interface } : {}),
        clock,
        onMessage: receive,
        onError,
      });
      transportSend = udp.send;
      close = udp.close;
    } else {
      const serial = await openPtpSerial({
        path: options.port!,
        baudRate: options.baud,
        clock,
        onMessage: receive,
        onError,
      });
      transportSend = serial.send;
      close = serial.close;
      lineRejects = serial.reader.rejected;
    }
  } catch (error) {
    store?.db.close();
    const e = error as NodeJS.ErrnoException;
    if (e.code !== undefined) throw new CliError(explainBindError(e, eventPort, generalPort));
    throw new CliError(e.message);
  }
  if (json)
    ctx.out.record({
      event: "listening",
      role: options.role,
      link,
      clockIdentity,
      domain: options.domain,
      session,
      ingressLatencyNs: ingressNs,
    });
  else
    ctx.out.warn(
      `${options.role} ${clockIdentity} on ${link}, domain ${options.domain}, receive latency ${formatNs(ingressNs)} subtracted`,
    );

  const started = process.hrtime.bigint();
  let stepsSeen = 0;
  await runUntilStopped(TICK_MS, () => {
    const now = clock.nowNs();
    if (clock.steps !== stepsSeen) {
      stepsSeen = clock.steps;
      if (json) ctx.out.record({ event: "clock-step", steps: stepsSeen });
      else
        ctx.out.warn(
          "this machine's time of day stepped (settimeofday, an NTP step, a resume): offsets on either side of it do not compare",
        );
    }
    if (master) master.tick(now);
    if (slave) {
      slave.tick(now);
      const estimate = slave.estimate(now);
      ctx.out.progress(
        estimate
          ? `${slave.state}: offset ${formatNs(Math.abs(estimate.offsetNs))} ${estimate.offsetNs >= 0 ? "ahead" : "behind"}, bound ±${formatNs(estimate.boundNs)}, ${exchanges} exchanges`
          : `${slave.state}: ${exchanges} exchanges`,
      );
    } else
      ctx.out.progress(
        `master: ${master!.counters.syncs} syncs, ${master!.counters.delayResponses} delay responses`,
      );
    const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
    return options.duration !== undefined && elapsedS >= options.duration;
  });
  ctx.out.progressDone();
  await close();
  store?.db.close();

  const counters = slave ? slave.counters : master!.counters;
  const dropped = { ...counters.dropped, ...(lineRejects ?? {}) };
  const summary = {
    event: "summary",
    role: options.role,
    link,
    session,
    db: options.db ?? null,
    clockIdentity,
    timeOfDaySteps: clock.steps,
    received: counters.received,
    dropped,
    ...(slave
      ? {
          master: slave.master,
          state: slave.state,
          exchanges,
          last: last === null ? null : roundAll(last),
        }
      : {
          syncs: master!.counters.syncs,
          announces: master!.counters.announces,
          delayResponses: master!.counters.delayResponses,
        }),
  };
  if (json) ctx.out.record(summary);
  else {
    const rows: [string, string][] = [
      ["role", options.role],
      ["link", link],
      ["received", String(counters.received)],
      [
        "dropped",
        Object.entries(dropped)
          .map(([r, n]) => `${n} ${r}`)
          .join(", ") || "0",
      ],
    ];
    if (clock.steps > 0) rows.push(["time-of-day steps", String(clock.steps)]);
    if (slave) {
      rows.push(["master", slave.master ?? "—"], ["state", slave.state], ["exchanges", String(exchanges)]);
      if (last) {
        const l: { estimateNs: number; delayNs: number; boundNs: number } = last;
        rows.push(
          [
            "offset (this clock − master)",
            `${l.estimateNs >= 0 ? "+" : "−"}${formatNs(Math.abs(l.estimateNs))}`,
          ],
          ["path delay", formatNs(l.delayNs)],
          ["bound", `±${formatNs(l.boundNs)}`],
        );
      }
    } else
      rows.push(
        ["syncs sent", String(master!.counters.syncs)],
        ["delay responses", String(master!.counters.delayResponses)],
      );
    if (options.db) rows.push(["stored in", options.db]);
    ctx.out.line(formatTable(["", ""], rows).split("\n").slice(1).join("\n"));
  }
  if (slave && exchanges === 0) {
    ctx.out.warn(
      `timenode: no exchange completed on ${link}: no master heard in domain ${options.domain}${slave.master ? "" : " (no Announce)"}; check the link, --domain and the ports`,
    );
    ctx.exitCode = 1;
  }
}

function roundAll<T extends Record<string, number | string>>(o: T): T {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k, typeof v === "number" ? Math.round(v) : v]),
  ) as T;
}

const HELP = `
PTPv2 (IEEE 1588-2008) end-to-end two-step exchange: Announce, Sync + Follow_Up from the master,
Delay_Req / Delay_Resp from the slave, software timestamps taken in this program.

Over UDP/IPv4, messages go to --udp: the PTP multicast group ${PTP_MULTICAST_ADDRESS} (what ptp4l -4 uses)
or one peer's address; event messages on port 319, general on 320 (ports below 1024 need root: use
--event-port/--general-port, or addr:port, for unprivileged ports). Over a serial link (--port), each
message is one CRC-checked line (docs/sync.md).

The slave never adjusts this machine's clock: it reports the offset of this clock against the master
(+ = this clock is ahead), the mean path delay, and a bound (half the round trip plus the timestamp
quantum, growing in holdover). Malformed, truncated, wrong-version and wrong-domain packets are counted
and dropped.

Exit status: 0 done, 1 failure (link cannot be opened; a slave that completed no exchange), 2 usage.

Examples:
  timenode sync --role master --udp ${PTP_MULTICAST_ADDRESS} --interface 10.0.0.1
  timenode sync --role slave --udp ${PTP_MULTICAST_ADDRESS} --db lab.db --duration 60 --json
  timenode sync --role slave --udp 127.0.0.1:3319 --general-port 3320 --filter min-delay
  timenode sync --role master --port /dev/ttyUSB0 --baud 115200`;

export const registerSync: RegisterCommand = (program, ctx) => {
  program
    .command("sync")
    .description("PTP time transfer (IEEE 1588 E2E two-step) as master or slave over UDP or a serial link")
    .addOption(
      new Option("--role <role>", "master or slave").choices(["master", "slave"]).makeOptionMandatory(),
    )
    .option(
      "--udp <addr[:port]>",
      `UDP/IPv4: multicast group (${PTP_MULTICAST_ADDRESS}) or peer, optional event port`,
      parsePtpDestination,
    )
    .option("--port <path>", "serial link to a board or another host")
    .addOption(new Option("--baud <n>", "serial speed").default(115200).argParser(parsePositiveInt))
    .option("--interface <addr>", "IPv4 address of the interface for multicast")
    .addOption(new Option("--domain <n>", "PTP domain (0–255)").default(0).argParser(parseDomain))
    .option("--event-port <port>", "UDP port for Sync and Delay_Req (default 319)", parsePort)
    .option(
      "--general-port <port>",
      "UDP port for Follow_Up, Delay_Resp, Announce (default event port + 1)",
      parsePort,
    )
    .addOption(
      new Option("--asymmetry-ns <ns>", "master→slave delay minus the mean path delay, ns (slave)")
        .default(0)
        .argParser(parseSignedNs),
    )
    .addOption(
      new Option("--filter <kind>", "offset filter (slave)")
        .choices(["median", "min-delay"])
        .default("min-delay"),
    )
    .addOption(
      new Option("--filter-length <n>", "exchanges in the filter window")
        .default(10)
        .argParser(parsePositiveInt),
    )
    .addOption(
      new Option("--log-sync-interval <n>", "Sync every 2^n s (master)")
        .default(0)
        .argParser(parseLogInterval),
    )
    .addOption(
      new Option("--clock-class <n>", "Announce clockClass (master): 6 GPS-locked, 248 free-running")
        .default(248)
        .argParser(parseClockClass),
    )
    .addOption(
      new Option(
        "--ingress-latency-ns <ns>",
        "subtracted from receive stamps; auto measures it on loopback (UDP)",
      )
        .default("auto")
        .argParser(parseLatency),
    )
    .option("--clock-identity <hex>", "16 hex digits (default: random per run)", parseIdentity)
    .option("--db <file>", "store each exchange in this SQLite database (slave)")
    .option("--duration <s>", "stop after this many seconds (default: until Ctrl-C)", parsePositiveNumber)
    .option("--json", "one NDJSON event per line, then a summary")
    .addHelpText("after", HELP)
    .action(async (options: SyncOptions) => runSync(options, ctx));
};
