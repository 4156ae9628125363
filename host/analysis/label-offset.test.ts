import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkLabelOffset } from "./label-offset.ts";

describe("checkLabelOffset", () => {
  it("suggests nothing when the board agrees with the host", () => {
    expect(checkLabelOffset([0.002, -0.001, 0.004]).suggestedLabelOffsetS).toBe(0);
  });

  it("suggests -1 for a board one second ahead (a receiver that labels the next edge)", () => {
    expect(checkLabelOffset([1.003, 0.998, 1.001, 5]).suggestedLabelOffsetS).toBe(-1);
  });

  it("refuses to guess when the difference is not near a whole second or too large", () => {
    expect(checkLabelOffset([0.5, 0.5]).suggestedLabelOffsetS).toBeNull();
    expect(checkLabelOffset([3, 3]).suggestedLabelOffsetS).toBeNull();
    expect(checkLabelOffset([]).readings).toBe(0);
  });

  it("is robust to a minority of wild readings", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), { minLength: 11, maxLength: 50 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 5 }),
        (good, wild) => {
          expect(checkLabelOffset([...good.map((d) => d + 1), ...wild]).suggestedLabelOffsetS).toBe(-1);
        },
      ),
    );
  });
});
