import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import unixDgram from "unix-dgram";
import { afterAll, describe, expect, it } from "vitest";
import { createSockClient, type SockClientEvent } from "./sock-client.ts";
import { describeSockError } from "./sock-errors.ts";
import { decodeSockSample, sockSampleFromNs, type SockSample } from "./sock-sample.ts";

describe("SOCK client", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-sock-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function listen(path: string) {
    const received: (SockSample | string)[] = [];
    let wake: (() => void) | null = null;
    const server = unixDgram.createSocket("unix_dgram", (message) => {
      received.push(decodeSockSample(message));
      wake?.();
    });
    server.bind(path);
    const next = (count: number) =>
      new Promise<void>((done) => {
        if (received.length >= count) return done();
        wake = () => {
          if (received.length >= count) done();
        };
      });
    return { server, received, next };
  }

  it("says once that nothing is there, picks chronyd up when it appears, and says when it goes", async () => {
    const path = join(dir, "refclock.sock");
    let monoNs = 0n;
    const events: SockClientEvent[] = [];
    const client = createSockClient({
      path,
      monoNs: () => monoNs,
      emit: (e) => events.push(e),
      retryEveryNs: 1_000_000_000n,
    });
    const sample = sockSampleFromNs(1_782_820_851_123_456_789n, 250_000, 0);
    expect(client.send(sample)).toBe(false);
    monoNs += 2_000_000_000n;
    expect(client.send(sample)).toBe(false);
    expect(events).toEqual([
      { event: "chrony-unreachable", socket: path, message: expect.stringContaining("no socket at") },
    ]);
    expect(client.stats).toEqual({ sent: 0, dropped: 2 });

    const chronyd = listen(path);
    expect(client.send(sample)).toBe(false); // within the retry interval: not tried yet
    monoNs += 2_000_000_000n;
    expect(client.send(sample)).toBe(true);
    await chronyd.next(1);
    expect(chronyd.received[0]).toEqual(sample);
    expect(events.at(-1)).toEqual({ event: "chrony-connected", socket: path });

    chronyd.server.close(); // the socket file stays: a stopped chronyd
    expect(client.send(sample)).toBe(false);
    expect(events.at(-1)).toMatchObject({ message: expect.stringContaining("nothing listens on") });
    client.close();
  });

  it("names the fix for each way the socket can be wrong", () => {
    expect(describeSockError("/run/x.sock", -13)).toMatch(/no permission to write to \/run\/x.sock/);
    expect(describeSockError("/run/x.sock", "EACCES")).toMatch(/no permission/);
    expect(describeSockError("/run/x.sock", -88)).toMatch(/is not a socket/);
    expect(describeSockError("/run/x.sock", -91)).toMatch(/not a datagram socket/);
    expect(describeSockError("/run/x.sock", -12345)).toMatch(/cannot send to \/run\/x.sock/);
  });
});
