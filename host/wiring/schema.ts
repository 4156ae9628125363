// The wiring and module schemas, checked by the one schema translator (boards/schema-problems.ts).
import { compiledSchema, schemaIssues } from "../../boards/schema-problems.ts";
import type { WiringProblem } from "./types.ts";

export type SchemaName = "wiring" | "module";

const SCHEMA_URLS: Record<SchemaName, URL> = {
  wiring: new URL("../../wiring/wiring.schema.json", import.meta.url),
  module: new URL("../../wiring/module.schema.json", import.meta.url),
};

/** Schema problems of `data` (as errors in `file`); empty when it conforms. */
export function schemaProblems(name: SchemaName, data: unknown, file: string): WiringProblem[] {
  return schemaIssues(compiledSchema(SCHEMA_URLS[name]), data).map((issue) => ({
    severity: "error",
    file,
    ...issue,
  }));
}
