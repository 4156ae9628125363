// Byzantine nodes: four boards, one of which lies about its clock, in two ways: a constant offset, and
// an offset that wanders off slowly (starting inside its own bound, so at first it cannot be told from
// an honest clock, nor does it matter). With n = 4 = 3f + 1 the host tolerates f = 1: the agreement
// span with f = 1 names the liar once its lie leaves its bound, and the fault-tolerant midpoint of the
// nodes' readings stays within the honest nodes' spread whatever the liar says. The liar also tries to
// write to the lab database with a fencing token it was never granted, and is refused.
// The lie is applied to the liar's readings as they reach the host: the same bytes a compromised board's
// firmware would send; the firmware bundles themselves are honest. Records are authenticated per node
// (host/truth/record-auth.ts); the boards' signing is simulated by the lab, as no firmware signs yet.
import { faultTolerantMidpoint } from "../../analysis/ft-midpoint.ts";
import { trueTime, type NodeSnapshot } from "../../analysis/true-time.ts";
import { formatNs } from "../../cli/units.ts";
import { openStore } from "../../store/open.ts";
import { createFenceStore } from "../../truth/fence-store.ts";
import { nodeKey, RecordAuthenticator, signRecord } from "../../truth/record-auth.ts";
import { crc32 } from "../../../firmware/src/crc32.ts";
import { frameRecord, recordBody, REC_CLOCK } from "../../../firmware/src/protocol.ts";
import { runCollected } from "./collected.ts";
import { check, storyResult, type Story, type StoryCheck } from "./story.ts";

const BOARDS = ["esp32", "esp32", "esp32", "esp32"];
const LIAR = "esp32-3";
const FAULTS = 1;
const DURATION_S = 900;
const FIRST_LOOK_S = 300;
const LOOK_EVERY_S = 20;
const CONSTANT_LIE_NS = 20_000_000;
/** The wandering lie: 0 at the first look, then 40 µs more every second (a 40 ppm runaway clock). */
const WANDER_NS_PER_S = 40_000;

type Lie = { name: string; offsetNs: (t: number) => number };

const LIES: Lie[] = [
  { name: "constant offset", offsetNs: () => CONSTANT_LIE_NS },
  { name: "slowly wandering offset", offsetNs: (t) => (t - FIRST_LOOK_S) * WANDER_NS_PER_S },
];

function lying(snaps: NodeSnapshot[], lieNs: number): NodeSnapshot[] {
  return snaps.map((s) => (s.name === LIAR ? { ...s, utcNs: s.utcNs + BigInt(Math.round(lieNs)) } : s));
}

/** The stored clock readings as the lines their boards sent, each signed with its node's key. */
function authenticateRun(dbPath: string) {
  const db = openStore(dbPath, { readonly: true }).db;
  try {
    const rows = db
      .prepare<[], { serial: string; name: string; bootId: string; seq: number; fields: string }>(
        `SELECT n.serial, n.name, b.boot_id AS bootId, c.seq,
           (c.local_ns / 1000) || ',' || (c.utc_ns / 1000000000) || ',' || (c.utc_ns % 1000000000) || ',' || c.second60 || ',' ||
           c.earliest95_ns || ',' || c.latest95_ns || ',' || c.earliest_hard_ns || ',' || c.latest_hard_ns || ',' ||
           c.servo_state || ',' || c.age_ms AS fields
         FROM clock_readings c JOIN boots b USING (boot_key) JOIN nodes n ON n.id = b.node_id ORDER BY c.host_ns`,
      )
      .all();
    const frame = (r: { bootId: string; seq: number; fields: string }) => {
      const body = recordBody(REC_CLOCK, r.bootId, r.seq, r.fields);
      return frameRecord(body, crc32(body));
    };
    const master = "timenode lab byzantine story";
    const keys = new Map(rows.map((r) => [r.serial, nodeKey(master, r.serial)]));
    const auth = new RecordAuthenticator(keys);
    const honest = rows.find((r) => r.name === "esp32-0")!;
    const liar = rows.find((r) => r.name === LIAR)!;
    for (const r of rows) auth.check(signRecord(keys.get(r.serial)!, r.serial, frame(r)));
    // The liar signs a made-up reading with its own key: valid, and a lie.
    const lie = {
      ...liar,
      seq: liar.seq + 1_000_000,
      fields: liar.fields.replace(/^(\d+),(\d+)/, (_, l, s) => `${l},${Number(s) + 1}`),
    };
    auth.check(signRecord(keys.get(liar.serial)!, liar.serial, frame(lie)));
    // It forges a record in esp32-0's name (it has only its own key), replays two of esp32-0's, and a
    // node nobody flashed a key for sends one.
    const forged = signRecord(
      keys.get(liar.serial)!,
      liar.serial,
      frame({ ...honest, seq: honest.seq + 1_000_000 }),
    );
    auth.check(forged.replace(`~${liar.serial}:`, `~${honest.serial}:`));
    auth.check(signRecord(keys.get(honest.serial)!, honest.serial, frame(honest)));
    auth.check(signRecord(keys.get(honest.serial)!, honest.serial, frame(honest)));
    auth.check(signRecord(nodeKey("someone else", "FFFF"), "FFFF", frame(honest)));
    return { genuine: rows.length, liarSigned: 1, counts: { ...auth.counts } };
  } finally {
    db.close();
  }
}

export const byzantineStory: Story = {
  name: "byzantine",
  description:
    "one of four boards lies (constant, then wandering offset; a forged fencing token): named, excluded, refused",
  run(options) {
    const run = runCollected(options, { boards: BOARDS, scenario: "steady", durationS: DURATION_S });
    const lines = [
      `byzantine: ${BOARDS.length} boards, tolerating f = ${FAULTS} (needs ${3 * FAULTS + 1}), ${DURATION_S / 60} virtual minutes, seed ${options.seed}; ${LIAR} lies`,
    ];
    const checks: StoryCheck[] = [];
    const data: Record<string, unknown> = {};
    try {
      for (const lie of LIES) {
        let firstNamedS: number | null = null;
        let namedAfterFirst = true;
        let innocentNamed = 0;
        let spanHoldsTruth = 0;
        let looks = 0;
        let worstMidpointExcessNs = 0;
        let worstMidpointErrorNs = 0;
        let midpointsAgreed = 0;
        for (let t = FIRST_LOOK_S; t <= DURATION_S; t += LOOK_EVERY_S) {
          looks++;
          const at = run.hostNsAt(t);
          const lieNs = lie.offsetNs(t);
          const snaps = lying(run.snapshotsAt(t), lieNs);
          const verdict = trueTime(snaps, at, { faults: FAULTS });
          const falsetickers = verdict.nodes.filter((n) => n.role === "falseticker").map((n) => n.name);
          if (falsetickers.some((n) => n !== LIAR)) innocentNamed++;
          const named = falsetickers.includes(LIAR);
          if (named && firstNamedS === null) firstNamedS = t;
          if (!named && firstNamedS !== null) namedAfterFirst = false;
          if (verdict.earliestNs !== null && verdict.earliestNs <= at && at <= verdict.latestNs!)
            spanHoldsTruth++;
          // Fault-tolerant midpoint of each node's interval midpoint, in ns from the truth.
          const readings = verdict.nodes
            .filter((n) => n.earliestNs !== null)
            .map((n) => ({ id: n.name, value: Number((n.earliestNs! + n.latestNs!) / 2n - at) }));
          const ftm = faultTolerantMidpoint(readings, FAULTS);
          if (ftm.status !== "agreed") continue;
          midpointsAgreed++;
          const honest = readings.filter((r) => r.id !== LIAR).map((r) => r.value);
          const excess = Math.max(0, Math.min(...honest) - ftm.midpoint, ftm.midpoint - Math.max(...honest));
          worstMidpointExcessNs = Math.max(worstMidpointExcessNs, excess);
          worstMidpointErrorNs = Math.max(worstMidpointErrorNs, Math.abs(ftm.midpoint));
        }
        lines.push(
          `${lie.name}: ${LIAR} named falseticker from ${firstNamedS === null ? "never" : `${firstNamedS} s (lie then ${formatNs(lie.offsetNs(firstNamedS))})`}; ` +
            `honest nodes named: ${innocentNamed}; agreement span (f = 1) held the truth at ${spanHoldsTruth} of ${looks} looks; ` +
            `fault-tolerant midpoint within ${formatNs(worstMidpointErrorNs)} of the truth, ${formatNs(worstMidpointExcessNs)} outside the honest nodes' spread`,
        );
        data[lie.name] = {
          firstNamedS,
          innocentNamed,
          spanHoldsTruth,
          looks,
          worstMidpointErrorNs,
          worstMidpointExcessNs,
        };
        checks.push(
          check(
            `${lie.name}: ${LIAR} named falseticker, and stays named once its lie leaves its bound`,
            `first named at ${firstNamedS ?? "never"} s, stayed named: ${namedAfterFirst}`,
            firstNamedS !== null && namedAfterFirst,
          ),
          check(
            `${lie.name}: no honest node named`,
            `${innocentNamed} looks named an honest node`,
            innocentNamed === 0,
          ),
          check(
            `${lie.name}: the f = 1 agreement span holds the true time at every look`,
            `${spanHoldsTruth} of ${looks}`,
            spanHoldsTruth === looks,
          ),
          check(
            `${lie.name}: fault-tolerant midpoint agreed at every look, never outside the honest nodes' spread`,
            `agreed at ${midpointsAgreed} of ${looks}, worst excess ${formatNs(worstMidpointExcessNs)}`,
            midpointsAgreed === looks && worstMidpointExcessNs === 0,
          ),
        );
      }
      // Three nodes cannot reach Byzantine agreement with one liar: the host says so, claims nothing.
      const atEnd = run.hostNsAt(DURATION_S);
      const three = trueTime(
        lying(run.snapshotsAt(DURATION_S), CONSTANT_LIE_NS).filter((s) => s.name !== "esp32-0"),
        atEnd,
      ).nodes.map((n) => ({
        id: n.name,
        value: n.earliestNs === null ? NaN : Number((n.earliestNs + n.latestNs!) / 2n - atEnd),
      }));
      const tooFew = faultTolerantMidpoint(three, FAULTS);
      lines.push(
        `with only 3 nodes: ${tooFew.status === "agreed" ? `agreed ${tooFew.midpoint} ns` : tooFew.reason}`,
      );
      checks.push(
        check(
          "3 nodes and f = 1: no agreed time claimed, 4 nodes named as needed",
          tooFew.status === "agreed" ? "agreed" : tooFew.reason,
          tooFew.status === "too-few-nodes" && tooFew.needed === 4,
        ),
      );
      // Authentication: every board's clock records signed with its own key (the lab signs for the
      // firmware), sent with an attacker's additions; the host verifies each.
      const auth = authenticateRun(options.dbPath);
      lines.push(
        `authentication: ${auth.genuine} genuine records signed per node, all accepted: ${auth.counts.accepted === auth.genuine + auth.liarSigned}; ` +
          `the liar's own lies, signed with its own key, accepted too (${auth.liarSigned}: a key proves who spoke, not that it told the truth); ` +
          `refused: ${auth.counts.forged} forged, ${auth.counts.replayed} replayed, ${auth.counts["unknown-node-key"]} from an unknown node`,
      );
      checks.push(
        check(
          "every genuine record accepted once; the forged one (esp32-0's name, the liar's key), the replays and the unknown node refused and counted",
          JSON.stringify(auth.counts),
          auth.counts.accepted === auth.genuine + auth.liarSigned &&
            auth.counts.forged === 1 &&
            auth.counts.replayed === 2 &&
            auth.counts["unknown-node-key"] === 1,
        ),
      );
      data["authentication"] = auth.counts;
      // The forged fencing token.
      const db = openStore(options.dbPath).db;
      try {
        const fence = createFenceStore(db);
        const at = Number(run.hostNsAt(DURATION_S));
        const lease = fence.grant("lab-db", "esp32-0", { earliestNs: at - 1e4, latestNs: at + 1e4 }, 60e9);
        const token = lease.granted ? lease.lease.token : 0;
        const honest = fence.write("lab-db", "esp32-0", token, run.hostNsAt(DURATION_S), "honest row");
        const forged = fence.write("lab-db", LIAR, token + 7, run.hostNsAt(DURATION_S), "forged row");
        lines.push(
          `fencing: esp32-0 holds token ${token} and writes (${honest.accepted ? "accepted" : "refused"}); ${LIAR} writes with token ${token + 7}: ${forged.accepted ? "accepted" : `refused, ${forged.detail}`}`,
        );
        checks.push(
          check(
            "a forged fencing token is refused as from the future",
            forged.accepted ? "accepted" : forged.reason,
            !forged.accepted && forged.reason === "token-from-the-future",
          ),
        );
      } finally {
        db.close();
      }
      return storyResult(byzantineStory, options.seed, lines, checks, data);
    } finally {
      run.close();
    }
  },
};
