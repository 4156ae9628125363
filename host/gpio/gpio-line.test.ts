import { describe, expect, it } from "vitest";
import { explainPinError, gpioAccessProblem, openGpioLine, GpioAccessError } from "./gpio-line.ts";

const linux = { platform: "linux" as const, accessible: false, sysfsExists: true, sysfsWritable: true };

describe("GPIO access", () => {
  it("says why GPIO cannot be had, and how to fix it", () => {
    expect(gpioAccessProblem({ ...linux, accessible: true })).toBeNull();
    expect(gpioAccessProblem({ ...linux, platform: "darwin" })).toMatch(/needs Linux \(this is darwin\)/);
    expect(gpioAccessProblem({ ...linux, sysfsExists: false })).toMatch(/no GPIO sysfs interface/);
    expect(gpioAccessProblem({ ...linux, sysfsWritable: false })).toMatch(/gpio group.*udev rule/);
  });

  it("explains a pin that cannot be opened", () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    expect(explainPinError(17, errno("EBUSY"))).toMatch(/GPIO 17 is in use by a kernel driver/);
    expect(explainPinError(99, errno("EINVAL"))).toMatch(/GPIO 99 does not exist/);
    expect(explainPinError(17, errno("EACCES"))).toMatch(/no permission to export or configure GPIO 17/);
  });

  it("refuses before touching sysfs when GPIO is not accessible", () => {
    expect(() => openGpioLine(17, "rising", { ...linux, sysfsExists: false })).toThrow(GpioAccessError);
  });
});
