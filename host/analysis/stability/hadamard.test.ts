import { describe, expect, it } from "vitest";
import { hdev, ohdev } from "./hadamard.ts";
import { expectDefinition, expectNbs14, expectReferenceTable } from "./test-fixtures.ts";

describe("HDEV and OHDEV", () => {
  it("match the NBS14 published values", () => {
    expectNbs14("hdev", hdev, {
      thousand: ["0.2943883", "0.1052754", "0.0391086"],
      ten: ["70.80608", "116.798"],
    });
    expectNbs14("ohdev", ohdev, {
      thousand: ["0.2943883", "0.09581083", "0.03237638"],
      ten: ["70.80607", "85.61487"],
    });
  });

  for (const set of ["ocxo", "pink_frequency"] as const) {
    it(`match every Stable32 row of ${set}`, () => {
      expectReferenceTable(set, "hdev", hdev);
      expectReferenceTable(set, "ohdev", ohdev);
    });
  }

  it("ignore a linear frequency drift", () => {
    const y = Float64Array.from({ length: 400 }, (_, i) => Math.sin(i * 1.7) * 1e-9);
    const drifting = y.map((v, i) => v + 3e-10 * i);
    for (const fn of [hdev, ohdev]) {
      const a = fn({ data: y, type: "freq", tau0: 1 }, { taus: "all" });
      const b = fn({ data: drifting, type: "freq", tau0: 1 }, { taus: "all" });
      b.forEach((r, i) => expect(Math.abs(r.dev / a[i]!.dev - 1)).toBeLessThan(1e-6));
    }
  });

  it("equal the definition term by term, with gaps", () => {
    expectDefinition("hdev", hdev);
    expectDefinition("ohdev", ohdev);
  });
});
