/** Instruments for the calls a test makes. */

/** Counts how many calls run at once. */
export function gauge(): { enter(): void; leave(): void; readonly now: number; readonly max: number } {
  let now = 0;
  let max = 0;
  return {
    enter() {
      now++;
      if (now > max) max = now;
    },
    leave() {
      now--;
    },
    get now() {
      return now;
    },
    get max() {
      return max;
    },
  };
}

/** A scripted random source: returns the given values in turn, round and round. */
export function scripted(...values: number[]): () => number {
  let i = 0;
  return () => {
    const value = values[i++ % values.length];
    if (value === undefined) throw new Error('scripted() needs at least one value');
    return value;
  };
}
