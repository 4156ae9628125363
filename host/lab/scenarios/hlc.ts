// Hybrid logical clocks: one node's time-of-day clock was synced a moment ago (an esp32 crystal), the
// other's has free-run for an hour on a Puck.js RC oscillator. Whichever reads later is a, the other b:
// a writes x = 1 and tells b; b, having seen it, writes x = 2.
// Last-write-wins by time-of-day keeps x = 1 (b's stamp is earlier) and loses b's write, though it came
// after. Ordered by HLC (stamped where each event happens, carried on the message) b's write is later,
// and x = 2 survives. Every event's HLC is checked against the causal order (vector clocks).
import {
  compareStamped,
  hlcFormat,
  hlcReceive,
  hlcTick,
  HLC_ZERO,
  type Hlc,
  type HlcResult,
} from "../../analysis/hlc.ts";
import { createRng } from "../../../sim/rng.ts";
import { modelClock } from "./model-clock.ts";
import { check, storyResult, type Story } from "./story.ts";

const EPOCH_MS = Date.UTC(2026, 5, 30, 12);
/** The RC node's last sync was this long before the story's writes (its clock has drifted since). */
const FREE_RUN_S = 3600;
const LINK_MS = 5;

interface StoryEvent {
  node: string;
  seq: number;
  what: string;
  trueMs: number;
  todMs: number;
  hlc: Hlc;
  write?: number;
}

const ok = (r: HlcResult): Hlc => {
  if (!r.ok) throw new Error(r.reason);
  return r.hlc;
};

export const hlcStory: Story = {
  name: "hlc",
  description: "last-write-wins by a skewed time-of-day clock loses a write; HLC order keeps causality",
  run(options) {
    const rng = createRng(options.seed).fork("hlc");
    const startS = FREE_RUN_S;
    const synced = modelClock("esp32", "esp32", rng, startS);
    const drifted = modelClock("puckjs", "puckjs", rng, 0);
    const driftedAhead = drifted.readNs(startS) > synced.readNs(startS);
    const a = driftedAhead ? drifted : synced;
    const b = driftedAhead ? synced : drifted;
    const tod = (clock: typeof a, trueS: number) => EPOCH_MS + Math.floor(clock.readNs(trueS) / 1e6);
    const events: StoryEvent[] = [];
    let ha = HLC_ZERO;
    let hb = HLC_ZERO;
    const add = (e: Omit<StoryEvent, "seq">) => events.push({ ...e, seq: events.length });
    // a writes x = 1 and sends it to b.
    const t1 = startS;
    ha = ok(hlcTick(ha, tod(a, t1)));
    add({ node: a.name, what: "write x = 1", trueMs: t1 * 1000, todMs: tod(a, t1), hlc: ha, write: 1 });
    ha = ok(hlcTick(ha, tod(a, t1)));
    const message = ha;
    add({ node: a.name, what: "send x = 1 to b", trueMs: t1 * 1000, todMs: tod(a, t1), hlc: ha });
    // b receives it, then writes x = 2.
    const t2 = t1 + LINK_MS / 1000;
    hb = ok(hlcReceive(hb, message, tod(b, t2)));
    add({ node: b.name, what: "receive x = 1", trueMs: t2 * 1000, todMs: tod(b, t2), hlc: hb });
    const t3 = t2 + 0.001;
    hb = ok(hlcTick(hb, tod(b, t3)));
    add({ node: b.name, what: "write x = 2", trueMs: t3 * 1000, todMs: tod(b, t3), hlc: hb, write: 2 });
    const skewMs = tod(b, t3) - tod(a, t3);
    const writes = events.filter((e) => e.write !== undefined);
    const lwwTod = [...writes].sort((p, q) => p.todMs - q.todMs || p.seq - q.seq).pop()!;
    const lwwHlc = [...writes]
      .sort((p, q) => compareStamped({ ...p, node: p.node }, { ...q, node: q.node }))
      .pop()!;
    const byHlc = [...events].sort(compareStamped).map((e) => e.seq);
    const causal = events.map((e) => e.seq); // the story is one causal chain: a → a → b → b
    const lines = [
      `hlc: an esp32 synced a moment ago and a Puck.js free-running on its RC oscillator for ${FREE_RUN_S / 3600} h; a = ${a.name}, b = ${b.name}, whose clock is ${(-skewMs).toFixed(0)} ms behind a's; seed ${options.seed}`,
      ...events.map(
        (e) =>
          `  ${e.node === a.name ? "a" : "b"}: ${e.what.padEnd(16)} true +${(e.trueMs - startS * 1000).toFixed(0).padStart(2)} ms  time-of-day ${new Date(e.todMs).toISOString()}  HLC ${hlcFormat(e.hlc)}`,
      ),
      `last-write-wins by time-of-day keeps x = ${lwwTod.write}; by HLC keeps x = ${lwwHlc.write}`,
    ];
    const checks = [
      check(
        "b's clock is behind a's by more than the message's travel (else the story shows nothing)",
        `${-skewMs} ms`,
        skewMs < -LINK_MS,
      ),
      check(
        "last-write-wins by time-of-day loses b's later write",
        `keeps x = ${lwwTod.write}`,
        lwwTod.write === 1,
      ),
      check(
        "HLC order keeps b's write, which causally follows a's",
        `keeps x = ${lwwHlc.write}`,
        lwwHlc.write === 2,
      ),
      check("HLC order is the causal order of every event", byHlc.join(" "), byHlc.join() === causal.join()),
      check(
        "HLC physical part stays at the largest time-of-day in the causal past",
        events.map((e) => `${e.hlc.physicalMs - EPOCH_MS} ms`).join(" "),
        events.every((e, i) => e.hlc.physicalMs === Math.max(...events.slice(0, i + 1).map((p) => p.todMs))),
      ),
    ];
    return storyResult(hlcStory, options.seed, lines, checks, {
      skewMs,
      events: events.map((e) => ({ ...e, hlc: { ...e.hlc }, hlcText: hlcFormat(e.hlc) })),
    });
  },
};
