// A modelled UDP network. Each datagram (and each duplicate) draws its own one-way delay:
//   delay = baseS + routeExtraS[from→to] + jitter,
//   jitter: "normal" → N(0, jitterS²) redrawn until delay ≥ 0 (so baseS is the mean when baseS ≫ jitterS);
//           "exponential" → Exp(mean jitterS) (baseS is then the minimum delay).
// Reordering is not a separate knob: it happens when the jitter exceeds the spacing between sends.
// Asymmetry is a per-route extra delay keyed "fromAddress->toAddress" (addresses only, no ports).
// The peer is looked up when the datagram arrives: unbound at arrival → dropped and counted.

import type { DatagramNetwork, DatagramPeer, Rng, Scheduler, TruthRecorder } from "../contracts.ts";
import { paramChecks } from "./params.ts";

const { fail, nonNegative, rate } = paramChecks("udp network");

export interface UdpDelayModel {
  baseS: number;
  jitterS: number;
  distribution: "normal" | "exponential";
}

export interface UdpNetworkOptions {
  scheduler: Scheduler;
  rng: Rng;
  delay: UdpDelayModel;
  /** Extra one-way delay per route, e.g. { "10.0.0.1->10.0.0.2": 0.002 }. */
  routeExtraDelayS?: Readonly<Record<string, number>>;
  lossRate?: number;
  duplicateRate?: number;
  truth?: TruthRecorder;
}

export interface UdpNetworkCounters {
  sent: number;
  lost: number;
  duplicated: number;
  delivered: number;
  droppedUnbound: number;
}

export interface UdpNetwork extends DatagramNetwork {
  readonly counters: Readonly<UdpNetworkCounters>;
}

function endpointKey(address: string, port: number): string {
  return address + ":" + port;
}

function checkEndpoint(what: string, e: { address: string; port: number }): void {
  if (typeof e?.address !== "string" || e.address === "") fail(`${what}.address must be a non-empty string`);
  if (!Number.isInteger(e.port) || e.port < 0 || e.port > 65535)
    fail(`${what}.port must be an integer 0–65535, got ${e.port}`);
}

export function createUdpNetwork(options: UdpNetworkOptions): UdpNetwork {
  const { scheduler, truth } = options;
  if (typeof scheduler?.at !== "function") fail("scheduler is required");
  const delay = options.delay;
  if (delay === undefined) fail("delay is required");
  const baseS = nonNegative("delay.baseS", delay.baseS);
  const jitterS = nonNegative("delay.jitterS", delay.jitterS);
  if (delay.distribution !== "normal" && delay.distribution !== "exponential") {
    fail(`delay.distribution must be "normal" or "exponential", got ${String(delay.distribution)}`);
  }
  const exponential = delay.distribution === "exponential";
  const routeExtra = new Map<string, number>();
  for (const [route, extraS] of Object.entries(options.routeExtraDelayS ?? {})) {
    if (!/^[^>]+->[^>]+$/.test(route)) fail(`route key "${route}" must look like "fromAddress->toAddress"`);
    routeExtra.set(route, nonNegative(`routeExtraDelayS["${route}"]`, extraS));
  }
  const lossRate = rate("lossRate", options.lossRate);
  const duplicateRate = rate("duplicateRate", options.duplicateRate);
  const delayRng = options.rng.fork("udp-delay");
  const fateRng = options.rng.fork("udp-fate");

  const peers = new Map<string, DatagramPeer>();
  const counters: UdpNetworkCounters = { sent: 0, lost: 0, duplicated: 0, delivered: 0, droppedUnbound: 0 };
  let nextId = 1;

  const drawDelayS = (extraS: number): number => {
    if (jitterS === 0) return baseS + extraS;
    if (exponential) return baseS + extraS - jitterS * Math.log(1 - delayRng.uniform());
    let d: number;
    do d = baseS + extraS + jitterS * delayRng.normal();
    while (d < 0);
    return d;
  };

  const launch = (
    id: number,
    from: { address: string; port: number },
    to: { address: string; port: number },
    message: string,
    sentS: number,
    extraS: number,
    duplicate: boolean,
  ): void => {
    const arrivalS = sentS + drawDelayS(extraS);
    scheduler.at(arrivalS, () => {
      const peer = peers.get(endpointKey(to.address, to.port));
      if (peer === undefined) {
        counters.droppedUnbound++;
        truth?.record("udp.drop", arrivalS, { id, reason: "unbound", to: endpointKey(to.address, to.port) });
        return;
      }
      counters.delivered++;
      truth?.record("udp.receive", arrivalS, { id, sentS, delayS: arrivalS - sentS, duplicate });
      peer.receive(message, from, arrivalS);
    });
  };

  return {
    counters,
    bind(peer) {
      checkEndpoint("peer", peer);
      const key = endpointKey(peer.address, peer.port);
      const bound = peers.get(key);
      if (bound !== undefined && bound !== peer) fail(`${key} is already bound`);
      peers.set(key, peer);
    },
    unbind(peer) {
      const key = endpointKey(peer.address, peer.port);
      if (peers.get(key) === peer) peers.delete(key);
    },
    send(from, to, message, trueTimeS) {
      checkEndpoint("from", from);
      checkEndpoint("to", to);
      if (typeof message !== "string") fail("message must be a string");
      if (!Number.isFinite(trueTimeS) || trueTimeS < scheduler.now - 1e-9) {
        fail(`send time ${trueTimeS} s must be finite and not before now (${scheduler.now} s)`);
      }
      const id = nextId++;
      counters.sent++;
      const fromCopy = { address: from.address, port: from.port };
      const toCopy = { address: to.address, port: to.port };
      truth?.record("udp.send", trueTimeS, {
        id,
        from: endpointKey(from.address, from.port),
        to: endpointKey(to.address, to.port),
        bytes: message.length,
      });
      if (lossRate > 0 && fateRng.uniform() < lossRate) {
        counters.lost++;
        truth?.record("udp.drop", trueTimeS, { id, reason: "loss" });
        return;
      }
      const extraS = routeExtra.get(from.address + "->" + to.address) ?? 0;
      launch(id, fromCopy, toCopy, message, trueTimeS, extraS, false);
      if (duplicateRate > 0 && fateRng.uniform() < duplicateRate) {
        counters.duplicated++;
        launch(id, fromCopy, toCopy, message, trueTimeS, extraS, true);
      }
    },
  };
}
