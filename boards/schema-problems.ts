// Compiles boards/board.schema.json once and turns Ajv's errors into ProfileProblems that name the JSON
// path, the offending value and what the schema expects.
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { ProfileProblem } from "./errors.ts";

type SchemaNode = Record<string, unknown>;

const SCHEMA_URL = new URL("./board.schema.json", import.meta.url);

let compiled: { validate: ValidateFunction; root: SchemaNode } | undefined;

function schema(): { validate: ValidateFunction; root: SchemaNode } {
  if (compiled) return compiled;
  const root = JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as SchemaNode;
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    discriminator: true,
    verbose: true,
  });
  compiled = { validate: ajv.compile(root), root };
  return compiled;
}

/** Schema problems of `data`; empty when it conforms. */
export function schemaProblems(data: unknown): ProfileProblem[] {
  const { validate, root } = schema();
  if (validate(data)) return [];
  return toProblems(validate.errors ?? [], root);
}

function toProblems(errors: ErrorObject[], root: SchemaNode): ProfileProblem[] {
  // An anyOf failure also reports each branch's failure at the same place; its own summary is clearer.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
  const problems = errors
    .filter((e) => e.keyword !== "if")
    .filter((e) => e.keyword === "anyOf" || !anyOfPaths.has(e.instancePath))
    .map((e) => toProblem(e, root));
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.expected}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toProblem(error: ErrorObject, root: SchemaNode): ProfileProblem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const missing = String(params["missingProperty"]);
      const properties = (error.parentSchema?.["properties"] ?? {}) as Record<string, unknown>;
      return {
        path: `${error.instancePath}/${missing}`,
        value: undefined,
        expected: `is required (${describe(properties[missing], root)})`,
      };
    }
    case "additionalProperties": {
      const extra = String(params["additionalProperty"]);
      const known = Object.keys((error.parentSchema?.["properties"] ?? {}) as object);
      return {
        path: `${error.instancePath}/${extra}`,
        value: (error.data as Record<string, unknown>)[extra],
        expected: `is not allowed (known properties: ${known.join(", ")})`,
      };
    }
    case "discriminator": {
      const tag = String(params["tag"]);
      return {
        path: `${error.instancePath}/${tag}`,
        value: params["tagValue"],
        expected: `must be one of ${quotedList(discriminatorValues(error.parentSchema, tag))}`,
      };
    }
    case "enum":
      return {
        path: error.instancePath,
        value: error.data,
        expected: `must be one of ${quotedList(params["allowedValues"] as unknown[])}`,
      };
    case "anyOf":
    case "type":
    case "pattern":
      return {
        path: error.instancePath,
        value: error.data,
        expected: `must be ${describe(error.parentSchema, root)}`,
      };
    default:
      return { path: error.instancePath, value: error.data, expected: error.message ?? "is invalid" };
  }
}

function discriminatorValues(parentSchema: SchemaNode | undefined, tag: string): unknown[] {
  const branches = (parentSchema?.["oneOf"] ?? []) as SchemaNode[];
  return branches.map((branch) => ((branch["properties"] as Record<string, SchemaNode>)[tag] ?? {})["const"]);
}

function quotedList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/** A short English description of what a schema accepts, e.g. "a number > 0" or "a pin name or null". */
function describe(node: unknown, root: SchemaNode): string {
  const schemaNode = resolve(node, root);
  if (!schemaNode) return "a value";
  if ("const" in schemaNode) return JSON.stringify(schemaNode["const"]);
  if (Array.isArray(schemaNode["enum"])) return `one of ${quotedList(schemaNode["enum"])}`;
  if (Array.isArray(schemaNode["anyOf"])) {
    return (schemaNode["anyOf"] as unknown[]).map((branch) => describe(branch, root)).join(" or ");
  }
  const types = ([] as unknown[]).concat(schemaNode["type"] ?? []).map(String);
  if (types.length === 0) return "a value";
  return types.map((type) => describeType(type, schemaNode)).join(" or ");
}

function describeType(type: string, node: SchemaNode): string {
  switch (type) {
    case "string":
      if (node["pattern"] === "^[A-Z][0-9]{1,2}$") return "a pin name like A8 or D29";
      if (node["pattern"] === "\\S") return "a non-blank string";
      return node["pattern"] ? `a string matching ${String(node["pattern"])}` : "a string";
    case "number":
    case "integer":
      return `${type === "integer" ? "an integer" : "a number"}${describeRange(node)}`;
    case "object":
      return node["required"] ? `an object with ${(node["required"] as string[]).join(", ")}` : "an object";
    case "array":
      return "an array";
    default:
      return type;
  }
}

function describeRange(node: SchemaNode): string {
  const bounds: string[] = [];
  if (typeof node["minimum"] === "number") bounds.push(`>= ${node["minimum"]}`);
  if (typeof node["exclusiveMinimum"] === "number") bounds.push(`> ${node["exclusiveMinimum"]}`);
  if (typeof node["maximum"] === "number") bounds.push(`<= ${node["maximum"]}`);
  if (typeof node["exclusiveMaximum"] === "number") bounds.push(`< ${node["exclusiveMaximum"]}`);
  return bounds.length ? ` ${bounds.join(" and ")}` : "";
}

/** Follows local "#/$defs/…" references; the schema uses no others. */
function resolve(node: unknown, root: SchemaNode): SchemaNode | undefined {
  if (!node || typeof node !== "object") return undefined;
  const ref = (node as SchemaNode)["$ref"];
  if (typeof ref !== "string" || !ref.startsWith("#/$defs/")) return node as SchemaNode;
  const defs = root["$defs"] as Record<string, unknown>;
  return resolve(
    { ...(defs[ref.slice("#/$defs/".length)] as SchemaNode), ...withoutRef(node as SchemaNode) },
    root,
  );
}

function withoutRef(node: SchemaNode): SchemaNode {
  const rest: SchemaNode = { ...node };
  delete rest["$ref"];
  return rest;
}
