#!/usr/bin/env node
// Entry point: runs the TypeScript CLI through tsx's loader, so there is no stale build to forget.
import { register } from "tsx/esm/api";

register();
// A reader that stops early (`timenode export … | head`) closes the pipe: that is not a failure.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import("../host/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
