import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { posixFromCivil } from "./civil.ts";
import {
  createLeapDisplay,
  isLeapPolicy,
  leapDisplay,
  leapEndElapsedS,
  leapLabelToElapsedS,
  leapSmearOffsetS,
  type LeapPolicy,
} from "./leap.ts";

/** Midnight after the 2016-12-31 leap second. */
const L = posixFromCivil(2017, 1, 1, 0, 0, 0);
const START = L - 43200;

function show(policy: LeapPolicy, eS: number, eNs: number, sign = 1) {
  const out = leapDisplay(policy, eS, eNs, L, sign, createLeapDisplay());
  return { s: out.s - L, ns: out.ns, second60: out.second60 };
}

/** Display as one ordered number (s, second60, ns) relative to L; second60 sorts between s and s + 1. */
function orderKey(policy: LeapPolicy, eS: number, eNs: number, sign: number): number {
  const d = leapDisplay(policy, eS, eNs, L, sign, createLeapDisplay());
  return (d.s - L) * 2 + (d.second60 ? 1 : 0) + d.ns / 1e9 / 2;
}

describe("leapSmearOffsetS", () => {
  it.each([
    [START - 1000, 1, 0],
    [START, 1, 0],
    [START + 21600, 1, 0.25],
    [L, 1, 0.5],
    [L + 21600, 1, 0.75],
    [L + 43200, 1, 1],
    [L + 90000, 1, 1],
    [L, -1, -0.5],
    [L + 43200, -1, -1],
    [L, 0, 0],
  ])("at %i (sign %i) is %f", (s, sign, want) => {
    expect(leapSmearOffsetS(s, L, sign)).toBe(want);
  });
});

describe("leapDisplay", () => {
  it.each<[LeapPolicy, number, number, number, { s: number; ns: number; second60: boolean }]>([
    ["step", -1, 500000000, 1, { s: -1, ns: 500000000, second60: false }],
    ["step", 0, 250000000, 1, { s: -1, ns: 250000000, second60: true }],
    ["step", 1, 0, 1, { s: 0, ns: 0, second60: false }],
    ["step", 2, 999999999, 1, { s: 1, ns: 999999999, second60: false }],
    ["step", -2, 999999999, -1, { s: -2, ns: 999999999, second60: false }],
    ["step", -1, 0, -1, { s: 0, ns: 0, second60: false }],
    ["none", 0, 250000000, 1, { s: 0, ns: 250000000, second60: false }],
    ["none", 100, 0, 1, { s: 100, ns: 0, second60: false }],
    ["smear", -43201, 999999999, 1, { s: -43201, ns: 999999999, second60: false }],
    ["smear", -43200, 0, 1, { s: -43200, ns: 0, second60: false }],
    // The midpoint: true elapsed L + 0.5 s shows exactly midnight (offset 0.5 s).
    ["smear", 0, 500000000, 1, { s: 0, ns: 0, second60: false }],
    ["smear", 43201, 0, 1, { s: 43200, ns: 0, second60: false }],
    ["smear", 50000, 123, 1, { s: 49999, ns: 123, second60: false }],
    ["smear", -1, 500000000, -1, { s: 0, ns: 0, second60: false }],
    ["smear", 43199, 0, -1, { s: 43200, ns: 0, second60: false }],
  ])("%s: E = L + (%i s, %i ns), sign %i", (policy, eS, eNs, sign, want) => {
    expect(show(policy, L + eS, eNs, sign)).toEqual(want);
  });

  it("no pending leap shows E under every policy", () => {
    for (const p of ["step", "smear", "none"] as const) {
      expect(leapDisplay(p, L, 7, L, 0, createLeapDisplay())).toEqual({ s: L, ns: 7, second60: false });
    }
  });

  it("the smear spreads exactly 1 s: 86,401 elapsed seconds show as 86,400", () => {
    const a = leapDisplay("smear", START, 0, L, 1, createLeapDisplay());
    const b = leapDisplay("smear", START + 86401, 0, L, 1, createLeapDisplay());
    expect(b.s - a.s).toBe(86400);
    expect(b.ns - a.ns).toBe(0);
  });

  it("window ends and label conversion", () => {
    expect(leapEndElapsedS("step", L, 1)).toBe(L + 1);
    expect(leapEndElapsedS("step", L, -1)).toBe(L - 1);
    expect(leapEndElapsedS("smear", L, 1)).toBe(L + 43201);
    expect(leapEndElapsedS("smear", L, -1)).toBe(L + 43199);
    expect(leapLabelToElapsedS(L - 1, false, L, 1)).toBe(L - 1);
    expect(leapLabelToElapsedS(L, true, L, 1)).toBe(L);
    expect(leapLabelToElapsedS(L, false, L, 1)).toBe(L + 1);
    expect(leapLabelToElapsedS(L - 2, false, L, -1)).toBe(L - 2);
    expect(leapLabelToElapsedS(L, false, L, -1)).toBe(L - 1);
    expect(leapLabelToElapsedS(L + 5, false, L, 0)).toBe(L + 5);
    expect(isLeapPolicy("smear")).toBe(true);
    expect(isLeapPolicy("slew")).toBe(false);
  });

  const elapsedNear = fc.record({
    offS: fc.integer({ min: -50000, max: 50000 }),
    ns: fc.integer({ min: 0, max: 999999999 }),
  });

  it("property: every policy's display is monotonic in elapsed time (23:59:60 between :59 and :00)", () => {
    fc.assert(
      fc.property(
        elapsedNear,
        elapsedNear,
        fc.constantFrom<LeapPolicy>("step", "smear", "none"),
        fc.constantFrom(1, -1),
        (a, b, policy, sign) => {
          const ea = (a.offS * 1e9 + a.ns) as number;
          const eb = (b.offS * 1e9 + b.ns) as number;
          const ka = orderKey(policy, L + a.offS, a.ns, sign);
          const kb = orderKey(policy, L + b.offS, b.ns, sign);
          if (ea <= eb) expect(ka).toBeLessThanOrEqual(kb);
          else expect(ka).toBeGreaterThanOrEqual(kb);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("property: the smear is continuous, runs at 86,400/(86,400 + sign), and ends 1 s shifted", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -43300, max: 43300 }),
        fc.integer({ min: 0, max: 999999999 }),
        fc.integer({ min: 1, max: 2000000000 }),
        fc.constantFrom(1, -1),
        (offS, ns, stepNs, sign) => {
          const out = createLeapDisplay();
          const a = leapDisplay("smear", L + offS, ns, L, sign, out);
          const aNs = (a.s - L) * 1e9 + a.ns;
          const total = ns + stepNs;
          const carry = Math.floor(total / 1e9);
          const b = leapDisplay("smear", L + offS + carry, total - carry * 1e9, L, sign, out);
          const bNs = (b.s - L) * 1e9 + b.ns;
          // Displayed advance lies between the smeared rate and 1 (± 1 ns of flooring each side).
          const slow = (stepNs * 86400) / (86400 + sign);
          expect(bNs - aNs).toBeGreaterThanOrEqual(Math.min(slow, stepNs) - 2);
          expect(bNs - aNs).toBeLessThanOrEqual(Math.max(slow, stepNs) + 2);
          const eAfter = L + 43200 + sign + 1 + Math.abs(offS);
          expect(leapDisplay("smear", eAfter, ns, L, sign, out).s).toBe(eAfter - sign);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
