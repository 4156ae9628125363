import { classifyUsb, listPorts, type PortInfo } from "../../transport/ports.ts";
import type { RegisterCommand } from "../main.ts";
import { formatTable } from "../table.ts";

interface PortsOptions {
  all?: boolean;
  json?: boolean;
}

const usbId = (p: PortInfo) => (p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : "—");

export const registerPorts: RegisterCommand = (program, ctx) => {
  program
    .command("ports")
    .description("list serial ports with an Espruino board or a USB-serial bridge, by USB vendor/product id")
    .option("--all", "list every serial port, not only the recognised ones")
    .option("--json", "print the ports as JSON")
    .action(async (options: PortsOptions) => {
      const all = await listPorts();
      const ports = options.all ? all : all.filter((p) => p.kind !== "other");
      if (options.json) {
        ctx.out.json(ports.map((p) => ({ ...p, what: classifyUsb(p.vendorId, p.productId).what })));
        return;
      }
      if (ports.length === 0) {
        ctx.out.line(
          all.length === 0
            ? "no serial ports found: plug a board in (a charge-only USB cable shows nothing)"
            : `no Espruino board or USB-serial bridge among ${all.length} serial ports (timenode ports --all lists them)`,
        );
        return;
      }
      ctx.out.line(
        formatTable(
          ["PORT", "USB ID", "KIND", "WHAT", "SERIAL"],
          ports.map((p) => [
            p.path,
            usbId(p),
            p.kind,
            classifyUsb(p.vendorId, p.productId).what,
            p.serialNumber ?? "—",
          ]),
        ),
      );
    });
};
