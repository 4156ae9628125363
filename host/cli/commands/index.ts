import type { RegisterCommand } from "../main.ts";

/** Every CLI command, in the order `timenode --help` lists them. */
export const commands: RegisterCommand[] = [];
