/** Counts over a run — threads, descriptors, each kind of memory — from where start-up left them. */
import type {Bucket} from './bucket.js';

/**
A count over a run (threads, descriptors, a kind of memory): where it stood once start-up was over,
the latest, and the largest seen. `first` is the value at the first sample COUNT_SETTLED_SECONDS
into the run; in a shorter run the first a second in (COUNT_STARTED_SECONDS), else the first
sample's: a runtime starting its thread pool, opening its files and mapping its libraries in its
first moments is not growth (Node: 1 → 11 threads in its first 50 ms, which a 4-second test
reported as "grew by 10").
*/
export type Count = {readonly first: number; readonly last: number; readonly peak: number; readonly level?: number | undefined};

/** Start-up, for counts: what the first seconds of a run add is not counted as growth. */
export const COUNT_SETTLED_SECONDS = 10;

/** A run shorter than COUNT_SETTLED_SECONDS counts from this far in. */
export const COUNT_STARTED_SECONDS = 1;

/** How far past start-up a sample `seconds` into the run is: 0, 1 (a second in) or 2 (settled). */
export function startupLevel(seconds: number): number {
	return seconds >= COUNT_SETTLED_SECONDS ? 2 : seconds >= COUNT_STARTED_SECONDS ? 1 : 0;
}

/** `count` with `value` seen at start-up level `level` (startupLevel). */
export function counted(count: Count | undefined, value: number | undefined, level: number): Count | undefined {
	if (value === undefined) {
		return count;
	}

	if (!count) {
		return {first: value, last: value, peak: value, level};
	}

	// The first sample further past start-up becomes the baseline.
	const later = level > (count.level ?? 0);
	return {first: later ? value : count.first, last: value, peak: Math.max(count.peak, value), level: later ? level : count.level};
}

/** The mean RSS of each kind over the buckets whose centres lie in [from, to]; undefined where none has kinds. */
export function kindMeans(buckets: readonly Bucket[], from: number, to: number): {anon: number; file: number; shmem: number} | undefined {
	let anon = 0;
	let file = 0;
	let shmem = 0;
	let n = 0;
	for (const bucket of buckets) {
		const centre = bucket.sumT / bucket.n;
		if (centre >= from && centre <= to && bucket.kindN > 0) {
			anon += bucket.anonSum;
			file += bucket.fileSum;
			shmem += bucket.shmemSum;
			n += bucket.kindN;
		}
	}

	return n === 0 ? undefined : {anon: anon / n, file: file / n, shmem: shmem / n};
}
