// Makes a virtual WiFi board reachable over real UDP on loopback: datagrams sent to the bridge's port
// enter the lab's modelled network as if the host sent them, addressed to the port the board's
// firmware listens on; the board's replies leave the bridge for whoever sent last from that port.
// Only loopback is used: the bridge binds 127.0.0.1.
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import type { DatagramPeer } from "../../sim/contracts.ts";
import { LAB_HOST_ADDRESS, type Lab, type LabNode } from "../../sim/lab.ts";

export interface UdpBridge {
  /** The real port on 127.0.0.1. */
  readonly port: number;
  readonly counters: { toBoard: number; fromBoard: number; noListener: number };
  close(): Promise<void>;
}

export function openUdpBridge(lab: Lab, node: LabNode, port: number): Promise<UdpBridge> {
  const address = node.address;
  if (address === null) {
    return Promise.reject(
      new Error(`${node.name} has no WiFi; only boards with a wifi-udp transport speak UDP`),
    );
  }
  const socket: Socket = createSocket("udp4");
  const counters = { toBoard: 0, fromBoard: 0, noListener: 0 };
  // One virtual host peer per real sender port, so the board's replies find their way back.
  const peers = new Map<number, DatagramPeer>();

  const peerFor = (remote: RemoteInfo): DatagramPeer => {
    let peer = peers.get(remote.port);
    if (!peer) {
      peer = {
        address: LAB_HOST_ADDRESS,
        port: remote.port,
        receive: (message) => {
          counters.fromBoard++;
          socket.send(Buffer.from(message, "latin1"), remote.port, remote.address);
        },
      };
      peers.set(remote.port, peer);
      lab.network.bind(peer);
    }
    return peer;
  };

  socket.on("message", (message, remote) => {
    const boardPort = lab.boundPorts(address)[0];
    if (boardPort === undefined) {
      counters.noListener++;
      return;
    }
    const peer = peerFor(remote);
    counters.toBoard++;
    lab.network.send(
      { address: peer.address, port: peer.port },
      { address, port: boardPort },
      message.toString("latin1"),
      lab.scheduler.now,
    );
  });

  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, "127.0.0.1", () => {
      socket.off("error", reject);
      resolve({
        port: socket.address().port,
        counters,
        close: () =>
          new Promise<void>((done) => {
            for (const peer of peers.values()) lab.network.unbind(peer);
            socket.close(() => done());
          }),
      });
    });
  });
}
