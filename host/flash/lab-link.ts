// A lab board's host link as a ByteLink: bytes go straight to the board's host device, and waiting
// advances the lab's virtual time, so flashing runs deterministically and fast in tests.
import type { Lab, LabNode } from "../../sim/lab.ts";
import type { ByteLink } from "./link.ts";

const STEP_S = 0.005;

export interface LabLinkOptions {
  /** Pull the cable after this many bytes from the host (a cut-off upload). */
  cutAfterBytes?: number;
}

export function labByteLink(lab: Lab, node: LabNode, options: LabLinkOptions = {}): ByteLink {
  let received = "";
  let closedReason: string | null = null;
  let allowance = options.cutAfterBytes ?? Infinity;
  const takesConsole = !/^Serial\d$/.test(node.hostDevice);
  node.onHostData((data) => {
    if (closedReason === null) received += data;
  });
  if (takesConsole) node.board.connectHost(node.hostDevice);
  const unplug = (reason: string) => {
    closedReason = reason;
    if (takesConsole) node.board.disconnectHost();
  };
  return {
    name: node.name,
    get received() {
      return received;
    },
    get closedReason() {
      return closedReason;
    },
    nowMs: () => lab.scheduler.now * 1000,
    write: (data) => {
      if (closedReason !== null) return Promise.reject(new Error(closedReason));
      if (data.length >= allowance) {
        node.sendToBoard(data.slice(0, allowance));
        unplug(`${node.name} unplugged`);
        return Promise.reject(new Error(closedReason ?? "unplugged"));
      }
      allowance -= data.length;
      node.sendToBoard(data);
      return Promise.resolve();
    },
    wait: (ms) => {
      const until = lab.scheduler.now + ms / 1000;
      const before = received.length;
      while (lab.scheduler.now < until && received.length === before && closedReason === null)
        lab.runUntil(Math.min(until, lab.scheduler.now + STEP_S));
      return Promise.resolve();
    },
    close: () => {
      if (closedReason === null) unplug("closed");
      return Promise.resolve();
    },
  };
}
