// True-time results for people and for JSON: instants as ISO UTC with nanoseconds, and as decimal
// strings of ns since the epoch (a JSON number cannot hold 1.8e18 exactly).
import type { NodeNow, TrueTime } from "../analysis/true-time.ts";

export function isoNs(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const subMs = ns - ms * 1_000_000n;
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, -1)}${subMs.toString().padStart(6, "0")}Z`;
}

function nodeJson(n: NodeNow) {
  return {
    name: n.name,
    status: n.status,
    role: n.role,
    earliestNs: n.earliestNs?.toString() ?? null,
    latestNs: n.latestNs?.toString() ?? null,
    ageS: n.ageS,
    growthPpb: Number.isFinite(n.growthPpb) ? n.growthPpb : null,
    reason: n.reason,
  };
}

export function trueTimeJson(t: TrueTime) {
  return {
    status: t.status,
    atHostNs: t.atHostNs.toString(),
    earliest: t.earliestNs === null ? null : isoNs(t.earliestNs),
    latest: t.latestNs === null ? null : isoNs(t.latestNs),
    earliestNs: t.earliestNs?.toString() ?? null,
    latestNs: t.latestNs?.toString() ?? null,
    widthNs: t.earliestNs !== null && t.latestNs !== null ? Number(t.latestNs - t.earliestNs) : null,
    faultsAllowed: t.majority?.faultsAllowed ?? null,
    falsetickers: t.nodes.filter((n) => n.role === "falseticker").map((n) => n.name),
    reason: t.reason,
    nodes: t.nodes.map(nodeJson),
  };
}
