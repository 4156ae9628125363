import { describe, expect, it } from "vitest";
import { runLab } from "./run.ts";

describe("a lab run with the real firmware on two kinds of board", () => {
  const summary = runLab({ boards: ["pico", "esp32"], seed: 11, durationS: 600 });

  it("delivers every record, from the hello on, with nothing lost", () => {
    for (const node of summary.nodes) {
      expect(node.uncaughtErrors).toEqual([]);
      // One hello at boot, then one a minute (the last may fall just past the end of the run).
      const hellos = node.recordsByType["H"] ?? 0;
      expect(hellos).toBeGreaterThanOrEqual(Math.floor(summary.durationS / 60));
      expect(hellos).toBeLessThanOrEqual(1 + Math.floor(summary.durationS / 60));
      expect(node.boots).toBe(1);
      expect(node.missingRecords).toBe(0);
      // The lab host acknowledges as it goes, so the board's resend ring never overflows.
      expect(node.events["ring_overflow"]).toBeUndefined();
      expect(node.events["boot"]).toBe(1);
      // 30 s cold start, then one PPS edge and one time label per second (the firmware sends the first
      // time sentence of each second: RMC, then GGA and ZDA only if they add something).
      expect(node.ppsEdges).toBeGreaterThanOrEqual(565);
      expect(node.ppsEdges).toBeLessThanOrEqual(571);
      expect(node.labels.valid).toBeGreaterThanOrEqual(565);
      expect(node.labels.valid + node.labels.invalid + node.labels.unflagged).toBeLessThanOrEqual(575);
    }
  });

  it("measures each oscillator's frequency error within a few standard errors of the truth", () => {
    for (const node of summary.nodes) {
      const f = node.frequency;
      expect(Number.isFinite(f.truthPpm)).toBe(true);
      expect(Math.abs(f.errorPpm)).toBeLessThan(4 * f.standardErrorPpm + 0.01);
    }
  });

  it("reports the board's own console line as a rejected, non-record line", () => {
    const esp32 = summary.nodes.find((n) => n.board === "esp32");
    // ESP32's host link is its console UART: Espruino prints "-> LoopbackA" there when the console moves.
    expect(esp32?.rejectedLines).toEqual({ "not-a-record": 1 });
  });

  it("is reproducible from its seed", () => {
    const again = runLab({ boards: ["pico", "esp32"], seed: 11, durationS: 600 });
    expect(again).toEqual(summary);
    const other = runLab({ boards: ["pico", "esp32"], seed: 12, durationS: 600 });
    expect(other.nodes[0]?.frequency.truthPpm).not.toEqual(summary.nodes[0]?.frequency.truthPpm);
  });
});
