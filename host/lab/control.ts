// The paced lab's control channel (`timenode sim --control`): one command per line on stdin, one JSON
// reply per line, so tests and demos can pull a board's cable, reset it, pause the lab and ask what the
// boards have sent.
import type { Lab, LabNode } from "../../sim/lab.ts";
import { createNodeTally, type NodeTally } from "./node-tally.ts";

export interface Pluggable {
  unplug(): Promise<void>;
  plug(): Promise<void>;
  /** Pulls the cable once the board has received this many more bytes from the host. */
  unplugAfter(bytes: number): void;
}

export interface LabControl {
  readonly paused: boolean;
  /** Runs one command line; resolves with the reply to print. */
  handle(line: string): Promise<Record<string, unknown>>;
}

export const CONTROL_COMMANDS =
  "unplug <node>, unplug-after <node> <bytes>, plug <node>, reset <node>, pause, resume, tally";

/** What each board has put on its host link: per boot, how many records it numbered. */
function tallyReply(lab: Lab, tallies: Map<string, NodeTally>): Record<string, unknown> {
  return {
    event: "tally",
    virtualS: lab.scheduler.now,
    nodes: lab.nodes.map((node) => ({
      node: node.name,
      serial: node.board.serialNumber,
      boots: [...(tallies.get(node.name)?.nextSeq.entries() ?? [])].map(([bootId, sent]) => ({
        bootId,
        sent,
      })),
    })),
  };
}

export function createLabControl(lab: Lab, plugs: Map<string, Pluggable>): LabControl {
  const tallies = new Map<string, NodeTally>();
  for (const node of lab.nodes) {
    const tally = createNodeTally();
    node.onHostBound((data) => tally.stream.push(data));
    tallies.set(node.name, tally);
  }
  let paused = false;
  const find = (name: string | undefined): LabNode | undefined => lab.nodes.find((n) => n.name === name);
  return {
    get paused() {
      return paused;
    },
    async handle(line) {
      const [command, name, argument] = line.trim().split(/\s+/);
      const fail = (error: string) => ({ event: "control", command: line.trim(), ok: false, error });
      const ok = (extra: Record<string, unknown> = {}) => ({
        event: "control",
        command: line.trim(),
        ok: true,
        ...extra,
      });
      switch (command) {
        case "pause":
          paused = true;
          return ok({ virtualS: lab.scheduler.now });
        case "resume":
          paused = false;
          return ok({ virtualS: lab.scheduler.now });
        case "tally":
          return tallyReply(lab, tallies);
        case "unplug":
        case "unplug-after":
        case "plug":
        case "reset": {
          const node = find(name);
          if (!node)
            return fail(`no node "${name ?? ""}"; nodes: ${lab.nodes.map((n) => n.name).join(", ")}`);
          if (command === "reset") node.board.reboot();
          else if (command === "unplug-after") {
            const bytes = Number(argument);
            const plug = plugs.get(node.name);
            if (!plug) return fail(`${node.name} has no pty to unplug`);
            if (!Number.isInteger(bytes) || bytes < 0)
              return fail(`unplug-after needs a byte count (an integer >= 0), got "${argument ?? ""}"`);
            plug.unplugAfter(bytes);
          } else {
            const plug = plugs.get(node.name);
            if (!plug) return fail(`${node.name} has no pty to ${command}`);
            await (command === "unplug" ? plug.unplug() : plug.plug());
          }
          return ok({ virtualS: lab.scheduler.now });
        }
        default:
          return fail(`unknown command; commands: ${CONTROL_COMMANDS}`);
      }
    },
  };
}
