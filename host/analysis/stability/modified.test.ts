import { describe, expect, it } from "vitest";
import { mdev, tdev } from "./modified.ts";
import { expectDefinition, expectNbs14, expectReferenceTable, loadReference } from "./test-fixtures.ts";

describe("MDEV and TDEV", () => {
  it("match the NBS14 published values", () => {
    expectNbs14("mdev", mdev, {
      thousand: ["0.2922319", "0.06172376", "0.02170921"],
      ten: ["91.22945", "74.78849"],
    });
    expectNbs14("tdev", tdev, {
      thousand: ["0.1687202", "0.3563623", "1.253382"],
      ten: ["52.67135", "86.35831"],
    });
  });

  for (const set of ["ocxo", "pink_frequency"] as const) {
    it(`match every Stable32 row of ${set}`, () => {
      expectReferenceTable(set, "mdev", mdev);
      expectReferenceTable(set, "tdev", tdev);
    });
  }

  it("TDEV = τ·MDEV/√3 with the same terms", () => {
    const ref = loadReference("pink_frequency");
    const input = { data: ref.y, type: ref.type, tau0: ref.tau0 };
    const m = mdev(input, { taus: "all" });
    const t = tdev(input, { taus: "all" });
    expect(t.map((r) => r.n)).toEqual(m.map((r) => r.n));
    t.forEach((r, i) => expect(r.dev).toBeCloseTo((r.tau * m[i]!.dev) / Math.sqrt(3), 20));
  });

  it("equal the definition term by term, with gaps (the running sum loses nothing)", () => {
    expectDefinition("mdev", mdev);
    expectDefinition("tdev", tdev, 40);
  });
});
