// The self-test bundle (`timenode build --board <id> --selftest`): runs the firmware's pure modules on
// fixed vectors on the board itself and prints one PASS/FAIL line per check, then the memory in use.
import { runSelfTests } from "./selftest-run.ts";

function report(name: string, ok: boolean, detail: string) {
  print("SELFTEST " + (ok ? "PASS " : "FAIL ") + name + (detail.length > 0 ? " " + detail : ""));
}

function crc32(text: string): number {
  return E.CRC32(text);
}

const tally = runSelfTests(crc32, report);
const memory = process.memory();
print("SELFTEST MEMORY usage=" + memory.usage + " total=" + memory.total + " blocksize=" + memory.blocksize);
print("SELFTEST DONE " + TN_BOARD.id + " pass=" + tally.pass + " fail=" + tally.fail);
