// Cross-field rules the JSON Schema cannot express. Runs only on data that already conforms to the schema.
import type { ProfileProblem } from "./errors.ts";
import type { BoardProfile } from "./types.ts";

export function consistencyProblems(profile: BoardProfile, label: string): ProfileProblem[] {
  return [
    ...fileNameProblems(profile, label),
    ...defaultWiringProblems(profile),
    ...extiProblems(profile),
    ...oscillatorProblems(profile),
    ...temperatureSensorProblems(profile),
  ];
}

/** `boards/pico.json` must hold id "pico"; labels that are not file names are not checked. */
function fileNameProblems(profile: BoardProfile, label: string): ProfileProblem[] {
  const fileId = /([^/\\]+)\.json$/.exec(label)?.[1];
  if (fileId === undefined || fileId === profile.id) return [];
  return [{ path: "/id", value: profile.id, expected: `must equal the file name "${fileId}"` }];
}

function defaultWiringProblems(profile: BoardProfile): ProfileProblem[] {
  const { pins, uarts } = profile;
  const watchable = new Set(pins.watchable);
  const problems: ProfileProblem[] = [];
  if (!watchable.has(pins.defaultPps)) {
    problems.push({
      path: "/pins/defaultPps",
      value: pins.defaultPps,
      expected: "must be one of /pins/watchable",
    });
  }
  for (const [index, pin] of pins.fiveVoltTolerant.entries()) {
    if (!watchable.has(pin)) {
      problems.push({
        path: `/pins/fiveVoltTolerant/${index}`,
        value: pin,
        expected: "must be one of /pins/watchable",
      });
    }
  }
  const gpsUart = uarts.find((uart) => uart.device === pins.defaultGpsUart);
  if (!gpsUart) {
    const devices = uarts.map((uart) => uart.device).join(", ");
    problems.push({
      path: "/pins/defaultGpsUart",
      value: pins.defaultGpsUart,
      expected: `must be one of /uarts: ${devices}`,
    });
    return problems;
  }
  for (const end of ["Rx", "Tx"] as const) {
    const pin = pins[`defaultGps${end}`];
    const path = `/pins/defaultGps${end}`;
    const uartPin = end === "Rx" ? gpsUart.rx : gpsUart.tx;
    if (gpsUart.anyPin) {
      if (pin !== null && !watchable.has(pin)) {
        problems.push({
          path,
          value: pin,
          expected: "must be one of /pins/watchable (the UART takes any pin)",
        });
      }
    } else if (pin !== uartPin) {
      problems.push({
        path,
        value: pin,
        expected: `must be ${gpsUart.device}'s ${end.toLowerCase()} pin ${String(uartPin)}`,
      });
    }
    if (pin === pins.defaultPps) {
      problems.push({ path, value: pin, expected: "must differ from /pins/defaultPps" });
    }
  }
  return problems;
}

/** STM32: one EXTI line per pin number, so A8 and B8 cannot both be watched. */
function extiProblems(profile: BoardProfile): ProfileProblem[] {
  const { pins } = profile;
  if (pins.extiRule.value !== "pin-number") return [];
  const ppsLine = pinNumber(pins.defaultPps);
  return (pins.otherWatched?.value ?? [])
    .filter((pin) => pinNumber(pin) === ppsLine)
    .map((pin) => ({
      path: "/pins/defaultPps",
      value: pins.defaultPps,
      expected: `must not share EXTI line ${ppsLine} with watched pin ${pin}`,
    }));
}

function pinNumber(pin: string): number {
  return Number(pin.slice(1));
}

function oscillatorProblems(profile: BoardProfile): ProfileProblem[] {
  const { oscillator } = profile;
  if (oscillator.rcCalibration && oscillator.type !== "rc") {
    return [
      {
        path: "/oscillator/rcCalibration",
        value: oscillator.rcCalibration.value,
        expected: `is only allowed when /oscillator/type is "rc" (it is "${oscillator.type}")`,
      },
    ];
  }
  return [];
}

function temperatureSensorProblems(profile: BoardProfile): ProfileProblem[] {
  const sensor = profile.temperature;
  const problems: ProfileProblem[] = [];
  if (!sensor.present && sensor.resolutionC.value !== null) {
    problems.push({
      path: "/temperature/resolutionC/value",
      value: sensor.resolutionC.value,
      expected: "must be null when /temperature/present is false",
    });
  }
  if (!sensor.present && sensor.reliable === true) {
    problems.push({
      path: "/temperature/reliable",
      value: true,
      expected: "must not be true when no sensor is present",
    });
  }
  return problems;
}
