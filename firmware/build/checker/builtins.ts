// Built-in objects and functions that do not exist on Espruino (../../../../shared/reference/espruino.md §4).
// Only the globals count: a local binding of the same name, or a polyfill the script assigns, is fine.
import type { AnyNode, Identifier, MemberExpression } from "acorn";
import { staticPropertyName } from "./ast.ts";
import type { Analysis, Finding } from "./types.ts";

export const BUILTIN_RULES = {
  global: "builtin/global",
  array: "builtin/array",
  number: "builtin/number",
  object: "builtin/object",
  math: "builtin/math",
  promise: "builtin/promise",
  date: "builtin/date",
  string: "builtin/string",
} as const;

interface Missing {
  rule: string;
  alternative: string;
}

const MISSING_GLOBALS = new Map<string, string>([
  ["Map", "use a plain object with string keys: obj[key], key in obj, delete obj[key]"],
  ["Set", "use a plain object with the members as string keys: set[key] = true, key in set"],
  ["WeakMap", "store the value on the object itself, or in a plain object keyed by an id"],
  ["WeakSet", "mark the object itself with a property, or keep a plain object keyed by an id"],
  ["WeakRef", "keep a normal reference and clear it yourself when done"],
  ["Symbol", "use a unique string property name"],
  ["Proxy", "wrap the object in explicit getter/setter functions"],
  ["Reflect", "use the plain operations: obj[key], key in obj, Object.keys(obj), fn.apply(thisArg, args)"],
  ["BigInt", "use Numbers (exact integers up to 2^53), or split the value into two 32-bit halves"],
]);

const MISSING_STATICS = new Map<string, Map<string, string>>([
  [
    "Array",
    new Map([
      ["from", "copy in a for loop with push, or [].slice.call(arrayLike)"],
      ["of", "write an array literal: [a, b, c]"],
    ]),
  ],
  [
    "Number",
    new Map([
      ["isInteger", 'typeof x == "number" && x % 1 === 0'],
      ["isFinite", 'typeof x == "number" && isFinite(x)'],
      ["isNaN", "x !== x"],
      ["isSafeInteger", 'typeof x == "number" && x % 1 === 0 && Math.abs(x) <= 9007199254740991'],
      ["EPSILON", "write the constant 2.220446049250313e-16"],
      ["MAX_SAFE_INTEGER", "write the constant 9007199254740991"],
      ["MIN_SAFE_INTEGER", "write the constant -9007199254740991"],
    ]),
  ],
  [
    "Math",
    new Map([
      ["trunc", "x < 0 ? Math.ceil(x) : Math.floor(x)"],
      ["log2", "Math.log(x) / Math.LN2"],
      ["log10", "Math.log(x) / Math.LN10"],
      ["cbrt", "x < 0 ? -Math.pow(-x, 1 / 3) : Math.pow(x, 1 / 3)"],
      ["hypot", "Math.sqrt(x * x + y * y)"],
      ["fround", "store into a Float32Array and read it back: f32[0] = x; x = f32[0];"],
      ["sinh", "(Math.exp(x) - Math.exp(-x)) / 2"],
      ["cosh", "(Math.exp(x) + Math.exp(-x)) / 2"],
      ["tanh", "(Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1)"],
      ["asinh", "Math.log(x + Math.sqrt(x * x + 1))"],
      ["acosh", "Math.log(x + Math.sqrt(x * x - 1))"],
      ["atanh", "0.5 * Math.log((1 + x) / (1 - x))"],
      ["expm1", "Math.exp(x) - 1 (less precise near 0)"],
      ["log1p", "Math.log(1 + x) (less precise near 0)"],
      ["clz32", "count the leading zero bits with a shift loop: n = 32; while (x) { x >>>= 1; n--; }"],
      ["imul", "((a & 0xffff) * b + ((((a >>> 16) * b) & 0xffff) << 16)) | 0"],
    ]),
  ],
  [
    "Object",
    new Map([
      ["freeze", "drop the call: Espruino cannot freeze objects; keep the object private instead"],
      ["seal", "drop the call: Espruino cannot seal objects; keep the object private instead"],
      ["isFrozen", "drop the test: no object is ever frozen on Espruino (it is always false)"],
      ["isSealed", "drop the test: no object is ever sealed on Espruino (it is always false)"],
    ]),
  ],
  [
    "Promise",
    new Map([
      ["race", "new Promise(function (resolve, reject) { for (...) promises[i].then(resolve, reject); })"],
      [
        "allSettled",
        'Promise.all(promises.map(function (p) { return p.then(function (value) { return { status: "fulfilled", value: value }; }, function (reason) { return { status: "rejected", reason: reason }; }); }))',
      ],
      [
        "any",
        "new Promise: resolve on the first fulfilment, reject once every promise has rejected (count them)",
      ],
    ]),
  ],
  [
    "Date",
    new Map([["UTC", "compute days from the civil date yourself, then days * 86400000 + ms of the day"]]),
  ],
  [
    "String",
    new Map([
      ["raw", "write the string with its backslashes escaped"],
      ["fromCodePoint", "String.fromCharCode(code): strings are 8-bit on Espruino"],
    ]),
  ],
]);

const RULE_OF_OWNER = new Map<string, string>([
  ["Array", BUILTIN_RULES.array],
  ["Number", BUILTIN_RULES.number],
  ["Math", BUILTIN_RULES.math],
  ["Object", BUILTIN_RULES.object],
  ["Promise", BUILTIN_RULES.promise],
  ["Date", BUILTIN_RULES.date],
  ["String", BUILTIN_RULES.string],
]);

/** Methods missing on every receiver; the receiver's type is unknown, so any `.name(` call counts. */
const MISSING_METHODS = new Map<string, Missing>([
  [
    "finally",
    {
      rule: BUILTIN_RULES.promise,
      alternative:
        "run the cleanup in both handlers: p.then(function (v) { done(); return v; }, function (e) { done(); throw e; })",
    },
  ],
  [
    "codePointAt",
    { rule: BUILTIN_RULES.string, alternative: ".charCodeAt(i): strings are 8-bit on Espruino" },
  ],
  [
    "flat",
    {
      rule: BUILTIN_RULES.array,
      alternative: "concatenate in a loop: out = out.concat(arr[i]) for each element",
    },
  ],
  [
    "flatMap",
    {
      rule: BUILTIN_RULES.array,
      alternative: "map, then concatenate in a loop: out = out.concat(f(arr[i]))",
    },
  ],
]);

export function checkBuiltins(analysis: Analysis): Finding[] {
  const isGlobal = (node: AnyNode): node is Identifier =>
    node.type === "Identifier" && analysis.scopes.referenceOf.get(node)?.binding === null;
  const polyfilled = findPolyfills(analysis, isGlobal);
  const findings: Finding[] = [];
  for (const { node, parent } of analysis.nodesOfType("Identifier")) {
    const alternative = MISSING_GLOBALS.get(node.name);
    if (!alternative || polyfilled.has(node.name) || !isGlobal(node) || isExempt(node, parent)) continue;
    findings.push({ rule: BUILTIN_RULES.global, construct: node.name, alternative, offset: node.start });
  }
  for (const { node } of analysis.nodesOfType("Literal")) {
    if (node.bigint === undefined) continue;
    findings.push({
      rule: BUILTIN_RULES.global,
      construct: "BigInt literal",
      alternative: MISSING_GLOBALS.get("BigInt")!,
      offset: node.start,
    });
  }
  for (const { node, parent } of analysis.nodesOfType("MemberExpression")) {
    if (isExempt(node, parent)) continue;
    const finding = missingStatic(node, isGlobal, polyfilled) ?? missingMethod(node, parent);
    if (finding) findings.push(finding);
  }
  return findings;
}

function missingStatic(
  member: MemberExpression,
  isGlobal: (node: AnyNode) => node is Identifier,
  polyfilled: ReadonlySet<string>,
): Finding | null {
  if (!isGlobal(member.object)) return null;
  const owner = member.object.name;
  const property = staticPropertyName(member.property, member.computed);
  if (property === null) return null;
  const alternative = MISSING_STATICS.get(owner)?.get(property);
  const construct = `${owner}.${property}`;
  if (!alternative || polyfilled.has(construct)) return null;
  return { rule: RULE_OF_OWNER.get(owner)!, construct, alternative, offset: member.start };
}

function missingMethod(member: MemberExpression, parent: AnyNode | null): Finding | null {
  if (parent?.type !== "CallExpression" || parent.callee !== member) return null;
  const name = staticPropertyName(member.property, member.computed);
  const missing = name === null ? undefined : MISSING_METHODS.get(name);
  if (!missing) return null;
  return { ...missing, construct: `.${name}()`, offset: member.property.start };
}

/** Names the script defines itself: `Map = ...`, `Math.trunc = ...`. */
function findPolyfills(analysis: Analysis, isGlobal: (node: AnyNode) => node is Identifier): Set<string> {
  const polyfilled = new Set<string>();
  for (const { node } of analysis.nodesOfType("AssignmentExpression")) {
    const target = node.left;
    if (isGlobal(target)) polyfilled.add(target.name);
    if (target.type === "MemberExpression" && isGlobal(target.object)) {
      const property = staticPropertyName(target.property, target.computed);
      if (property !== null) polyfilled.add(`${target.object.name}.${property}`);
    }
  }
  return polyfilled;
}

/** `typeof Map` only tests for the built-in, and `Math.trunc = ...` defines it: neither uses it. */
function isExempt(node: AnyNode, parent: AnyNode | null): boolean {
  if (parent?.type === "UnaryExpression") return parent.operator === "typeof" && parent.argument === node;
  return parent?.type === "AssignmentExpression" && parent.left === node;
}
