// Long-running commands (collect, sim): do a step every `everyMs` until Ctrl-C, SIGTERM, or the step
// says it is done.
export function runUntilStopped(everyMs: number, step: () => boolean | void): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      clearInterval(timer);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      done();
    };
    const timer = setInterval(() => {
      if (step() === true) stop();
    }, everyMs);
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
