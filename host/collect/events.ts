// What the collector tells its user while it runs: one object per happening, printed as NDJSON with
// --json and stored as host events where they concern a node.

export type NodeState = "up" | "suspect" | "down";

export type CollectEvent =
  | { event: "listening"; udp: string }
  | { event: "link-open"; link: string }
  | { event: "link-closed"; link: string; reason: string }
  | { event: "link-error"; link: string; message: string }
  | { event: "node"; node: string; serial: string; board: string; link: string }
  | { event: "state"; node: string; from: NodeState; to: NodeState; silentS: number }
  | { event: "reset"; node: string; fromBoot: string | null; toBoot: string }
  | { event: "gap"; node: string; boot: string; first: number; last: number }
  | { event: "resend"; node: string; boot: string; from: number }
  | { event: "lost"; node: string; boot: string; first: number; last: number; reason: string }
  | { event: "rejected"; link: string; reason: string; example: string }
  | { event: "board-event"; node: string; code: string; value: string }
  /** The host's time of day stepped against its monotonic clock by stepNs (±1 ms). */
  | { event: "clock-step"; node: string; stepNs: number };

export type EventSink = (event: CollectEvent) => void;
