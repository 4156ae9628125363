// Quorum: four boards, one of them a falseticker through no fault of its own (its GPS receiver names the
// next PPS edge, so its UTC is a whole second off while its bound claims microseconds). The host's
// agreement names it, keeps the truth inside the agreed interval, says "no majority" when only two
// disagreeing nodes are left, and refuses a guarantee its fault model has too few nodes for.
import { marzullo } from "../../analysis/marzullo.ts";
import { ntpIntersection } from "../../analysis/intersection.ts";
import { nodeNow, trueTime, type NodeSnapshot } from "../../analysis/true-time.ts";
import { formatNs } from "../../cli/units.ts";
import { runCollected } from "./collected.ts";
import { check, storyResult, type Story } from "./story.ts";

const BOARDS = ["esp32", "puckjs", "esp32", "esp32"];
const LIAR = "esp32-2";
const DURATION_S = 1200;
const FIRST_LOOK_S = 300;
const LOOK_EVERY_S = 60;

/** Every usable node's interval carried to host moment `atNs`, in ns from it. */
const intervalsAt = (snaps: NodeSnapshot[], atNs: bigint) =>
  snaps
    .map((s) => nodeNow(s, atNs))
    .filter((n) => n.earliestNs !== null && n.latestNs !== null)
    .map((n) => ({ id: n.name, earliest: Number(n.earliestNs! - atNs), latest: Number(n.latestNs! - atNs) }));

export const quorumStory: Story = {
  name: "quorum",
  description:
    "four boards, one a second off with a confident bound: truth by majority, the falseticker named",
  run(options) {
    const run = runCollected(options, { boards: BOARDS, scenario: "quorum", durationS: DURATION_S });
    try {
      const lines = [
        `quorum: ${BOARDS.length} boards (${BOARDS.join(", ")}), ${DURATION_S / 60} virtual minutes, seed ${options.seed}; ${LIAR}'s receiver names the next PPS edge`,
      ];
      const looks: {
        t: number;
        falsetickers: string[];
        truthInside: boolean;
        halfWidthNs: number;
        status: string;
      }[] = [];
      for (let t = FIRST_LOOK_S; t <= DURATION_S; t += LOOK_EVERY_S) {
        const at = run.hostNsAt(t);
        const result = trueTime(run.snapshotsAt(t), at);
        const truthInside = result.earliestNs !== null && result.earliestNs <= at && at <= result.latestNs!;
        const falsetickers = result.nodes.filter((n) => n.role === "falseticker").map((n) => n.name);
        const halfWidthNs =
          result.earliestNs !== null ? Number(result.latestNs! - result.earliestNs) / 2 : NaN;
        looks.push({ t, falsetickers, truthInside, halfWidthNs, status: result.status });
      }
      const last = run.snapshotsAt(DURATION_S);
      const liarSnap = last.find((s) => s.name === LIAR);
      const liarOffsetNs = liarSnap ? Number(liarSnap.utcNs - liarSnap.hostNs) : NaN;
      lines.push(
        `${LIAR} reads ${formatNs(Math.abs(liarOffsetNs))} ${liarOffsetNs > 0 ? "ahead" : "behind"} of the others with a bound of ±${liarSnap ? formatNs(liarSnap.latestNs) : "—"}`,
      );
      const named = looks.filter((l) => l.falsetickers.length === 1 && l.falsetickers[0] === LIAR).length;
      const inside = looks.filter((l) => l.truthInside).length;
      const widths = looks.map((l) => l.halfWidthNs).filter(Number.isFinite);
      lines.push(
        `looked every ${LOOK_EVERY_S} s from ${FIRST_LOOK_S} s: falseticker ${LIAR} named at ${named} of ${looks.length} moments; true time inside the agreed interval at ${inside} of ${looks.length} (half-width ${formatNs(Math.min(...widths))} … ${formatNs(Math.max(...widths))})`,
      );
      // The algorithms side by side on the last moment's readings.
      const intervals = intervalsAt(last, run.hostNsAt(DURATION_S));
      const mz = marzullo(intervals);
      const ntp = ntpIntersection(intervals);
      lines.push(
        `Marzullo: ${mz.status}${mz.status === "agreed" ? `, ${mz.count} of ${mz.sources} agree, falsetickers ${mz.falsetickers.map((f) => f.id).join(", ") || "none"}` : ""}; ` +
          `NTP intersection: ${ntp.status}${ntp.status === "agreed" ? `, f = ${ntp.faultsAllowed}, falsetickers ${ntp.falsetickers.map((f) => f.id).join(", ") || "none"}` : " (more midpoints outside its span than the faults it may allow)"}`,
      );
      const pair = last.filter((s) => s.name === "esp32-0" || s.name === LIAR);
      const split = trueTime(pair, run.hostNsAt(DURATION_S));
      lines.push(`only esp32-0 and ${LIAR}: ${split.status} (${split.reason ?? "agreed"})`);
      const tooFew = trueTime(last, run.hostNsAt(DURATION_S), { faults: 2 });
      lines.push(`asked to tolerate 2 wrong nodes among ${last.length}: ${tooFew.reason ?? tooFew.status}`);
      const checks = [
        check(
          `${LIAR} named the only falseticker at every look`,
          `${named} of ${looks.length} looks`,
          named === looks.length && looks.length > 0,
        ),
        check(
          "true time inside the agreed interval at every look",
          `${inside} of ${looks.length} looks`,
          inside === looks.length && looks.length > 0,
        ),
        check(
          `Marzullo names ${LIAR}; the NTP intersection names it or declines (its midpoint test), never a correct node`,
          `Marzullo ${mz.status === "agreed" ? mz.falsetickers.map((f) => f.id).join(",") : mz.status}; NTP ${ntp.status === "agreed" ? ntp.falsetickers.map((f) => f.id).join(",") : ntp.status}`,
          mz.status === "agreed" &&
            mz.falsetickers.map((f) => f.id).join() === LIAR &&
            (ntp.status === "no-majority" || ntp.falsetickers.every((f) => f.id === LIAR)),
        ),
        check(
          "two disagreeing nodes: no majority, no guess",
          `${split.status}: ${split.reason}`,
          split.status === "unknown" && split.earliestNs === null,
        ),
        check(
          "2 faults among 4 nodes: no guarantee claimed, 5 nodes named as needed",
          String(tooFew.reason),
          tooFew.earliestNs === null && /at least 5/.test(tooFew.reason ?? ""),
        ),
      ];
      return storyResult(quorumStory, options.seed, lines, checks, {
        looks,
        liarOffsetNs,
        marzullo: mz,
        ntp,
      });
    } finally {
      run.close();
    }
  },
};
