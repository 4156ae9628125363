// The interval clock through a GPS outage (holdover) and through a leap second, on the real lab job's
// database: at moments along the run, `now` as the host would have answered it then, beside the lab's
// true time. The status moves synchronized → holdover → synchronized, the interval widens at each
// node's measured growth rate and narrows again, and the truth stays inside. Through a leap second the
// boards' UTC and the host's clock both repeat a second, so readings carried across midnight stay right.
import { nodeNow, trueTime, type TrueTime } from "../../analysis/true-time.ts";
import { formatNs } from "../../cli/units.ts";
import { getScenario } from "../../../sim/scenarios.ts";
import { runCollected } from "./collected.ts";
import { check, storyResult, type Story, type StoryCheck } from "./story.ts";

interface Look {
  t: number;
  status: string;
  halfWidthNs: number;
  truthInside: boolean;
  errorNs: number;
}

function look(t: number, result: TrueTime, truthNs: bigint): Look {
  const known = result.earliestNs !== null && result.latestNs !== null;
  return {
    t,
    status: result.status,
    halfWidthNs: known ? Number(result.latestNs! - result.earliestNs!) / 2 : NaN,
    truthInside: known && result.earliestNs! <= truthNs && truthNs <= result.latestNs!,
    errorNs: known ? Number((result.earliestNs! + result.latestNs!) / 2n - truthNs) : NaN,
  };
}

const statuses = (looks: Look[]) =>
  looks
    .map((l) => l.status)
    .filter((x, i, a) => a.indexOf(x) === i)
    .join("/");

const range = (looks: Look[]) => {
  const w = looks.map((l) => l.halfWidthNs).filter(Number.isFinite);
  return w.length ? `±${formatNs(Math.min(...w))} … ±${formatNs(Math.max(...w))}` : "—";
};

const HOLDOVER_BOARDS = ["esp32", "puckjs", "esp32"];
const OUTAGE = { fromS: 1800, toS: 5400 };
const HOLDOVER_DURATION_S = 6600;

export const holdoverStory: Story = {
  name: "holdover",
  description:
    "timenode now through a one-hour GPS outage: synchronized, holdover at the measured drift, synchronized again",
  run(options) {
    const run = runCollected(options, {
      boards: HOLDOVER_BOARDS,
      scenario: "holdover",
      durationS: HOLDOVER_DURATION_S,
    });
    try {
      const looks: Look[] = [];
      for (let t = 600; t <= HOLDOVER_DURATION_S; t += 60)
        looks.push(look(t, trueTime(run.snapshotsAt(t), run.hostNsAt(t)), run.hostNsAt(t)));
      const before = looks.filter((l) => l.t < OUTAGE.fromS);
      const during = looks.filter((l) => l.t > OUTAGE.fromS + 60 && l.t <= OUTAGE.toS);
      const after = looks.filter((l) => l.t > OUTAGE.toS + 300);
      const final = trueTime(run.snapshotsAt(HOLDOVER_DURATION_S), run.hostNsAt(HOLDOVER_DURATION_S));
      const rates = final.nodes.map(
        (n) => `${n.name} ${Number.isFinite(n.growthPpb) ? `${n.growthPpb.toFixed(1)} ppb` : "unmeasured"}`,
      );
      const firstHold = during[0];
      const lastHold = during[during.length - 1];
      // Each node's own interval, without the link-latency allowance that dominates the combined one.
      const own = (t: number) =>
        new Map(
          run.snapshotsAt(t).map((s) => {
            const n = nodeNow(s, run.hostNsAt(t));
            const widthNs =
              n.earliestNs === null ? NaN : Number(n.latestNs! - n.earliestNs) - s.latencyAllowanceNs;
            return [s.name, widthNs / 2];
          }),
        );
      const ownFirst = own(firstHold?.t ?? OUTAGE.fromS);
      const ownLast = own(lastHold?.t ?? OUTAGE.toS);
      const grew = [...ownFirst].map(([name, first]) => ({ name, first, last: ownLast.get(name) ?? NaN }));
      const inside = looks.filter((l) => l.truthInside).length;
      const lines = [
        `holdover: ${HOLDOVER_BOARDS.join(", ")}; GPS gone from ${OUTAGE.fromS / 60} to ${OUTAGE.toS / 60} min; looked every minute from 10 min; seed ${options.seed}`,
        `before the outage: ${statuses(before)}, ${range(before)}`,
        `during: ${statuses(during)}, ${firstHold ? `±${formatNs(firstHold.halfWidthNs)}` : "—"} after a minute, ${lastHold ? `±${formatNs(lastHold.halfWidthNs)}` : "—"} after an hour (mostly the link-latency allowance); each node's own interval: ${grew.map((g) => `${g.name} ±${formatNs(g.first)} → ±${formatNs(g.last)}`).join(", ")}`,
        `after GPS is back: ${statuses(after)}, ${range(after)}`,
        `growth rates measured from each node's own PPS phase: ${rates.join(", ")}`,
        `true time inside the interval at ${inside} of ${looks.length} looks`,
      ];
      const checks: StoryCheck[] = [
        check(
          "synchronized before the outage",
          `${statuses(before)} at ${before.length} looks`,
          before.length > 0 && before.every((l) => l.status === "synchronized"),
        ),
        check(
          "holdover during the outage",
          statuses(during),
          during.length > 0 && during.every((l) => l.status === "holdover"),
        ),
        check(
          "each node's own interval grows through the outage",
          grew.map((g) => `${g.name} ±${formatNs(g.first)} → ±${formatNs(g.last)}`).join(", "),
          grew.length > 0 && grew.every((g) => g.last > g.first),
        ),
        check(
          "synchronized again after the outage",
          statuses(after),
          after.length > 0 && after.every((l) => l.status === "synchronized"),
        ),
        check(
          "true time inside the interval at every look",
          `${inside} of ${looks.length}`,
          inside === looks.length,
        ),
      ];
      return storyResult(holdoverStory, options.seed, lines, checks, {
        looks,
        growthPpb: Object.fromEntries(final.nodes.map((n) => [n.name, n.growthPpb])),
      });
    } finally {
      run.close();
    }
  },
};

const LEAP_BOARDS = ["esp32", "esp32", "puckjs"];
const LEAP_DURATION_S = 2400;

export const leapStory: Story = {
  name: "leap",
  description:
    "timenode now through an inserted leap second, the boards and the host's clock both repeating a second",
  run(options) {
    const scenario = getScenario("leap");
    const leapMs = scenario.environment(0).leapSecondsUtcMs[0]!;
    const run = runCollected(options, {
      boards: LEAP_BOARDS,
      scenario: "leap",
      durationS: LEAP_DURATION_S,
      posixHost: true,
    });
    try {
      const leapS = (leapMs - scenario.utcStartMs) / 1000;
      const looks: Look[] = [];
      for (let t = leapS - 60; t <= leapS + 60; t += 0.5) {
        // During the inserted second the host's POSIX clock repeats 23:59:59; the truth is that moment.
        looks.push(look(t, trueTime(run.snapshotsAt(t), run.hostNsAt(t)), run.hostNsAt(t)));
      }
      const inside = looks.filter((l) => l.truthInside).length;
      const seen = looks.map((l) => l.status).filter((x, i, a) => a.indexOf(x) === i);
      const worst = Math.max(...looks.map((l) => Math.abs(l.errorNs)));
      const lines = [
        `leap: ${LEAP_BOARDS.join(", ")}; a second inserted before ${new Date(leapMs).toISOString().slice(0, 19)}Z (23:59:60), announced to the boards by the host, whose own clock steps back a second as a kernel's does; looked every 0.5 s from a minute before to a minute after; seed ${options.seed}`,
        `true POSIX time inside the interval at ${inside} of ${looks.length} looks (${range(looks)}, midpoint at most ${formatNs(worst)} off); status ${seen.join("/")}`,
      ];
      const checks = [
        check(
          "true time inside the interval at every look through the leap",
          `${inside} of ${looks.length}`,
          inside === looks.length,
        ),
        check(
          "synchronized throughout: a leap second is not an outage",
          seen.join(","),
          seen.length === 1 && seen[0] === "synchronized",
        ),
      ];
      return storyResult(leapStory, options.seed, lines, checks, { leapS, looks });
    } finally {
      run.close();
    }
  },
};
