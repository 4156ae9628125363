// load() and reset() stop the code that called them (Espruino interrupts execution and restarts the
// interpreter from the main loop). The lab throws this sentinel through the firmware's frames; the
// task runner swallows it.

export const INTERRUPT: object = Object.freeze({ espruinoExecutionInterrupted: true });
