// The part of unix-dgram (a native AF_UNIX SOCK_DGRAM binding; the package ships no types) that
// timenode uses. Errors carry the negative errno as `code` (e.g. -2 ENOENT, -111 ECONNREFUSED).
declare module "unix-dgram" {
  import type { EventEmitter } from "node:events";

  export interface UnixDgramError extends Error {
    code: number;
    errno: number;
    syscall: string;
  }

  export interface UnixDgramSocket extends EventEmitter {
    bind(path: string): void;
    connect(path: string): void;
    /** On a connected socket; the callback gets an error for a failed send or congestion. */
    send(buf: Buffer, callback?: (error?: UnixDgramError) => void): void;
    close(): void;
    on(event: "error", listener: (error: UnixDgramError) => void): this;
    on(event: "message", listener: (message: Buffer, info: { size: number; path?: string }) => void): this;
    on(event: "connect" | "listening" | "writable", listener: () => void): this;
    on(event: "congestion", listener: (buf: Buffer) => void): this;
  }

  export function createSocket(
    type: "unix_dgram",
    listener?: (message: Buffer, info: { size: number; path?: string }) => void,
  ): UnixDgramSocket;

  const unixDgram: { createSocket: typeof createSocket };
  export default unixDgram;
}
