import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { classifyUsb, listPortsFromSysfs } from "./ports.ts";

describe("serial port discovery", () => {
  const root = mkdtempSync(join(tmpdir(), "timenode-sysfs-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A USB device with one tty interface, as Linux lays it out in sysfs. */
  function usbTty(tty: string, busPath: string, ids: Record<string, string>): void {
    const device = join(root, "devices", busPath);
    const iface = join(device, `${busPath.split("/").pop()}:1.0`);
    mkdirSync(iface, { recursive: true });
    for (const [file, value] of Object.entries(ids)) writeFileSync(join(device, file), `${value}\n`);
    mkdirSync(join(root, "class", "tty", tty), { recursive: true });
    symlinkSync(iface, join(root, "class", "tty", tty, "device"));
  }

  it("reads USB ids of each tty from sysfs and recognises Espruino boards and bridges", () => {
    usbTty("ttyACM0", "pci0/usb1/1-1", {
      idVendor: "0483",
      idProduct: "5740",
      manufacturer: "STMicroelectronics",
      serial: "33FFD605",
    });
    usbTty("ttyUSB0", "pci0/usb1/1-2", { idVendor: "10c4", idProduct: "ea60", serial: "0001" });
    usbTty("ttyUSB1", "pci0/usb1/1-3", { idVendor: "abcd", idProduct: "0001" });
    mkdirSync(join(root, "class", "tty", "tty0"), { recursive: true }); // a virtual console: no device link
    const ports = listPortsFromSysfs(root, "/dev");
    expect(ports.map((p) => [p.path, p.kind, p.serialNumber])).toEqual([
      ["/dev/ttyACM0", "espruino", "33FFD605"],
      ["/dev/ttyUSB0", "usb-serial-bridge", "0001"],
      ["/dev/ttyUSB1", "other", null],
    ]);
  });

  it("classifies ids whatever their case or padding", () => {
    expect(classifyUsb("483", "5740").kind).toBe("espruino");
    expect(classifyUsb("1A86", "7523").kind).toBe("usb-serial-bridge");
    expect(classifyUsb(null, null).kind).toBe("other");
  });

  it("finds nothing (rather than failing) where there is no sysfs", () => {
    expect(listPortsFromSysfs(join(root, "absent"))).toEqual([]);
  });
});
