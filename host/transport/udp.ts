// WiFi boards over UDP: one listening socket on the host; each sender is a link (udp-sessions.ts).
import { createSocket, type Socket } from "node:dgram";
import type { Collector } from "../collect/collector.ts";
import type { EventSink } from "../collect/events.ts";
import { UdpSessions } from "./udp-sessions.ts";
const IDLE_FORGET_MS = 10 * 60_000;

export interface UdpListenOptions {
  host: string;
  port: number;
  collector: Collector;
  emit: EventSink;
}

export interface UdpListener {
  readonly address: { host: string; port: number };
  readonly counters: { readonly datagrams: number; readonly peersForgotten: number };
  close(): Promise<void>;
}

/** Parses "addr:port" (or ":port", or "port") into host and port; null if it is not one. */
export function parseUdpEndpoint(text: string): { host: string; port: number } | null {
  const match = /^(?:(.*):)?(\d{1,5})$/.exec(text.trim());
  if (!match) return null;
  const port = Number(match[2]);
  if (port > 65535) return null;
  const host = match[1] === undefined || match[1] === "" ? "0.0.0.0" : match[1].replace(/^\[(.*)\]$/, "$1");
  return { host, port };
}

export function listenUdp(options: UdpListenOptions): Promise<UdpListener> {
  const { collector, emit } = options;
  const socket: Socket = createSocket(options.host.includes(":") ? "udp6" : "udp4");
  const sessions = new UdpSessions(collector, (key) => `udp:${key}`);
  const counters = {
    datagrams: 0,
    get peersForgotten() {
      return sessions.forgotten;
    },
  };
  // Idle times are durations: on the monotonic clock, never the time of day (which an NTP step moves).
  const monoMs = () => Number(process.hrtime.bigint() / 1_000_000n);
  const sweep = setInterval(() => sessions.sweep(monoMs(), IDLE_FORGET_MS), 60_000);
  sweep.unref();

  socket.on("message", (message, remote) => {
    counters.datagrams++;
    sessions.deliver(`${remote.address}:${remote.port}`, message.toString("latin1"), monoMs(), (command) =>
      socket.send(Buffer.from(command, "latin1"), remote.port, remote.address),
    );
  });
  socket.on("error", (error) =>
    emit({ event: "link-error", link: `udp:${options.host}:${options.port}`, message: error.message }),
  );

  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(options.port, options.host, () => {
      socket.off("error", reject);
      const bound = socket.address();
      resolve({
        address: { host: bound.address, port: bound.port },
        counters,
        close: () =>
          new Promise<void>((done) => {
            clearInterval(sweep);
            sessions.close("collector stopped");
            socket.close(() => done());
          }),
      });
    });
  });
}
