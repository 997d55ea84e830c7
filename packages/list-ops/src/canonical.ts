/**
 * Structural identity for `unique`: every value gets a canonical id, and two
 * values get the same id exactly when they are equal under unique's rules.
 *
 * - Atoms (primitives, and objects compared by identity) get ids from a `Map`,
 *   whose keys use SameValueZero: one NaN, `-0` equals `0`, `1 !== true !== '1'`.
 * - Structural values (arrays, plain objects, Maps, Sets) are hash-consed:
 *   their canonical form is their kind plus their children's ids (object and
 *   Map entries sorted by key id, Set elements sorted), a short list of
 *   integers. A 32-bit hash of that list picks a bucket; a candidate in the
 *   bucket is confirmed only by comparing the lists element by element, so
 *   a hash collision can never merge distinct values. Dates get ids by time.
 * - Built bottom-up with an explicit stack (no recursion: any depth), with
 *   children's ids on one shared integer stack and reused frames, so a small
 *   object allocates little more than its `Object.keys`. Nested values are
 *   memoised per object (shared sub-structures cost once), and a value that
 *   contains itself throws a TypeError instead of looping.
 */

const ATOM = 0;
const ARRAY = 1;
const PLAIN = 2;
const MAP = 3;
const SET = 4;
const DATE = 5;

/**
 * How `unique` compares a value: by identity/SameValueZero (0, an atom) or by
 * structure (1 array, 2 plain object, 3 Map, 4 Set, 5 Date).
 *
 * @example
 * ```ts
 * const kind: Kind = kindOf([1]); // 1
 * ```
 */
export type Kind = typeof ATOM | typeof ARRAY | typeof PLAIN | typeof MAP | typeof SET | typeof DATE;

/**
 * The comparison kind of `value`: `0` (atom: SameValueZero / identity) for
 * primitives, functions and class instances (RegExp, typed arrays, custom
 * classes...); non-zero for arrays, plain objects, Maps, Sets and Dates.
 *
 * @example
 * ```ts
 * kindOf(1); // 0
 * kindOf(/a/); // 0 (identity)
 * kindOf({ a: 1 }) !== 0; // true (structural)
 * ```
 */
export function kindOf(value: unknown): Kind {
  if (typeof value !== 'object' || value === null) return ATOM;
  if (Array.isArray(value)) return ARRAY;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === Object.prototype || proto === null) return PLAIN;
  if (value instanceof Map) return MAP;
  if (value instanceof Set) return SET;
  if (value instanceof Date) return DATE;
  // A plain object from another realm: its prototype is a root prototype.
  if (Object.getPrototypeOf(proto) === null) return PLAIN;
  return ATOM;
}

/** A structural value being canonicalised: its children are resolved one by one. Reused. */
interface Frame {
  value: object;
  kind: Kind;
  /** The children (array elements, Set elements, Map values) or, for plain objects, the property keys. */
  list: ArrayLike<unknown>;
  index: number;
  /** Where this value's child ids (and key ids) start on the shared stacks. */
  idStart: number;
  keyStart: number;
  /** Whether a child was structural (such a value is always memoised). */
  nested: boolean;
}

/** A canonical form already seen, chained with the others of its hash bucket. */
interface Shape {
  readonly kind: Kind;
  readonly keys: readonly number[];
  readonly ids: readonly number[];
  readonly id: number;
  readonly next: Shape | undefined;
}

/** Ancestors below this depth are checked for cycles by a scan; deeper ones through a Set. */
const SCAN_DEPTH = 16;
/** Leaves (values with only atom children) this small are recomputed rather than memoised. */
const SMALL_LEAF = 16;
const NO_KEYS: readonly number[] = [];

/** Mixes `value` into the running hash `h` (32-bit, multiply-xorshift). */
function mix(h: number, value: number): number {
  h = Math.imul(h ^ value, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/** `stack[start..start+list.length)` equals `list`. */
function sameRange(stack: readonly number[], start: number, list: readonly number[]): boolean {
  for (let i = 0; i < list.length; i++) if (stack[start + i] !== list[i]) return false;
  return true;
}

/** Sorts `ids[start..end)` ascending, in place. */
function sortRange(ids: number[], start: number, end: number): void {
  if (end - start > 1) {
    const sorted = ids.slice(start, end).sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i++) ids[start + i] = sorted[i] ?? 0;
  }
}

/** Sorts the `n` pairs `(keys[k+i], ids[d+i])` by key (keys are distinct), in place. */
function sortPairs(keys: number[], k: number, ids: number[], d: number, n: number): void {
  if (n <= 24) {
    // Insertion sort: objects are usually small, and this allocates nothing.
    for (let i = 1; i < n; i++) {
      const key = keys[k + i] ?? 0;
      const id = ids[d + i] ?? 0;
      let j = i - 1;
      for (; j >= 0; j--) {
        const before = keys[k + j] ?? 0;
        if (before <= key) break;
        keys[k + j + 1] = before;
        ids[d + j + 1] = ids[d + j] ?? 0;
      }
      keys[k + j + 1] = key;
      ids[d + j + 1] = id;
    }
    return;
  }
  const pairs = Array.from({ length: n }, (_, i) => [keys[k + i] ?? 0, ids[d + i] ?? 0] as const).sort((a, b) => a[0] - b[0]);
  pairs.forEach(([key, id], i) => {
    keys[k + i] = key;
    ids[d + i] = id;
  });
}

const CYCLE = 'unique: cannot compare a value that contains itself (a cycle)';

/**
 * Assigns canonical ids; one instance per `unique` call (values may change
 * between calls, so nothing is cached across calls).
 *
 * @example
 * ```ts
 * const canon = new Canonicalizer();
 * canon.idOf({ a: [1, 2], b: 'x' }) === canon.idOf({ b: 'x', a: [1, 2] }); // true
 * canon.idOf([1]) === canon.idOf([true]); // false
 * ```
 */
export class Canonicalizer {
  /** Bits of the hash that pick a bucket (all by default; fewer only to test collisions). */
  readonly #mask: number;
  readonly #atoms = new Map<unknown, number>();
  readonly #dates = new Map<number, number>();
  readonly #buckets = new Map<number, Shape>();
  readonly #memo = new Map<object, number>();
  /** Ancestors at depth >= SCAN_DEPTH. */
  readonly #deep = new Set<object>();
  /** Frames by depth, reused across values. */
  readonly #frames: Frame[] = [];
  /** Shared stacks of resolved child ids and key ids, with their tops. */
  readonly #ids: number[] = [];
  readonly #keys: number[] = [];
  #idTop = 0;
  #keyTop = 0;
  #next = 0;

  /**
   * @param options.hashMask - ANDed with every hash (default `-1`: all 32 bits).
   *   Tests pass `0` to force every value into one bucket, so the element-by-element
   *   confirmation alone must keep distinct values apart.
   */
  constructor(options: { hashMask?: number } = {}) {
    this.#mask = options.hashMask ?? -1;
  }

  /** The canonical id of `value`: equal ids exactly when the values are equal. */
  idOf(value: unknown): number {
    const kind = kindOf(value);
    if (kind === ATOM) return this.#atom(value);
    if (kind === DATE) return this.#date(value as Date);
    return this.#memo.get(value as object) ?? this.#build(value as object, kind);
  }

  #atom(value: unknown): number {
    let id = this.#atoms.get(value);
    if (id === undefined) {
      id = this.#next++;
      this.#atoms.set(value, id);
    }
    return id;
  }

  #date(value: Date): number {
    // Map keys use SameValueZero, so invalid dates (NaN) share one id.
    const time = value.getTime();
    let id = this.#dates.get(time);
    if (id === undefined) {
      id = this.#next++;
      this.#dates.set(time, id);
    }
    return id;
  }

  /** Sets up the frame at `depth` for `value`, pushing its key ids (plain objects, Maps). */
  #open(depth: number, value: object, kind: Kind): Frame {
    let list: ArrayLike<unknown>;
    const keyStart = this.#keyTop;
    if (kind === ARRAY) {
      list = value as unknown[];
    } else if (kind === SET) {
      list = Array.from(value as Set<unknown>);
    } else if (kind === MAP) {
      // Map keys keep Map semantics: SameValueZero, objects by identity.
      const values: unknown[] = [];
      for (const [key, child] of value as Map<unknown, unknown>) {
        this.#keys[this.#keyTop++] = this.#atom(key);
        values.push(child);
      }
      list = values;
    } else {
      const names: PropertyKey[] = Object.keys(value);
      for (const symbol of Object.getOwnPropertySymbols(value)) {
        if (Object.prototype.propertyIsEnumerable.call(value, symbol)) names.push(symbol);
      }
      for (const name of names) this.#keys[this.#keyTop++] = this.#atom(name);
      list = names;
    }
    const frame = (this.#frames[depth] ??= {} as Frame);
    frame.value = value;
    frame.kind = kind;
    frame.list = list;
    frame.index = 0;
    frame.idStart = this.#idTop;
    frame.keyStart = keyStart;
    frame.nested = false;
    if (depth >= SCAN_DEPTH) this.#deep.add(value);
    return frame;
  }

  /** The id of the finished `frame`'s canonical form: found by hash, confirmed by comparison. */
  #close(depth: number, frame: Frame): number {
    const { kind, idStart, keyStart } = frame;
    const ids = this.#ids;
    const keys = this.#keys;
    const n = this.#idTop - idStart;
    const keyed = kind === PLAIN || kind === MAP;
    if (kind === SET) sortRange(ids, idStart, this.#idTop);
    else if (keyed) sortPairs(keys, keyStart, ids, idStart, n);
    let h = mix(kind, n);
    for (let i = 0; i < n; i++) {
      h = mix(h, ids[idStart + i] ?? 0);
      if (keyed) h = mix(h, keys[keyStart + i] ?? 0);
    }
    h &= this.#mask;
    this.#idTop = idStart;
    this.#keyTop = keyStart;
    if (depth >= SCAN_DEPTH) this.#deep.delete(frame.value);
    const head = this.#buckets.get(h);
    for (let shape = head; shape !== undefined; shape = shape.next) {
      if (
        shape.kind === kind &&
        shape.ids.length === n &&
        sameRange(ids, idStart, shape.ids) &&
        (!keyed || sameRange(keys, keyStart, shape.keys))
      ) {
        return shape.id;
      }
    }
    const id = this.#next++;
    const shape: Shape = {
      kind,
      keys: keyed ? keys.slice(keyStart, keyStart + n) : NO_KEYS,
      ids: ids.slice(idStart, idStart + n),
      id,
      next: head,
    };
    this.#buckets.set(h, shape);
    return id;
  }

  /** Whether `child` is `frames[0..depth]` (an ancestor of the value being resolved, or that value). */
  #isOpen(child: object, depth: number): boolean {
    const frames = this.#frames;
    const scan = Math.min(depth, SCAN_DEPTH - 1);
    for (let i = 0; i <= scan; i++) if (frames[i]?.value === child) return true;
    return depth >= SCAN_DEPTH && this.#deep.has(child);
  }

  /**
   * Resolves `root` bottom-up with an explicit stack of frames. A child that
   * is open (an ancestor, or the value itself) is a cycle. Nested values are
   * memoised, except small leaves (cheaper to recompute than to look up); the
   * root is not, which spares a Map write per item of a flat list.
   */
  #build(root: object, rootKind: Kind): number {
    let depth = 0;
    let frame = this.#open(0, root, rootKind);
    try {
      for (;;) {
        const { list, kind } = frame;
        let descended = false;
        while (frame.index < list.length) {
          const entry = list[frame.index];
          const child = kind === PLAIN ? (frame.value as Record<PropertyKey, unknown>)[entry as PropertyKey] : entry;
          const childKind = kindOf(child);
          let id: number | undefined;
          if (childKind === ATOM) id = this.#atom(child);
          else if (childKind === DATE) id = this.#date(child as Date);
          else {
            frame.nested = true;
            id = this.#memo.get(child as object);
            if (id === undefined) {
              if (this.#isOpen(child as object, depth)) throw new TypeError(CYCLE);
              frame = this.#open(++depth, child as object, childKind);
              descended = true;
              break;
            }
          }
          this.#ids[this.#idTop++] = id;
          frame.index++;
        }
        if (descended) continue;
        const id = this.#close(depth, frame);
        if (depth === 0) return id;
        if (frame.nested || frame.list.length > SMALL_LEAF) this.#memo.set(frame.value, id);
        const parent = this.#frames[--depth];
        if (parent === undefined) throw new Error('list-ops: lost a frame (internal error)');
        frame = parent;
        this.#ids[this.#idTop++] = id;
        frame.index++;
      }
    } catch (error) {
      // Leave the instance usable: drop the partial stacks and open ancestors.
      this.#idTop = 0;
      this.#keyTop = 0;
      this.#deep.clear();
      throw error;
    }
  }
}
