import { describe, expect, it } from "vitest";
import { checkScript } from "./index.ts";
import { STATIC_INHERITANCE_RULE as RULE } from "./static-inheritance.ts";
import { testRuleCases, violationsOf } from "./test-helpers.ts";

const BASE = "class Base { static create() { return new this(); } }\n";

describe("static members used through a subclass", () => {
  testRuleCases([
    {
      name: "a static method called on a subclass declaration",
      bad: BASE + "class Gps extends Base {}\nGps.create();",
      expected: [[RULE, "Gps.create"]],
      good: BASE + "class Gps extends Base {}\nBase.create();",
    },
    {
      name: "a static method called on a class expression subclass",
      bad: BASE + "var Gps = class extends Base {};\nGps.create();",
      expected: [[RULE, "Gps.create"]],
      good: BASE + "var Gps = class extends Base { static create() { return new Gps(); } };\nGps.create();",
    },
    {
      name: "a static method of a grandparent",
      bad: BASE + "class Mid extends Base {}\nclass Leaf extends Mid {}\nLeaf.create();",
      expected: [[RULE, "Leaf.create"]],
      good: BASE + "class Mid extends Base {}\nclass Leaf extends Mid {}\nBase.create();",
    },
    {
      name: "a static field read through a subclass",
      bad: "class Base { static count = 0; }\nclass Sub extends Base {}\nvar n = Sub.count;",
      expected: [[RULE, "Sub.count"]],
      good: "class Base { static count = 0; }\nclass Sub extends Base {}\nvar n = Base.count;",
    },
    {
      name: "a static assigned after the class, used through a subclass",
      bad: "class Base {}\nBase.make = function () {};\nclass Sub extends Base {}\nSub.make();",
      expected: [[RULE, "Sub.make"]],
      good: "class Base {}\nBase.make = function () {};\nclass Sub extends Base {}\nSub.make = Base.make;\nSub.make();",
    },
    {
      name: "esbuild's lowered static field through an alias",
      bad: 'var c = (t, k, v) => t[k] = v;\nvar a = class a { static m() {} };\nc(a, "x", 1);\nvar l = a, t = class extends l {};\nt.x + t.m();',
      expected: [
        [RULE, "t.x"],
        [RULE, "t.m"],
      ],
      good: 'var c = (t, k, v) => t[k] = v;\nvar a = class a { static m() {} };\nc(a, "x", 1);\nvar l = a, t = class extends l {};\na.x + a.m();',
    },
  ]);

  it("accepts members declared on the subclass itself and ordinary function properties", () => {
    const code =
      BASE +
      "class Gps extends Base { static create() { return new Gps(); } }\nGps.create(); Gps.prototype; Gps.name;";
    expect(violationsOf(code)).toEqual([]);
  });

  it("follows bindings, not names", () => {
    expect(
      violationsOf(BASE + "class Gps extends Base {}\nfunction f(Gps) { return Gps.create(); }"),
    ).toEqual([]);
  });

  it("survives a cycle of superclasses", () => {
    expect(() => checkScript("var A = class extends B {}; var B = class extends A {}; A.x;")).not.toThrow();
  });

  it("names the class that declares the member", () => {
    const [violation] = checkScript(BASE + "class Gps extends Base {}\nGps.create();").violations;
    expect(violation?.construct).toBe("static member Base.create used through subclass Gps");
    expect(violation?.alternative).toContain("static methods are not inherited on Espruino");
  });
});
