import { describe, expect, it } from "vitest";
import { totdev } from "./total.ts";
import { expectDefinition, expectNbs14, expectReferenceTable, loadReference } from "./test-fixtures.ts";

describe("TOTDEV", () => {
  it("matches the NBS14 published values (SP 1065 doubly reflected)", () => {
    expectNbs14("totdev", totdev, {
      thousand: ["0.2922319", "0.09134743", "0.0340653"],
      ten: ["91.22945", "93.90379"],
    });
  });

  for (const set of ["ocxo", "pink_frequency"] as const) {
    it(`matches every Stable32 row of ${set}`, () => {
      expectReferenceTable(set, "totdev", totdev);
    });
  }

  it("runs the whole OCXO all-tau list quickly (O(N) per τ)", () => {
    const ref = loadReference("ocxo");
    const start = performance.now();
    const rows = totdev({ data: ref.y, type: "freq", tau0: 1 }, { taus: "all" });
    expect(rows).toHaveLength(310);
    expect(performance.now() - start).toBeLessThan(5000);
  });

  it("equals the definition term by term, with gaps at the ends and inside", () => {
    expectDefinition("totdev", totdev);
  });
});
