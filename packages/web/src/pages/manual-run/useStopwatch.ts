import { useCallback, useEffect, useRef, useState } from "react";

/**
 * Time spent on the current test: starts at zero whenever `key` (the test) changes, ticks every second,
 * can be paused and resumed. `elapsedMs()` reads the exact time when a result is saved.
 */
export function useStopwatch(key: unknown) {
  const startedAt = useRef<number | null>(Date.now());
  const banked = useRef(0);
  const [, setTick] = useState(0);
  const [running, setRunning] = useState(true);

  const reset = useCallback(() => {
    banked.current = 0;
    startedAt.current = Date.now();
    setRunning(true);
    setTick((t) => t + 1);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the key is the trigger, not a value read
  useEffect(reset, [key, reset]);

  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setTick((t) => t + 1), 1000);
    return () => window.clearInterval(timer);
  }, [running]);

  const elapsedMs = useCallback(
    () => banked.current + (startedAt.current === null ? 0 : Date.now() - startedAt.current),
    [],
  );

  const toggle = useCallback(() => {
    if (startedAt.current === null) {
      startedAt.current = Date.now();
      setRunning(true);
    } else {
      banked.current += Date.now() - startedAt.current;
      startedAt.current = null;
      setRunning(false);
    }
  }, []);

  return { elapsedMs, running, toggle, reset };
}

/** 75_000 ms → "1:15"; an hour and more → "1:02:05". */
export function formatStopwatch(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}
