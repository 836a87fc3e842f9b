/**
 * Step timer for a pipeline: `lap(name)` records the milliseconds since the previous lap (or since
 * the timer was made) under `name`, and `finish()` records the whole time under `total` and
 * returns the record.
 */
export type StepTimer = {
  /** Milliseconds per step, filled in as laps are taken. */
  timingsMs: Record<string, number>;
  lap: (name: string) => void;
  finish: () => Record<string, number>;
};

export function createStepTimer(): StepTimer {
  const timingsMs: Record<string, number> = {};
  const t0 = performance.now();
  let mark = t0;
  return {
    timingsMs,
    lap(name: string) {
      const now = performance.now();
      timingsMs[name] = now - mark;
      mark = now;
    },
    finish() {
      timingsMs.total = performance.now() - t0;
      return timingsMs;
    },
  };
}
