import { describe, expect, it } from "vitest";
import { adev, oadev } from "./allan.ts";
import { expectDefinition, expectNbs14, expectReferenceTable } from "./test-fixtures.ts";

describe("ADEV and OADEV", () => {
  it("match the NBS14 published values", () => {
    expectNbs14("adev", adev, {
      thousand: ["0.2922319", "0.09965736", "0.03897804"],
      ten: ["91.22945", "115.8082"],
    });
    expectNbs14("oadev", oadev, {
      thousand: ["0.2922319", "0.09159953", "0.03241343"],
      ten: ["91.22945", "85.95287"],
    });
  });

  it("count terms as Stable32 does: ⌊N/m⌋ − 1 and N − 2m + 1 for N frequency points", () => {
    const data = { data: new Float64Array(101).map((_, i) => Math.sin(i)), type: "freq" as const, tau0: 1 };
    expect(adev(data, { taus: { m: [1, 7, 33] } }).map((r) => r.n)).toEqual([100, 13, 2]);
    expect(oadev(data, { taus: { m: [1, 7, 50] } }).map((r) => r.n)).toEqual([100, 88, 2]);
  });

  for (const set of ["ocxo", "pink_frequency"] as const) {
    it(`match every Stable32 row of ${set}`, () => {
      expectReferenceTable(set, "adev", adev);
      expectReferenceTable(set, "oadev", oadev);
    });
  }

  it("equal the definition term by term, with gaps", () => {
    expectDefinition("adev", adev);
    expectDefinition("oadev", oadev);
  });
});
