import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32 } from "./crc32.ts";
import { framePtpLine, PTP_LINE_MAX_BYTES, PTP_LINE_PREFIX } from "./ptp-frame.ts";
import { createPtpLineRouter, PTP_LINE_MAX_CHARS } from "./ptp-line-router.ts";

function route(chunks: string[]) {
  const ptp: string[] = [];
  let commands = "";
  const router = createPtpLineRouter(
    (line) => ptp.push(line),
    (chunk) => (commands += chunk),
  );
  for (const chunk of chunks) router.push(chunk);
  return { ptp, commands, router };
}

/** Cuts `text` at the given fractions into consecutive chunks. */
function cut(text: string, at: number[]): string[] {
  const points = at.map((f) => Math.floor(f * text.length)).sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(text.substring(from, p));
    from = p;
  }
  chunks.push(text.substring(from));
  return chunks;
}

const commandLine = fc
  .string({ unit: fc.constantFrom("s", "t", "a", "#", "T", "P", "2", ",", " ", "\r", "x"), maxLength: 80 })
  .map((s) => s + "\n");
const ptpLine = fc
  .string({ unit: "binary-ascii", minLength: 1, maxLength: 64 })
  .map((bytes) => framePtpLine(bytes, crc32));

describe("routing host lines between PTP and commands", () => {
  it("hands every PTP line whole to PTP and every other byte, in order, to the command reader", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(commandLine, ptpLine), { maxLength: 12 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        (lines, at) => {
          const r = route(cut(lines.join(""), at));
          expect(r.ptp).toEqual(lines.filter((l) => l.startsWith("#TP2,")));
          expect(r.commands).toBe(lines.filter((l) => !l.startsWith("#TP2,")).join(""));
          expect(r.router.tooLong).toBe(0);
        },
      ),
    );
  });

  it("keeps the longest line the framing makes, with its CR", () => {
    expect(PTP_LINE_MAX_CHARS).toBe(PTP_LINE_PREFIX.length + 2 * PTP_LINE_MAX_BYTES + 1 + 8 + 1);
    const longest = framePtpLine("\xff".repeat(PTP_LINE_MAX_BYTES), crc32);
    expect(route([longest]).ptp).toEqual([longest]);
  });

  it("sends a line shorter than the prefix to the commands once its end arrives", () => {
    const r = route(["#T", "P\n", "#TP2,00"]);
    expect(r.commands).toBe("#TP\n");
    expect(r.ptp).toEqual([]);
  });

  it("drops an overlong PTP line whatever its length, counts it once, and recovers at the next line", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: PTP_LINE_MAX_CHARS, max: 5000 }),
        fc.integer({ min: 1, max: 97 }),
        (n, size) => {
          const text = "#TP2," + "a".repeat(n) + "\nstatus\n" + framePtpLine("\x01\x02", crc32);
          const chunks: string[] = [];
          for (let i = 0; i < text.length; i += size) chunks.push(text.substr(i, size));
          const r = route(chunks);
          expect(r.router.tooLong).toBe(1);
          expect(r.commands).toBe("status\n");
          expect(r.ptp).toEqual([framePtpLine("\x01\x02", crc32)]);
        },
      ),
    );
  });

  it("passes garbage without line ends straight through to the command reader (it bounds it)", () => {
    const r = route(["x".repeat(1000), "y".repeat(1000)]);
    expect(r.commands.length).toBe(2000);
    expect(r.ptp).toEqual([]);
  });
});
