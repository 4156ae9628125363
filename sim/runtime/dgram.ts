// require("dgram") over the lab's DatagramNetwork (espruino.md §6). Sockets are polled in the idle
// loop on the board, so received messages wait in a queue until the main loop gets to them; there is
// no receive timestamp. A socket that sends before bind() gets an ephemeral port so replies reach it.

import type { DatagramNetwork, DatagramPeer, Scheduler } from "../contracts.ts";

export const EPHEMERAL_PORT_BASE = 49152;

export interface Datagram {
  socket: DgramSocketState;
  message: string;
  fromAddress: string;
  fromPort: number;
}

export class DgramSocketState {
  port: number | null = null;
  closed = false;
  messageListeners: unknown[] = [];
  closeListeners: unknown[] = [];
  peer: DatagramPeer | null = null;
  /** The context-side socket object handed to firmware. */
  handle: unknown = undefined;
}

export class DgramService {
  private readonly sockets: DgramSocketState[] = [];
  private nextEphemeral = EPHEMERAL_PORT_BASE;

  constructor(
    private readonly network: DatagramNetwork,
    readonly address: string,
    private readonly scheduler: Scheduler,
    /** A datagram reached a bound socket (now, in true time). */
    private readonly onReceive: (datagram: Datagram) => void,
  ) {}

  open(): DgramSocketState {
    const s = new DgramSocketState();
    this.sockets.push(s);
    return s;
  }

  bind(socket: DgramSocketState, port: number): void {
    if (socket.closed) throw new Error("socket is closed");
    if (socket.peer !== null) this.network.unbind(socket.peer);
    socket.port = port;
    const peer: DatagramPeer = {
      address: this.address,
      port,
      receive: (message, from, trueTimeS) => {
        const deliver = (): void => {
          if (!socket.closed)
            this.onReceive({ socket, message, fromAddress: from.address, fromPort: from.port });
        };
        if (trueTimeS > this.scheduler.now) this.scheduler.at(trueTimeS, deliver);
        else deliver();
      },
    };
    socket.peer = peer;
    this.network.bind(peer);
  }

  send(socket: DgramSocketState, message: string, port: number, address: string, trueTimeS: number): void {
    if (socket.closed) throw new Error("socket is closed");
    if (socket.port === null) this.bind(socket, this.nextEphemeral++);
    this.network.send(
      { address: this.address, port: socket.port as number },
      { address, port },
      message,
      trueTimeS,
    );
  }

  close(socket: DgramSocketState): void {
    if (socket.closed) return;
    socket.closed = true;
    if (socket.peer !== null) this.network.unbind(socket.peer);
    socket.peer = null;
  }

  closeAll(): void {
    for (const s of this.sockets) this.close(s);
    this.sockets.length = 0;
  }
}
