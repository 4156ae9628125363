// Espruino-compatibility checker speed on a 50 kB script, and on the real firmware bundle.
import { parse } from "acorn";
import { getBoard } from "../boards/index.ts";
import { buildFirmware } from "../firmware/build/bundle.ts";
import { checkScript } from "../firmware/build/checker/index.ts";
import { bestOf } from "./timing.ts";

function syntheticScript(bytes: number): string {
  const parts: string[] = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const part =
      `function f${i}(a, b) { var s = 0; for (var k = 0; k < a.length; k++) { s += a[k] * b; }` +
      ` if (s > ${i}) { return { v: s, n: "${i}" }; } return Math.floor(s / 2); }\n` +
      `var r${i} = f${i}([1, 2, 3], ${i});\n`;
    parts.push(part);
    size += part.length;
  }
  return parts.join("");
}

export function benchChecker() {
  const code = syntheticScript(50_000);
  const firmware = buildFirmware({ board: getBoard("puckjs") });
  return {
    script50kB: {
      bytes: code.length,
      parseMs: bestOf(8, () => parse(code, { ecmaVersion: "latest", locations: true })),
      checkMs: bestOf(8, () => checkScript(code)),
    },
    firmwareBundle: {
      bytes: firmware.bytes,
      buildMs: bestOf(3, () => buildFirmware({ board: getBoard("puckjs") })),
      checkMs: bestOf(8, () => checkScript(firmware.code, { sourceMap: firmware.map })),
    },
  };
}
