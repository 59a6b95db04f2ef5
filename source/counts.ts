/** Counts over a run — threads, descriptors, each kind of memory — from where start-up left them. */
import type {Bucket} from './bucket.js';

/**
A count over a run (threads, descriptors, a kind of memory): where it stood once start-up was over,
the latest, and the largest seen. `first` is the value at the first sample COUNT_SETTLED_SECONDS
into the run (the first sample's in a shorter run): a runtime starting its thread pool, opening
its files and mapping its libraries in its first seconds is not growth (Node: 1 → 11 threads).
*/
export type Count = {readonly first: number; readonly last: number; readonly peak: number; readonly settled?: boolean | undefined};

/** Start-up, for counts: what the first seconds of a run add is not counted as growth. */
export const COUNT_SETTLED_SECONDS = 10;

/** `count` with `value` seen (at a time `settled` past start-up or not). */
export function counted(count: Count | undefined, value: number | undefined, settled: boolean): Count | undefined {
	if (value === undefined) {
		return count;
	}

	if (!count) {
		return {first: value, last: value, peak: value, settled};
	}

	// The first sample past start-up becomes the baseline.
	return {first: settled && !count.settled ? value : count.first, last: value, peak: Math.max(count.peak, value), settled: settled || Boolean(count.settled)};
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
