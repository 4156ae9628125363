// Carries the records of virtual WiFi boards to a real collector over real UDP on loopback: the lab's
// host endpoint (LAB_HOST_ADDRESS:port on the modelled network) is answered here, and each board's
// datagrams leave through a real socket of its own, so the collector sees one sender per board and its
// commands find their way back into the lab.
import { createSocket, type Socket } from "node:dgram";
import type { DatagramPeer } from "../../sim/contracts.ts";
import { LAB_HOST_ADDRESS, type Lab } from "../../sim/lab.ts";

export interface UdpUplink {
  readonly counters: { toCollector: number; fromCollector: number };
  close(): Promise<void>;
}

export function openUdpUplink(
  lab: Lab,
  labPort: number,
  collector: { host: string; port: number },
): UdpUplink {
  const counters = { toCollector: 0, fromCollector: 0 };
  const sockets = new Map<string, Socket>();
  const socketFor = (from: { address: string; port: number }): Socket => {
    const key = `${from.address}:${from.port}`;
    let socket = sockets.get(key);
    if (!socket) {
      const created = createSocket("udp4");
      created.on("message", (message) => {
        counters.fromCollector++;
        lab.network.send(
          { address: LAB_HOST_ADDRESS, port: labPort },
          from,
          message.toString("latin1"),
          lab.scheduler.now,
        );
      });
      created.on("error", () => {
        // A collector that is not listening yet answers with ICMP; the boards resend what it missed.
      });
      created.bind(0, "127.0.0.1");
      sockets.set(key, created);
      socket = created;
    }
    return socket;
  };
  const peer: DatagramPeer = {
    address: LAB_HOST_ADDRESS,
    port: labPort,
    receive: (message, from) => {
      counters.toCollector++;
      socketFor(from).send(Buffer.from(message, "latin1"), collector.port, collector.host);
    },
  };
  lab.network.bind(peer);
  return {
    counters,
    close: async () => {
      lab.network.unbind(peer);
      await Promise.all([...sockets.values()].map((s) => new Promise<void>((done) => s.close(() => done()))));
    },
  };
}
