// Steps of the host's time-of-day clock while collecting (an NTP step, a manual change, a resume from
// suspend), seen against the monotonic clock on every tick and kept as host events of the host's own
// node. Durations in the collector run on the monotonic clock only; the time of day only stamps.
import { EVT_TOD_STEP, HOST_BOARD, hostIdentity, type HostIdentity } from "../host-clock/host-node.ts";
import { TodTracker, type TodStep } from "../host-clock/tod-tracker.ts";
import type { Registry } from "../store/registry.ts";
import type { HostClock } from "./collector.ts";
import type { EventSink } from "./events.ts";

export function watchClockSteps(
  clock: HostClock,
  registry: Registry,
  emit: EventSink,
  identity: HostIdentity = hostIdentity(),
): TodTracker {
  return new TodTracker(
    { monoNs: () => clock.monoNs(), todMs: () => Number(clock.wallNs() / 1_000_000n) },
    {
      onStep: (step: TodStep) => {
        const node = registry.node(identity.serial, HOST_BOARD, identity.serial, step.todNs);
        registry.hostEvent(node.id, null, step.todNs, EVT_TOD_STEP, String(step.stepNs));
        emit({ event: "clock-step", node: node.name, stepNs: step.stepNs });
      },
    },
  );
}
