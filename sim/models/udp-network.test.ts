import { describe, expect, it } from "vitest";
import type { DatagramPeer } from "../contracts.ts";
import { createRng } from "../rng.ts";
import { MiniScheduler } from "./testing/mini-scheduler.ts";
import { createUdpNetwork, type UdpNetworkOptions } from "./udp-network.ts";

interface Received {
  message: string;
  from: string;
  t: number;
}

function peer(address: string, port: number, log: Received[]): DatagramPeer {
  return {
    address,
    port,
    receive: (message, from, t) => log.push({ message, from: `${from.address}:${from.port}`, t }),
  };
}

function harness(options: Partial<Omit<UdpNetworkOptions, "scheduler">> = {}) {
  const scheduler = new MiniScheduler();
  const truth: { kind: string; t: number; fields: Record<string, number | string | boolean> }[] = [];
  const net = createUdpNetwork({
    scheduler,
    rng: createRng("udp"),
    delay: { baseS: 0.01, jitterS: 0.001, distribution: "normal" },
    truth: { record: (kind, t, fields) => truth.push({ kind, t, fields }) },
    ...options,
  });
  const atHost: Received[] = [];
  const atBoard: Received[] = [];
  net.bind(peer("10.0.0.1", 123, atHost));
  net.bind(peer("10.0.0.2", 123, atBoard));
  return { scheduler, net, truth, atHost, atBoard };
}

const HOST = { address: "10.0.0.1", port: 123 };
const BOARD = { address: "10.0.0.2", port: 123 };

function stats(xs: number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, sd: Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length) };
}

function sendMany(
  h: ReturnType<typeof harness>,
  n: number,
  spacingS: number,
  from = HOST,
  to = BOARD,
): number[] {
  const sent: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = i * spacingS;
    h.scheduler.runUntil(t);
    h.net.send(from, to, String(i), t);
    sent.push(t);
  }
  h.scheduler.runUntil(n * spacingS + 10);
  return sent;
}

describe("createUdpNetwork", () => {
  it("normal delay: mean baseS, sd jitterS", () => {
    const h = harness();
    const sent = sendMany(h, 10_000, 0.1);
    const delays = h.atBoard.map((r) => r.t - (sent[Number(r.message)] as number));
    const s = stats(delays);
    expect(s.mean).toBeCloseTo(0.01, 4);
    expect(s.sd / 0.001).toBeGreaterThan(0.95);
    expect(s.sd / 0.001).toBeLessThan(1.05);
    expect(h.atBoard[0]?.from).toBe("10.0.0.1:123");
  });

  it("exponential delay: minimum baseS, mean baseS + jitterS", () => {
    const h = harness({ delay: { baseS: 0.005, jitterS: 0.002, distribution: "exponential" } });
    const sent = sendMany(h, 10_000, 0.1);
    const delays = h.atBoard.map((r) => r.t - (sent[Number(r.message)] as number));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0.005);
    const s = stats(delays);
    expect(s.mean / 0.007).toBeGreaterThan(0.98);
    expect(s.mean / 0.007).toBeLessThan(1.02);
    expect(s.sd / 0.002).toBeGreaterThan(0.95);
    expect(s.sd / 0.002).toBeLessThan(1.05);
  });

  it("adds the per-route asymmetry in one direction only", () => {
    const h = harness({
      delay: { baseS: 0.01, jitterS: 0, distribution: "normal" },
      routeExtraDelayS: { "10.0.0.1->10.0.0.2": 0.003 },
    });
    h.net.send(HOST, BOARD, "there", 0);
    h.net.send(BOARD, HOST, "back", 0);
    h.scheduler.runUntil(1);
    expect(h.atBoard[0]?.t).toBeCloseTo(0.013, 12);
    expect(h.atHost[0]?.t).toBeCloseTo(0.01, 12);
  });

  it("loses and duplicates at the set rates; jitter reorders", () => {
    const h = harness({
      lossRate: 0.1,
      duplicateRate: 0.05,
      delay: { baseS: 0.01, jitterS: 0.002, distribution: "normal" },
    });
    const n = 20_000;
    sendMany(h, n, 0.001);
    const c = h.net.counters;
    expect(c.sent).toBe(n);
    expect(c.lost / n).toBeGreaterThan(0.09);
    expect(c.lost / n).toBeLessThan(0.11);
    expect(c.duplicated / (n - c.lost)).toBeGreaterThan(0.045);
    expect(c.duplicated / (n - c.lost)).toBeLessThan(0.055);
    expect(h.atBoard.length).toBe(n - c.lost + c.duplicated);
    const order = h.atBoard.map((r) => Number(r.message));
    const inversions = order.filter((v, i) => i > 0 && v < (order[i - 1] as number)).length;
    expect(inversions).toBeGreaterThan(100);
  });

  it("drops datagrams for unbound endpoints (at arrival) and counts them", () => {
    const h = harness();
    h.net.send(HOST, { address: "10.0.0.9", port: 1 }, "nobody", 0);
    const board = { address: "10.0.0.3", port: 5 };
    const log: Received[] = [];
    const p = peer(board.address, board.port, log);
    h.net.bind(p);
    h.net.send(HOST, board, "gone", 0);
    h.net.unbind(p);
    h.scheduler.runUntil(1);
    expect(log).toHaveLength(0);
    expect(h.net.counters.droppedUnbound).toBe(2);
    expect(h.truth.filter((r) => r.kind === "udp.drop" && r.fields.reason === "unbound")).toHaveLength(2);
  });

  it("records true send and receive times", () => {
    const h = harness();
    h.net.send(HOST, BOARD, "hello", 0.5);
    h.scheduler.runUntil(2);
    const send = h.truth.find((r) => r.kind === "udp.send");
    const recv = h.truth.find((r) => r.kind === "udp.receive");
    expect(send?.t).toBe(0.5);
    expect(send?.fields).toMatchObject({ from: "10.0.0.1:123", to: "10.0.0.2:123", bytes: 5 });
    expect(recv?.t).toBe(h.atBoard[0]?.t);
    expect(recv?.fields.sentS).toBe(0.5);
    expect(recv?.fields.id).toBe(send?.fields.id);
  });

  it("is deterministic by seed", () => {
    const run = () => {
      const h = harness({ lossRate: 0.2, duplicateRate: 0.2 });
      sendMany(h, 200, 0.001);
      return h.atBoard;
    };
    expect(run()).toEqual(run());
  });

  it("rejects bad parameters with reasons", () => {
    expect(() => harness({ delay: { baseS: -1, jitterS: 0, distribution: "normal" } })).toThrow(
      /baseS must be ≥ 0, got -1/,
    );
    expect(() => harness({ delay: { baseS: 0, jitterS: 0, distribution: "pareto" as never } })).toThrow(
      /distribution/,
    );
    expect(() => harness({ lossRate: 2 })).toThrow(/lossRate must be in \[0, 1\]/);
    expect(() => harness({ routeExtraDelayS: { "a-b": 1 } })).toThrow(/fromAddress->toAddress/);
    const h = harness();
    expect(() => h.net.bind(peer("10.0.0.1", 123, []))).toThrow(/already bound/);
    expect(() => h.net.send(HOST, { address: "", port: 1 }, "x", 0)).toThrow(/address/);
    h.scheduler.runUntil(3);
    expect(() => h.net.send(HOST, BOARD, "x", 1)).toThrow(/not before now/);
  });
});
