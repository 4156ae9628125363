// Datagram senders as collector links: each sender (address:port) gets a link session of its own, and
// commands go back to it. A datagram holds one or more whole record lines. Senders that fall silent
// are forgotten, and their number is capped, so a flood of forged sources cannot grow memory.
import { datagramAsLines } from "../../firmware/src/protocol.ts";
import type { Collector } from "../collect/collector.ts";
import type { LinkSession } from "../collect/link-session.ts";

export const MAX_UDP_PEERS = 256;

export class UdpSessions {
  private readonly peers = new Map<string, { session: LinkSession; lastMs: number }>();
  forgotten = 0;

  constructor(
    private readonly collector: Collector,
    private readonly label: (key: string) => string,
  ) {}

  /** A datagram from `key` ("address:port"); `reply` sends a command back to that sender. */
  deliver(key: string, message: string, nowMs: number, reply: (command: string) => void): void {
    let peer = this.peers.get(key);
    if (!peer) {
      if (this.peers.size >= MAX_UDP_PEERS) {
        const oldest = [...this.peers.entries()].reduce((a, b) => (a[1].lastMs <= b[1].lastMs ? a : b));
        this.forget(oldest[0], "too many senders");
      }
      peer = { session: this.collector.attach({ label: this.label(key), send: reply }), lastMs: nowMs };
      this.peers.set(key, peer);
    }
    peer.lastMs = nowMs;
    peer.session.push(datagramAsLines(message));
  }

  /** Forgets senders silent for longer than `idleMs`. */
  sweep(nowMs: number, idleMs: number): void {
    for (const [key, peer] of this.peers) if (nowMs - peer.lastMs > idleMs) this.forget(key, "silent");
  }

  close(reason: string): void {
    for (const key of [...this.peers.keys()]) this.forget(key, reason);
  }

  private forget(key: string, reason: string): void {
    const peer = this.peers.get(key);
    if (!peer) return;
    this.peers.delete(key);
    this.collector.detach(peer.session, reason);
    this.forgotten++;
  }
}
