// WiFi boards over UDP: one listening socket; each sender (address:port) is a link of its own, and
// commands go back to it. A datagram holds one or more record lines. Senders that fall silent are
// forgotten after a while, and their number is capped, so a flood of forged sources cannot grow memory.
import { createSocket, type Socket } from "node:dgram";
import type { Collector } from "../collect/collector.ts";
import type { EventSink } from "../collect/events.ts";
import type { LinkSession } from "../collect/link-session.ts";

export const MAX_UDP_PEERS = 256;
const IDLE_FORGET_MS = 10 * 60_000;

export interface UdpListenOptions {
  host: string;
  port: number;
  collector: Collector;
  emit: EventSink;
}

export interface UdpListener {
  readonly address: { host: string; port: number };
  readonly counters: { datagrams: number; peersForgotten: number };
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
  const peers = new Map<string, { session: LinkSession; lastMs: number }>();
  const counters = { datagrams: 0, peersForgotten: 0 };

  const forget = (key: string, reason: string) => {
    const peer = peers.get(key);
    if (!peer) return;
    peers.delete(key);
    collector.detach(peer.session, reason);
    counters.peersForgotten++;
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, peer] of peers) if (now - peer.lastMs > IDLE_FORGET_MS) forget(key, "silent");
  }, 60_000);
  sweep.unref();

  socket.on("message", (message, remote) => {
    counters.datagrams++;
    const key = `${remote.address}:${remote.port}`;
    let peer = peers.get(key);
    if (!peer) {
      if (peers.size >= MAX_UDP_PEERS) {
        const oldest = [...peers.entries()].reduce((a, b) => (a[1].lastMs <= b[1].lastMs ? a : b));
        forget(oldest[0], "too many senders");
      }
      const session = collector.attach({
        label: `udp:${key}`,
        send: (command) => socket.send(Buffer.from(command, "latin1"), remote.port, remote.address),
      });
      peer = { session, lastMs: Date.now() };
      peers.set(key, peer);
    }
    peer.lastMs = Date.now();
    const text = message.toString("latin1");
    // A datagram is whole lines; one without a line ending still ends a record.
    peer.session.push(text.endsWith("\n") ? text : `${text}\n`);
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
            for (const key of [...peers.keys()]) forget(key, "collector stopped");
            socket.close(() => done());
          }),
      });
    });
  });
}
