// PTP over UDP/IPv4 on this host: an event socket (Sync, Delay_Req; port 319) and a general socket
// (Follow_Up, Delay_Resp, Announce; port 320), both bound to all addresses so multicast reaches them,
// joined to the group on the chosen interface. Timestamps are taken in JavaScript: a receive time on
// entry to the 'message' handler, a send time just before send(), which (with the address already
// resolved) makes the sendmsg() system call before it returns: on a veth pair or loopback the peer's
// kernel stamps the packet inside that call, so its start is the better estimate of the wire time.
import { createSocket, type Socket } from "node:dgram";
import { isIPv4 } from "node:net";
import { PTP_EVENT_PORT, PTP_GENERAL_PORT, PTP_MULTICAST_ADDRESS } from "../../firmware/src/ptp.ts";
import type { SyncClock } from "./realtime-clock.ts";
import type { PortKind } from "./slave.ts";

export interface PtpUdpOptions {
  /** Where messages go: the PTP multicast group (default) or one peer's address. */
  destination: string;
  eventPort: number;
  generalPort: number;
  /** Local IPv4 address of the interface to use (multicast membership and sending), or undefined. */
  interfaceAddress?: string;
  clock: SyncClock;
  onMessage: (kind: PortKind, bytes: string, rxNs: bigint, from: string) => void;
  onError: (error: Error) => void;
}

export interface PtpUdp {
  send(kind: PortKind, bytes: string): bigint;
  close(): Promise<void>;
  readonly multicast: boolean;
}

export const DEFAULT_UDP = {
  destination: PTP_MULTICAST_ADDRESS,
  eventPort: PTP_EVENT_PORT,
  generalPort: PTP_GENERAL_PORT,
};

export function isMulticast(address: string): boolean {
  const first = Number(address.split(".")[0]);
  return isIPv4(address) && first >= 224 && first <= 239;
}

/** An IPv4 literal resolves to itself at once: no lookup (and no event-loop turn) before sendmsg(). */
const literalLookup = (
  address: string,
  _options: unknown,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
) => callback(null, address, 4);

function bindSocket(port: number, options: PtpUdpOptions, kind: PortKind): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: "udp4", reuseAddr: true, lookup: literalLookup });
    socket.once("error", reject);
    socket.on("message", (message, rinfo) => {
      const rxNs = options.clock.nowNs();
      options.onMessage(kind, message.toString("latin1"), rxNs, rinfo.address);
    });
    socket.bind(port, () => {
      socket.off("error", reject);
      socket.on("error", options.onError);
      try {
        if (isMulticast(options.destination)) {
          socket.addMembership(options.destination, options.interfaceAddress);
          if (options.interfaceAddress) socket.setMulticastInterface(options.interfaceAddress);
          socket.setMulticastLoopback(false);
          socket.setMulticastTTL(1);
        }
      } catch (error) {
        socket.close();
        reject(error as Error);
        return;
      }
      resolve(socket);
    });
  });
}

export async function openPtpUdp(options: PtpUdpOptions): Promise<PtpUdp> {
  const event = await bindSocket(options.eventPort, options, "event");
  let general: Socket;
  try {
    general = await bindSocket(options.generalPort, options, "general");
  } catch (error) {
    event.close();
    throw error;
  }
  return {
    multicast: isMulticast(options.destination),
    send(kind, bytes) {
      const socket = kind === "event" ? event : general;
      const port = kind === "event" ? options.eventPort : options.generalPort;
      const buffer = Buffer.from(bytes, "latin1");
      const sentNs = options.clock.nowNs();
      socket.send(buffer, port, options.destination, (error) => {
        if (error) options.onError(error);
      });
      return sentNs;
    },
    close: () =>
      Promise.all([event, general].map((s) => new Promise<void>((done) => s.close(() => done())))).then(
        () => undefined,
      ),
  };
}
