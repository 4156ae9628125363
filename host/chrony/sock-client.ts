// Sends samples to chronyd's SOCK refclock over a Unix datagram socket. Never throws: a socket with no
// chronyd behind it, or one we may not write to, is reported once (one line) and retried at most every
// `retryEveryNs`, so a chronyd that starts or restarts later is picked up without losing the feed.
import unixDgram, { type UnixDgramError, type UnixDgramSocket } from "unix-dgram";
import { describeSockError } from "./sock-errors.ts";
import { encodeSockSample, type SockSample } from "./sock-sample.ts";

export type SockClientEvent =
  | { event: "chrony-connected"; socket: string }
  | { event: "chrony-unreachable"; socket: string; message: string };

export interface SockClientOptions {
  path: string;
  /** Monotonic ns, for retry pacing. */
  monoNs: () => bigint;
  emit: (event: SockClientEvent) => void;
  retryEveryNs?: bigint;
}

export interface SockClientStats {
  sent: number;
  /** Samples not sent because the socket was unreachable or congested. */
  dropped: number;
}

export interface SockClient {
  /** True when the sample went to chronyd. */
  send(sample: SockSample): boolean;
  /** Connects now if not connected (ignoring the retry interval); true when connected. */
  probe(): boolean;
  readonly stats: SockClientStats;
  close(): void;
}

export function createSockClient(options: SockClientOptions): SockClient {
  const retryEveryNs = options.retryEveryNs ?? 5_000_000_000n;
  const stats: SockClientStats = { sent: 0, dropped: 0 };
  const buf = Buffer.alloc(40);
  let socket: UnixDgramSocket | null = null;
  let lastAttemptNs: bigint | null = null;
  /** The last problem reported, so a lasting one is said once; null while connected. */
  let reported: string | null = null;

  const fail = (error: UnixDgramError | Error) => {
    const message = describeSockError(options.path, (error as UnixDgramError).code ?? error.message);
    drop();
    if (message !== reported) {
      reported = message;
      options.emit({ event: "chrony-unreachable", socket: options.path, message });
    }
  };
  const drop = () => {
    if (socket !== null) {
      try {
        socket.close();
      } catch {
        // Already closed by the binding.
      }
    }
    socket = null;
  };

  const connect = (): boolean => {
    const now = options.monoNs();
    if (lastAttemptNs !== null && now - lastAttemptNs < retryEveryNs) return false;
    lastAttemptNs = now;
    let failed = false;
    let candidate: UnixDgramSocket;
    try {
      candidate = unixDgram.createSocket("unix_dgram");
    } catch (error) {
      fail(error as Error);
      return false;
    }
    socket = candidate;
    candidate.on("error", (error) => {
      failed = true;
      fail(error);
    });
    candidate.connect(options.path);
    if (failed) return false;
    reported = null;
    options.emit({ event: "chrony-connected", socket: options.path });
    return true;
  };

  return {
    stats,
    send(sample) {
      if (socket === null && !connect()) {
        stats.dropped++;
        return false;
      }
      let ok = true;
      socket!.send(encodeSockSample(sample, buf), (error) => {
        if (!error) return;
        ok = false;
        // Congestion: chronyd is alive but behind; anything else: it went away.
        if (error.message === "congestion") {
          const message = describeSockError(options.path, "EAGAIN");
          if (message !== reported) {
            reported = message;
            options.emit({ event: "chrony-unreachable", socket: options.path, message });
          }
        } else fail(error);
      });
      if (ok) {
        stats.sent++;
        if (reported !== null) {
          reported = null;
          options.emit({ event: "chrony-connected", socket: options.path });
        }
      } else stats.dropped++;
      return ok;
    },
    probe() {
      if (socket !== null) return true;
      lastAttemptNs = null;
      return connect();
    },
    close: drop,
  };
}
