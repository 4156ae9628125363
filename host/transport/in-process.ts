// The virtual lab's boards as collector links, without any I/O: the board's host-device bytes go
// straight into a link session and commands straight back. Time is the lab's virtual time, so the
// collector's batching, resends and liveness run on the same clock as the boards.
import type { DatagramPeer } from "../../sim/contracts.ts";
import { LAB_HOST_ADDRESS, type Lab, type LabNode } from "../../sim/lab.ts";
import type { Collector, HostClock } from "../collect/collector.ts";
import type { LinkSession } from "../collect/link-session.ts";
import { UdpSessions } from "./udp-sessions.ts";

/** The lab's clock as the host sees it: monotonic = virtual time; time of day = the lab's UTC. */
export function labClock(lab: Lab): HostClock {
  return {
    monoNs: () => BigInt(Math.round(lab.scheduler.now * 1e9)),
    wallNs: () => BigInt(lab.utc.utcStartMs) * 1_000_000n + BigInt(Math.round(lab.scheduler.now * 1e9)),
  };
}

export interface InProcessLink {
  readonly node: LabNode;
  /** Cuts the cable: bytes either way are lost until `plug`. The board keeps running. */
  unplug(): void;
  plug(): void;
  /** The collector process is gone (crash or exit): nothing flows to or from it any more. */
  abandon(): void;
  readonly session: LinkSession | null;
}

export function attachLabNode(collector: Collector, node: LabNode): InProcessLink {
  let session: LinkSession | null = null;
  let abandoned = false;
  const connect = () => {
    session = collector.attach({
      label: `lab:${node.name}`,
      send: (command) => {
        if (session !== null) node.sendToBoard(command);
      },
    });
  };
  node.onHostData((data) => session?.push(data));
  connect();
  return {
    node,
    get session() {
      return session;
    },
    unplug() {
      if (session === null) return;
      collector.detach(session, "unplugged");
      session = null;
    },
    plug() {
      if (session === null && !abandoned) connect();
    },
    abandon() {
      abandoned = true;
      session = null;
    },
  };
}

/**
 * The collector's UDP listener inside the lab network: WiFi boards built with a UDP host send their
 * records to LAB_HOST_ADDRESS:`port`, and replies go back to each sender over the modelled network.
 */
export function attachLabUdp(collector: Collector, lab: Lab, port: number): UdpSessions {
  const sessions = new UdpSessions(collector, (key) => `lab-udp:${key}`);
  const peer: DatagramPeer = {
    address: LAB_HOST_ADDRESS,
    port,
    receive: (message, from) =>
      sessions.deliver(`${from.address}:${from.port}`, message, lab.scheduler.now * 1000, (command) =>
        lab.network.send({ address: LAB_HOST_ADDRESS, port }, from, command, lab.scheduler.now),
      ),
  };
  lab.network.bind(peer);
  return sessions;
}
