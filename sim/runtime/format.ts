// How print()/console.log() render their arguments: strings as they are, other values in Espruino's
// console JSON style ({ "a": 1 }, [ 1, 2 ]), joined by spaces. Numbers use V8's formatting, not
// Espruino's (which prints e.g. 1700000000.123456 as 1700000000.12345600128; espruino.md §4).

const MAX_DEPTH = 8;

export function formatArgs(args: readonly unknown[]): string {
  return args.map((a) => (typeof a === "string" ? a : formatValue(a, 0, new Set()))).join(" ");
}

function formatValue(v: unknown, depth: number, seen: Set<object>): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
    case "boolean":
    case "undefined":
      return String(v);
    case "bigint":
      return String(v);
    case "symbol":
      return "Symbol";
    case "function":
      return Function.prototype.toString.call(v);
  }
  if (v === null) return "null";
  const obj = v as object;
  if (seen.has(obj) || depth >= MAX_DEPTH) return "...";
  seen.add(obj);
  try {
    if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
      const name = Object.getPrototypeOf(obj)?.constructor?.name ?? "TypedArray";
      const items = Array.prototype.map.call(obj, (x: unknown) => String(x)) as string[];
      return `new ${String(name)}([${items.join(", ")}])`;
    }
    if (Array.isArray(obj)) {
      const items = obj.map((x: unknown) => formatValue(x, depth + 1, seen));
      return items.length === 0 ? "[ ]" : `[ ${items.join(", ")} ]`;
    }
    const entries = Object.keys(obj).map(
      (k) => `${JSON.stringify(k)}: ${formatValue((obj as Record<string, unknown>)[k], depth + 1, seen)}`,
    );
    return entries.length === 0 ? "{ }" : `{ ${entries.join(", ")} }`;
  } finally {
    seen.delete(obj);
  }
}

/** How the REPL shows a result after "=": strings quoted, the rest as print() shows them. */
export function formatResult(v: unknown): string {
  return formatValue(v, 0, new Set());
}

/** "Error: message" for error-like values, String(v) otherwise (Espruino's "Uncaught %v"). */
export function describeThrown(v: unknown): string {
  if (typeof v === "object" && v !== null) {
    const e = v as { name?: unknown; message?: unknown };
    if (typeof e.message === "string")
      return `${typeof e.name === "string" ? e.name : "Error"}: ${e.message}`;
  }
  try {
    return typeof v === "string" ? v : formatValue(v, 0, new Set());
  } catch {
    return "(unprintable value)";
  }
}
