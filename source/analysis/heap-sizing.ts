/**
RSS that a managed heap takes as it grows into its reservation, told from objects that stay.

A JVM started without -Xmx may take a quarter of the machine's memory for its heap, and G1 sizes
it over hours: the corpus's LRU server rose in a straight line at 210–230 MiB/h from minute 12 to
40 and was called a failure (bench/README.md). RSS alone cannot tell that from a leak; the JVM's
own counters and its heap's mappings can:

```
 RSS growth ──┬── the heap's pages (its reservation's RSS, smaps) ──┬── objects that survived a collection
              │                                                     └── room: pages touched, no objects in them
              └── the rest (native memory, threads, metaspace…)
```

Most of the growth must be the heap's pages; then either:
- `room`: old collections ran in the stretch, and little of the growth is objects (at their
  lowest: what a collection leaves) — the heap growing into its room, not a leak of objects;
- `uncollected`: no old collection ran in it (fewer than two), so the objects that survived a
  young one are live or garbage alike — promoted garbage fills an old generation until the first
  old collection, which on a large default heap may be an hour away. Nothing can tell yet.
Either way the verdict is not a leak, nor anything else: RSS may go on rising up to the maximum
heap, and a leak can hide under it. A native leak (the rest), or objects that stay across old
collections, are not excused.
*/

/** One reading of a managed heap (a JVM's), in bytes, at `t` seconds of the run. */
export type HeapPoint = {
	readonly t: number;
	/** Objects that survived a collection, live or not yet collected: at their lowest right after one. */
	readonly used: number;
	readonly committed: number;
	/** The most it may commit (-Xmx). */
	readonly max: number;
	/** Old (full, concurrent) collections so far: only they clear objects that survived a young one. */
	readonly oldGcs: number;
	/** RSS of the heap's reservation (smaps); undefined where it was not read. */
	readonly heapRss?: number | undefined;
};

/** What the readings say of a stretch of growth judged to be the heap's own. */
export type HeapSizing = {
	readonly kind: 'room' | 'uncollected';
	/** Bytes per hour: the heap's pages, and its objects at their lowest. */
	readonly heapRssRate: number;
	readonly usedRate: number;
	readonly committed: number;
	readonly max: number;
	/** Old collections in the stretch. */
	readonly oldGcs: number;
};

/** The least share of RSS growth that must be the heap's pages, and the most that may be objects once old collections ran. */
export const HEAP_PAGES_SHARE = 0.75;
export const OBJECTS_SHARE = 0.25;

/** Old collections a stretch needs for its objects' lowest to be what stays. */
export const OLD_GCS_TO_TELL = 2;

/** Readings of the heap's pages needed in the stretch (a live run's are 30 s apart or more: six minutes' worth). */
const MIN_READINGS = 12;

/**
Whether growth at `rate` bytes per hour from `from` to `to` (seconds of the run) is the heap's
own (see above): at least HEAP_PAGES_SHARE of it the heap's pages, and either fewer than
OLD_GCS_TO_TELL old collections in the stretch or at most OBJECTS_SHARE of it objects. Each is
read as the change between the stretch's first and last quarter (pages: their mean; objects: their
lowest) over the time between the quarters' middles. Undefined otherwise, or where the pages'
readings do not cover most of the stretch.
*/
export function heapSizing(points: readonly HeapPoint[], from: number, to: number, rate: number): HeapSizing | undefined {
	// The pages are read less often than the counters (smaps costs): the stretch is where they were read.
	const pages = points.filter(point => point.t >= from && point.t <= to && point.heapRss !== undefined);
	const first = pages[0];
	const last = pages.at(-1);
	if (rate <= 0 || !first || !last || pages.length < MIN_READINGS || last.t - first.t < 0.75 * (to - from)) {
		return undefined;
	}

	const quarter = (last.t - first.t) / 4;
	const within = (low: number, high: number): HeapPoint[] => points.filter(point => point.t >= low && point.t <= high);
	const head = within(first.t, first.t + quarter);
	const tail = within(last.t - quarter, last.t);
	const hours = 3 * quarter / 3600;
	const mean = (list: readonly HeapPoint[]): number => {
		const read = list.filter(point => point.heapRss !== undefined);
		return read.reduce((sum, point) => sum + point.heapRss!, 0) / read.length;
	};

	const lowest = (list: readonly HeapPoint[]): number => Math.min(...list.map(point => point.used));
	const heapRssRate = (mean(tail) - mean(head)) / hours;
	const usedRate = (lowest(tail) - lowest(head)) / hours;
	const oldGcs = last.oldGcs - first.oldGcs;
	if (heapRssRate < HEAP_PAGES_SHARE * rate) {
		return undefined;
	}

	const found = {heapRssRate, usedRate, committed: last.committed, max: last.max, oldGcs};
	if (oldGcs < OLD_GCS_TO_TELL) {
		return {kind: 'uncollected', ...found};
	}

	return usedRate <= OBJECTS_SHARE * rate ? {kind: 'room', ...found} : undefined;
}
