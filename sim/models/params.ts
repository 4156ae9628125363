// Parameter checks shared by the physical models: each rejects an impossible value with a RangeError
// that names the model, the parameter, the value and what was expected.

export interface ParamChecks {
  fail(message: string): never;
  finite(name: string, value: unknown): number;
  nonNegative(name: string, value: unknown): number;
  /** A probability in [0, 1]; undefined means 0. */
  rate(name: string, value: number | undefined): number;
}

export function paramChecks(model: string): ParamChecks {
  const fail = (message: string): never => {
    throw new RangeError(`${model}: ${message}`);
  };
  const finite = (name: string, value: unknown): number => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      fail(`${name} must be a finite number, got ${String(value)}`);
    }
    return value as number;
  };
  return {
    fail,
    finite,
    nonNegative: (name, value) => {
      const n = finite(name, value);
      if (n < 0) fail(`${name} must be ≥ 0, got ${n}`);
      return n;
    },
    rate: (name, value) => {
      const r = value ?? 0;
      if (typeof r !== "number" || !(r >= 0 && r <= 1))
        fail(`${name} must be in [0, 1], got ${String(value)}`);
      return r;
    },
  };
}
