// Fencing: the classic case, on virtual time with clocks from the lab's oscillator models. Client a
// holds the lease on the lab database with token 33, checks it may act, then pauses (a stop-the-world
// collection, a swapped-out process) past its lease. The lease service hands the lease to b only once
// its own interval clock says the old lease has certainly expired; b writes with token 34. a wakes and
// sends its write with 33: the store, which has seen 34, refuses it. A token never granted is refused
// too. The database is a real SQLite file with the fencing tables (schema migration 3).
import { holderMayAct, type Lease } from "../../analysis/fencing.ts";
import { openStore } from "../../store/open.ts";
import { createFenceStore } from "../../truth/fence-store.ts";
import { createRng } from "../../../sim/rng.ts";
import { modelClock } from "./model-clock.ts";
import { check, storyResult, type Story } from "./story.ts";

const RESOURCE = "lab-db";
const LEASE_S = 10;
const PAUSE_FROM_S = 2;
const PAUSE_S = 15;
const RETRY_EVERY_S = 0.25;
/** The story's epoch: true time 0 is this many ns since 1970 (2026-06-30T12:00:00Z). */
const EPOCH_NS = Date.UTC(2026, 5, 30, 12) * 1e6;

export const fencingStory: Story = {
  name: "fencing",
  description:
    "token 33 pauses past its lease, 34 writes, 33 wakes and is refused; expiry judged on interval clocks",
  run(options) {
    const rng = createRng(options.seed).fork("fencing");
    // The service runs on a quartz board; the clients on an RC and a quartz one.
    const service = modelClock("service", "esp32", rng);
    const a = modelClock("a", "puckjs", rng);
    const b = modelClock("b", "espruino-wifi", rng);
    const abs = (i: { earliestNs: number; latestNs: number }) => ({
      earliestNs: i.earliestNs + EPOCH_NS,
      latestNs: i.latestNs + EPOCH_NS,
    });
    const db = openStore(options.dbPath).db;
    try {
      const fence = createFenceStore(db);
      // Tokens 1 … 32 went to earlier holders.
      db.prepare("INSERT INTO fencing (resource, highest_granted, highest_seen) VALUES (?, 32, 32)").run(
        RESOURCE,
      );
      const lines = [
        `fencing: lease on "${RESOURCE}" for ${LEASE_S} s; service on an esp32 crystal (±${service.boundPpm} ppm), a on a Puck.js RC oscillator (±${a.boundPpm} ppm), b on an Espruino WiFi crystal (±${b.boundPpm} ppm); seed ${options.seed}`,
      ];
      const grantA = fence.grant(RESOURCE, "a", abs(service.intervalNs(0)), LEASE_S * 1e9);
      if (!grantA.granted) throw new Error(grantA.reason);
      const leaseA: Lease = grantA.lease;
      lines.push(
        `t = 0 s: a is granted token ${leaseA.token}, until ${((leaseA.expiresNs - EPOCH_NS) / 1e9).toFixed(6)} s on the service's scale`,
      );
      const aMayAct = holderMayAct(leaseA, abs(a.intervalNs(PAUSE_FROM_S)));
      lines.push(
        `t = ${PAUSE_FROM_S} s: a checks its lease (may act: ${aMayAct}), prepares a write, and pauses for ${PAUSE_S} s`,
      );
      // b asks every RETRY_EVERY_S from t = 5 s until granted.
      let leaseB: Lease | null = null;
      let grantedAtS = NaN;
      const refusals: number[] = [];
      for (let t = 5; t < 30 && leaseB === null; t += RETRY_EVERY_S) {
        const r = fence.grant(RESOURCE, "b", abs(service.intervalNs(t)), LEASE_S * 1e9);
        if (r.granted) {
          leaseB = r.lease;
          grantedAtS = t;
        } else refusals.push(t);
      }
      if (leaseB === null) throw new Error("b was never granted the lease");
      const expiryTrueS = (leaseA.expiresNs - EPOCH_NS) / 1e9; // the service scale is within ns of truth here
      lines.push(
        `b asked from t = 5 s every ${RETRY_EVERY_S} s: refused ${refusals.length} times while a's lease might still run (the service's interval straddled the expiry near ${expiryTrueS.toFixed(3)} s), granted token ${leaseB.token} at t = ${grantedAtS.toFixed(2)} s`,
      );
      const writeAt = grantedAtS + 0.5;
      const bMayAct = holderMayAct(leaseB, abs(b.intervalNs(writeAt)));
      const writeB = fence.write(
        RESOURCE,
        "b",
        leaseB.token,
        BigInt(Math.round(EPOCH_NS + writeAt * 1e9)),
        "b's row",
      );
      lines.push(
        `t = ${writeAt.toFixed(2)} s: b checks (may act: ${bMayAct}) and writes with token ${leaseB.token}: ${writeB.accepted ? "accepted" : "refused"}`,
      );
      const wakeS = PAUSE_FROM_S + PAUSE_S;
      const writeA = fence.write(
        RESOURCE,
        "a",
        leaseA.token,
        BigInt(Math.round(EPOCH_NS + wakeS * 1e9)),
        "a's stale row",
      );
      const aWouldAct = holderMayAct(leaseA, abs(a.intervalNs(wakeS)));
      lines.push(
        `t = ${wakeS} s: a wakes and its write with token ${leaseA.token} arrives: ${writeA.accepted ? "ACCEPTED" : `refused (${writeA.detail})`}; had a checked again, its own clock would have said may act: ${aWouldAct}`,
      );
      const forged = fence.write(
        RESOURCE,
        "mallory",
        leaseB.token + 1,
        BigInt(Math.round(EPOCH_NS + wakeS * 1e9)),
        "forged",
      );
      lines.push(
        `a write with token ${leaseB.token + 1}, never granted: ${forged.accepted ? "ACCEPTED" : `refused (${forged.detail})`}`,
      );
      // Over the whole story, in steps of 10 ms: never both holders entitled at once by their own clocks.
      let both = 0;
      const aClock = modelClock("a", "puckjs", createRng(options.seed).fork("fencing"));
      const bClock = modelClock("b", "espruino-wifi", createRng(options.seed).fork("fencing"));
      for (let i = 0; i <= 3000; i++) {
        const t = i / 100;
        const aActs = holderMayAct(leaseA, abs(aClock.intervalNs(t)));
        const bActs = t >= grantedAtS && holderMayAct(leaseB, abs(bClock.intervalNs(t)));
        if (aActs && bActs) both++;
      }
      const stored = fence.writes(RESOURCE).map((w) => `${w.writer}:${w.token}`);
      const checks = [
        check(
          "b refused while a's lease may still run",
          `${refusals.length} refusals, the last at t = ${refusals[refusals.length - 1]?.toFixed(2)} s`,
          refusals.length > 0 && refusals.every((t) => t < expiryTrueS + 0.001),
        ),
        check(
          `b granted token ${leaseA.token + 1} only after a's lease truly expired`,
          `granted at ${grantedAtS.toFixed(2)} s, expiry ${expiryTrueS.toFixed(3)} s`,
          leaseB.token === leaseA.token + 1 && grantedAtS > expiryTrueS,
        ),
        check(
          `b's write with ${leaseB.token} accepted`,
          writeB.accepted ? "accepted" : "refused",
          writeB.accepted,
        ),
        check(
          `a's late write with ${leaseA.token} refused as stale`,
          writeA.accepted ? "accepted" : writeA.reason,
          !writeA.accepted && writeA.reason === "stale-token",
        ),
        check(
          "a token never granted refused as from the future",
          forged.accepted ? "accepted" : forged.reason,
          !forged.accepted && forged.reason === "token-from-the-future",
        ),
        check(
          "never two holders entitled at once by their own interval clocks (10 ms steps over 30 s)",
          `${both} overlapping steps`,
          both === 0,
        ),
        check("the database holds only b's row", stored.join(", "), stored.join() === `b:${leaseB.token}`),
      ];
      return storyResult(fencingStory, options.seed, lines, checks, {
        tokens: { a: leaseA.token, b: leaseB.token },
        grantedAtS,
        expiryS: expiryTrueS,
        refusals: refusals.length,
        writes: fence.writes(RESOURCE),
        rejections: fence.rejections(RESOURCE),
      });
    } finally {
      db.close();
    }
  },
};
