/**
Theil–Sen: the median of the slopes between every pair of points. Robust to outliers (a GC
spike moves it by nothing), and with Sen's rank bounds it gives a confidence interval from the
same slopes.
*/
import {selectKth} from './select.js';

/**
The slopes of 512 points (the store's bound on buckets and GC floors): 130,816 numbers, 1 MiB.
The buffer is taken at that size on first use and written through at once. Grown to fit each
call, as it was, it was malloc'd anew whenever a run's analysed points grew (every few verdicts
in a run's first quarter hour), and the freed buffers left memmon's malloc heap pinned ~2 MiB
higher, and memmon's own RSS stepped up with it.
*/
export const SLOPES_RESERVED = (512 * 511) / 2;

let scratch = new Float64Array(0);

/** The pairwise slopes, in a scratch buffer reused between calls; valid until the next call. */
export function pairwiseSlopes(t: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
	const m = t.length;
	const n = (m * (m - 1)) / 2;
	if (scratch.length < n) {
		scratch = new Float64Array(Math.max(n, SLOPES_RESERVED)).fill(0);
	}

	let at = 0;
	for (let i = 0; i < m; i++) {
		const ti = t[i]!;
		const yi = y[i]!;
		for (let j = i + 1; j < m; j++) {
			scratch[at++] = (y[j]! - yi) / (t[j]! - ti);
		}
	}

	return scratch.subarray(0, n);
}

/**
The Theil–Sen slope (per unit of t) of at least two points with distinct times.

@example theilSen([0, 1, 2, 3], [0, 1, 2, 100]) // 1
*/
export function theilSen(t: ArrayLike<number>, y: ArrayLike<number>): number {
	if (t.length < 2) {
		throw new RangeError('theilSen: need at least two points');
	}

	const slopes = pairwiseSlopes(t, y);
	return medianInPlace(slopes);
}

/** The median of `values`, reordering them. */
export function medianInPlace(values: Float64Array): number {
	const n = values.length;
	const upper = selectKth(values, n >> 1);
	if (n % 2 === 1) {
		return upper;
	}

	// The largest of the lower half: after the select, everything left of n/2 is ≤ upper.
	let lower = Number.NEGATIVE_INFINITY;
	for (let i = 0; i < n >> 1; i++) {
		if (values[i]! > lower) {
			lower = values[i]!;
		}
	}

	return (lower + upper) / 2;
}

/**
Sen's (1968) rank bounds: with `c = z·√Var(S)`, the slopes ranked ⌊(N − c)/2⌋ and ⌈(N + c)/2⌉
(0-based) bound the true slope. A rank outside the slopes is an infinite bound: the data cannot
say. Reorders `slopes`.
*/
export function senBounds(slopes: Float64Array, varianceS: number, z: number, partition?: SenPartition): {low: number; high: number} {
	const n = slopes.length;
	const c = z * Math.sqrt(Math.max(0, varianceS));
	const k1 = Math.floor((n - c) / 2);
	const k2 = Math.ceil((n + c) / 2);
	// Every select leaves the array partitioned around its rank, so each later one can search
	// only the side it is on: the bounds below the median in [0, lowEnd], above it in [highStart, n).
	const lowEnd = Math.min(partition?.lowEnd ?? n - 1, n - 1);
	const highStart = Math.max(partition?.highStart ?? 0, 0);
	const low = k1 >= 0 && k1 < n ? selectKth(slopes, k1, 0, k1 <= lowEnd ? lowEnd : n - 1) : Number.NEGATIVE_INFINITY;
	const high = k2 >= 0 && k2 < n ? selectKth(slopes, k2, k2 >= highStart ? highStart : 0, n - 1) : Number.POSITIVE_INFINITY;
	if (partition) {
		partition.lowEnd = k1 >= 0 && k1 < n ? k1 : partition.lowEnd;
		partition.highStart = k2 >= 0 && k2 < n ? k2 : partition.highStart;
	}

	return {low, high};
}

/** Where the slopes are already partitioned: everything up to `lowEnd` and from `highStart` on. */
export type SenPartition = {lowEnd: number; highStart: number};
