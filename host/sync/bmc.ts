// Which of two masters is better, by the Announce dataset (linuxptp bmc.c dscmp order): priority1,
// clockClass, clockAccuracy, offsetScaledLogVariance, priority2, then the grandmaster identity; lower
// wins at each step. Topology (stepsRemoved) breaks ties between equal grandmasters.
import type { PtpAnnounce } from "../../firmware/src/ptp.ts";

/** Negative when `a` is the better master, positive when `b` is, 0 when they are the same. */
export function compareAnnounce(a: PtpAnnounce, b: PtpAnnounce): number {
  return (
    a.priority1 - b.priority1 ||
    a.clockClass - b.clockClass ||
    a.clockAccuracy - b.clockAccuracy ||
    a.offsetScaledLogVariance - b.offsetScaledLogVariance ||
    a.priority2 - b.priority2 ||
    (a.grandmasterIdentity < b.grandmasterIdentity
      ? -1
      : a.grandmasterIdentity > b.grandmasterIdentity
        ? 1
        : 0) ||
    a.stepsRemoved - b.stepsRemoved
  );
}
