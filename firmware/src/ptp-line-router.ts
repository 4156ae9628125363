// A board that is PTP master over its serial host link gets two kinds of line from the host: PTP
// messages (`#TP2,…`, docs/sync.md) and commands (docs/protocol.md). This splits the host's byte
// stream at line ends and routes each line by its first characters: PTP lines whole to `onPtpLine`,
// everything else, unchanged and as it comes, to the command reader, which keeps its own limits.
import { PTP_LINE_PREFIX } from "./ptp-frame.ts";

/**
 * The longest PTP line kept: prefix (5), hex of PTP_LINE_MAX_BYTES (256), '*', CRC (8) and CR. Longer
 * ones are dropped and counted. A literal: a computed top-level value would stay in every bundle.
 */
export const PTP_LINE_MAX_CHARS = 271;

const UNDECIDED = 0;
const PTP = 1;
const COMMAND = 2;
const DISCARD = 3;

export interface PtpLineRouter {
  push(chunk: string): void;
  /** PTP lines dropped for being longer than PTP_LINE_MAX_CHARS. */
  tooLong: number;
}

export function createPtpLineRouter(
  onPtpLine: (line: string) => void,
  toCommands: (chunk: string) => void,
): PtpLineRouter {
  let pending = "";
  let mode = UNDECIDED;
  const router: PtpLineRouter = {
    tooLong: 0,
    push: function (chunk: string) {
      let from = 0;
      while (from < chunk.length) {
        const newline = chunk.indexOf("\n", from);
        const to = newline < 0 ? chunk.length : newline + 1;
        const piece = chunk.substring(from, to);
        from = to;
        if (mode === COMMAND) toCommands(piece);
        else if (mode !== DISCARD) {
          pending += piece;
          if (mode === UNDECIDED && (pending.length >= PTP_LINE_PREFIX.length || newline >= 0)) {
            if (pending.substr(0, PTP_LINE_PREFIX.length) === PTP_LINE_PREFIX) mode = PTP;
            else {
              mode = COMMAND;
              toCommands(pending);
              pending = "";
            }
          }
          if (mode === PTP && pending.length > PTP_LINE_MAX_CHARS + 1) {
            mode = DISCARD;
            pending = "";
            router.tooLong++;
          }
        }
        if (newline >= 0) {
          if (mode === PTP) onPtpLine(pending);
          pending = "";
          mode = UNDECIDED;
        }
      }
    },
  };
  return router;
}
