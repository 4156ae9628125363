// Compiles a JSON Schema once and turns Ajv's errors into issues that name the JSON path, the offending
// value, what the schema expects and how to fix it: one translation for board profiles and wiring files.
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { ProfileProblem } from "./errors.ts";

type SchemaNode = Record<string, unknown>;

export interface SchemaIssue {
  path: string;
  value: unknown;
  expected: string;
  fix: string;
}

export interface CompiledSchema {
  validate: ValidateFunction;
  root: SchemaNode;
}

const compiled = new Map<string, CompiledSchema>();

/** The schema at `url`, compiled on first use. */
export function compiledSchema(url: URL): CompiledSchema {
  const cached = compiled.get(url.href);
  if (cached) return cached;
  const root = JSON.parse(readFileSync(url, "utf8")) as SchemaNode;
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    discriminator: true,
    verbose: true,
  });
  const entry = { validate: ajv.compile(root), root };
  compiled.set(url.href, entry);
  return entry;
}

/** What is wrong with `data` against `schema`; empty when it conforms. */
export function schemaIssues(schema: CompiledSchema, data: unknown): SchemaIssue[] {
  const { validate, root } = schema;
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  // An anyOf failure also reports each branch's failure at the same place; its own summary is clearer.
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === "anyOf").map((e) => e.instancePath));
  const seen = new Set<string>();
  return errors
    .filter((e) => e.keyword !== "if")
    .filter((e) => e.keyword === "anyOf" || !anyOfPaths.has(e.instancePath))
    .map((e) => toIssue(e, root))
    .filter((p) => {
      const key = `${p.path}\u0000${p.expected}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

const BOARD_SCHEMA = new URL("./board.schema.json", import.meta.url);

/** Schema problems of a board profile; empty when it conforms. */
export function schemaProblems(data: unknown): ProfileProblem[] {
  return schemaIssues(compiledSchema(BOARD_SCHEMA), data).map(({ path, value, expected }) => ({
    path,
    value,
    expected,
  }));
}

function toIssue(error: ErrorObject, root: SchemaNode): SchemaIssue {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required": {
      const missing = String(params["missingProperty"]);
      const properties = (error.parentSchema?.["properties"] ?? {}) as Record<string, unknown>;
      return {
        path: `${error.instancePath}/${missing}`,
        value: undefined,
        expected: `is required (${describe(properties[missing], root)})`,
        fix: `add "${missing}"`,
      };
    }
    case "additionalProperties": {
      const extra = String(params["additionalProperty"]);
      const known = Object.keys((error.parentSchema?.["properties"] ?? {}) as object);
      return {
        path: `${error.instancePath}/${extra}`,
        value: (error.data as Record<string, unknown>)[extra],
        expected: `is not allowed (known properties: ${known.join(", ")})`,
        fix: "remove it or correct its spelling",
      };
    }
    case "discriminator": {
      const tag = String(params["tag"]);
      const values = discriminatorValues(error.parentSchema, tag);
      return {
        path: `${error.instancePath}/${tag}`,
        value: params["tagValue"],
        expected: `must be one of ${quotedList(values)}`,
        fix: `set "${tag}" to one of them`,
      };
    }
    case "enum":
      return {
        path: error.instancePath,
        value: error.data,
        expected: `must be one of ${quotedList(params["allowedValues"] as unknown[])}`,
        fix: "use one of those values",
      };
    case "anyOf":
    case "type":
    case "pattern":
    case "const":
      return {
        path: error.instancePath,
        value: error.data,
        expected: `must be ${describe(error.parentSchema, root)}`,
        fix: `use ${describe(error.parentSchema, root)}`,
      };
    default:
      return {
        path: error.instancePath,
        value: error.data,
        expected: error.message ?? "is invalid",
        fix: "change the value to one that fits",
      };
  }
}

function discriminatorValues(parentSchema: SchemaNode | undefined, tag: string): unknown[] {
  const branches = (parentSchema?.["oneOf"] ?? []) as SchemaNode[];
  return branches.map((branch) => ((branch["properties"] as Record<string, SchemaNode>)[tag] ?? {})["const"]);
}

function quotedList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/** A short English description of what a schema node accepts, e.g. "a number > 0" or "a pin name like A8". */
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
      if (node["pattern"] === "^[a-z0-9][a-z0-9-]*$") return "an id like pico or neo-6m";
      if (node["pattern"] === "\\S") return "a non-blank string";
      if (String(node["pattern"]).endsWith("\\.json)$"))
        return "a module id like neo-6m or a path ending .json";
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

/** Follows local "#/$defs/…" references; the schemas use no others. */
function resolve(node: unknown, root: SchemaNode): SchemaNode | undefined {
  if (!node || typeof node !== "object") return undefined;
  const ref = (node as SchemaNode)["$ref"];
  if (typeof ref !== "string" || !ref.startsWith("#/$defs/")) return node as SchemaNode;
  const defs = root["$defs"] as Record<string, unknown>;
  const rest: SchemaNode = { ...(node as SchemaNode) };
  delete rest["$ref"];
  return resolve({ ...(defs[ref.slice("#/$defs/".length)] as SchemaNode), ...rest }, root);
}
