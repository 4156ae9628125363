// What `sim` and `lab` accept as boards and scenario: unknown names are a usage error naming the known ones.
import { boardIds } from "../../boards/index.ts";
import { scenarioNames } from "../../sim/scenarios.ts";
import { UsageError } from "./errors.ts";

export function checkLabChoices(boards: readonly string[], scenario: string): void {
  const known = boardIds();
  for (const id of boards)
    if (!known.includes(id)) throw new UsageError(`unknown board "${id}"; known boards: ${known.join(", ")}`);
  if (!scenarioNames().includes(scenario))
    throw new UsageError(`unknown scenario "${scenario}"; known scenarios: ${scenarioNames().join(", ")}`);
}
