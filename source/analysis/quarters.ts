/**
The memory-test plan's method, kept on screen because users know it: the run split into four quarters by
time, each quarter's average, and the rate from the first to the last quarter — divided by the
time between the two quarter centres (0.75·T for even sampling), not the 0.5·T gap between the
quarters, which would inflate every rate by 1.5×.

     Q1        Q2        Q3        Q4
  |---c1---|---------|---------|---c4---|     rate = (avg4 − avg1) / (c4 − c1)
*/
import type {Bucket} from '../bucket.js';

/** What a report says beside a quarter with no samples. */
export const GAP_NOTE = 'no samples: the level across a gap';

/** The four quarter averages and what follows from them. */
export type QuarterSummary = {
	/** Average RSS of each quarter, bytes. */
	readonly averages: readonly [number, number, number, number];
	/** Mean elapsed time of each quarter's samples, seconds. */
	readonly centres: readonly [number, number, number, number];
	/** Last quarter's average minus the first's, bytes. */
	readonly growth: number;
	/** Growth divided by the time between the first and last quarter centres, bytes per hour. */
	readonly ratePerHour: number;
	/** RSS at 0%, 25%, 50%, 75% and 100% of the run (the memory-test plan's "Initial / After 25% …"). */
	readonly milestones: readonly [number, number, number, number, number];
	/**
	Seconds into the run of the "Initial" milestone when it is not the first sample: a spawned
	command's, once its runtime had loaded (SeriesStore.afterStartup).
	*/
	readonly initialAt?: number;
	/**
	Quarters (0–3) with no sample in them — a gap in sampling longer than a quarter: a suspended
	machine, a stopped memmon, a stalled short run — whose average is the level across the gap (the
	line between the samples either side, at the quarter's middle). Absent when every quarter has samples.
	*/
	readonly gaps?: readonly number[];
};

/** Quarter arithmetic over `buckets` at once; `undefined` until there are four samples. */
export function quarters(buckets: readonly Bucket[]): QuarterSummary | undefined {
	return new QuarterIndex().summary(buckets, 0);
}

/** Buckets [bounds[q], bounds[q + 1]) start in quarter q (as quarterOf counts a start): found by bisection. */
function quarterBounds(buckets: readonly Bucket[], start: number, span: number): number[] {
	const count = buckets.length;
	const bounds = [0, 0, 0, 0, count];
	for (let q = 1; q < 4; q++) {
		let low = bounds[q - 1]!;
		let high = count;
		while (low < high) {
			const mid = (low + high) >>> 1;
			if (quarterOf(buckets[mid]!.tFirst, start, span) >= q) {
				high = mid;
			} else {
				low = mid + 1;
			}
		}

		bounds[q] = low;
	}

	return bounds;
}

/**
The quarters of a growing store, in time independent of its length. Every bucket but the last is
final until the store merges its buckets (its width changes), so the index keeps prefix sums of
what each bucket adds to a quarter it lies in whole, extends them as buckets become final, and per
call finds the quarter boundaries by binary search. Only the few merged buckets that straddle a
boundary are shared out bucket by bucket, as `bucketParts` does. The live screen and the plain
line read the quarters every sample: on a 512-bucket store a full pass cost ~0.45 ms a sample in
a 1 Hz run (V8 never optimised it at that rate); this is a few microseconds in a loop and
~0.1 ms at 1 Hz, where all of memmon's code runs cold, whatever the run's length.
*/
export class QuarterIndex {
	#generation = Number.NaN;
	/** Buckets [0, final) are in the prefix sums. */
	#final = 0;
	#n: Float64Array = new Float64Array(0);
	#sum: Float64Array = new Float64Array(0);
	#time: Float64Array = new Float64Array(0);

	/**
	The summary of `buckets`; `generation` changes whenever buckets other than the last may have
	changed (the store's bucket width).
	*/
	summary(buckets: readonly Bucket[], generation: number): QuarterSummary | undefined {
		const count = buckets.length;
		const first = buckets[0];
		const last = buckets.at(-1);
		if (!first || !last) {
			return undefined;
		}

		this.#extend(buckets, generation);
		const lastWhole = whole(last);
		const final = count - 1;
		const n = this.#n[final]! + last.n;
		if (n < 4) {
			return undefined;
		}

		const start = first.tFirst;
		const span = last.tLast - start;
		if (span <= 0) {
			return undefined;
		}

		// Prefix sums with the last bucket appended: index i covers buckets [0, i).
		const prefix = (array: Float64Array, i: number, lastValue: number): number => i <= final ? array[i]! : array[final]! + lastValue;
		const bounds = quarterBounds(buckets, start, span);

		const sums = [0, 0, 0, 0];
		const weights = [0, 0, 0, 0];
		const times = [0, 0, 0, 0];
		for (let q = 0; q < 4; q++) {
			const from = bounds[q]!;
			const to = bounds[q + 1]!;
			weights[q] = prefix(this.#n, to, lastWhole.n) - prefix(this.#n, from, lastWhole.n);
			sums[q] = prefix(this.#sum, to, lastWhole.sum) - prefix(this.#sum, from, lastWhole.sum);
			times[q] = prefix(this.#time, to, lastWhole.time) - prefix(this.#time, from, lastWhole.time);
		}

		// A merged bucket not inside the quarter it starts in is taken back out and shared by
		// overlap. Such buckets sit at the ends of a quarter's range (buckets do not overlap).
		const share = (i: number, q: number): void => {
			const bucket = buckets[i]!;
			const own = i === final ? lastWhole : whole(bucket);
			sums[q]! -= own.sum;
			weights[q]! -= own.n;
			times[q]! -= own.time;
			bucketParts(bucket, start, span, sums, weights, times);
		};

		for (let q = 0; q < 4; q++) {
			const from = bounds[q]!;
			const to = bounds[q + 1]!;
			const qa = start + (q * span / 4);
			const qb = start + ((q + 1) * span / 4);
			let i = from;
			for (; i < to && isMerged(buckets[i]!) && buckets[i]!.tFirst < qa; i++) {
				share(i, q);
			}

			for (let j = to - 1; j >= i && isMerged(buckets[j]!) && buckets[j]!.tLast > qb; j--) {
				share(j, q);
			}
		}

		// A quarter inside a gap (never the first or the last: they hold the first and last samples).
		const gaps: number[] = [];
		for (let q = 1; q < 3; q++) {
			if (weights[q]! <= 0) {
				const middle = start + ((q + 0.5) * span / 4);
				sums[q] = levelAcross(buckets, middle);
				weights[q] = 1;
				times[q] = middle;
				gaps.push(q);
			}
		}

		if (weights.some(w => w <= 0)) {
			return undefined;
		}

		const averages = sums.map((sum, q) => sum / weights[q]!) as unknown as [number, number, number, number];
		const centres = times.map((sum, q) => sum / weights[q]!) as unknown as [number, number, number, number];
		const growth = averages[3] - averages[0];
		const gap = centres[3] - centres[0];
		return {
			averages,
			centres,
			growth,
			ratePerHour: gap > 0 ? growth / gap * 3600 : 0,
			milestones: [0, 0.25, 0.5, 0.75, 1].map(p => valueAt(buckets, start + (p * span))) as unknown as [number, number, number, number, number],
			...gaps.length > 0 ? {gaps} : {},
		};
	}

	/** Bring the prefix sums up to every bucket but the last. */
	#extend(buckets: readonly Bucket[], generation: number): void {
		if (generation !== this.#generation) {
			this.#generation = generation;
			this.#final = 0;
		}

		const final = buckets.length - 1;
		if (this.#n.length < final + 1) {
			const size = Math.max(final + 1, this.#n.length * 2, 16);
			this.#n = grown(this.#n, size);
			this.#sum = grown(this.#sum, size);
			this.#time = grown(this.#time, size);
		}

		for (let i = this.#final; i < final; i++) {
			const part = whole(buckets[i]!);
			this.#n[i + 1] = this.#n[i]! + part.n;
			this.#sum[i + 1] = this.#sum[i]! + part.sum;
			this.#time[i + 1] = this.#time[i]! + part.time;
		}

		this.#final = final;
	}
}

function grown(array: Float64Array, size: number): Float64Array {
	const copy = new Float64Array(size);
	copy.set(array);
	return copy;
}

function isMerged(bucket: Bucket): boolean {
	return bucket.n > 1 && bucket.tLast !== bucket.tFirst;
}

/**
What a bucket adds to a quarter that holds it whole: a single sample (or samples at one time)
its sums; a merged bucket its level at its middle (the mean moved along its first→last slope)
times its samples.
*/
function whole(bucket: Bucket): {n: number; sum: number; time: number} {
	if (!isMerged(bucket)) {
		return {n: bucket.n, sum: bucket.sum, time: bucket.sumT};
	}

	const middle = (bucket.tFirst + bucket.tLast) / 2;
	return {n: bucket.n, sum: levelAt(bucket, middle) * bucket.n, time: bucket.n * middle};
}

/** A merged bucket's level at time `t`: its mean moved along its own first→last slope, within its range. */
function levelAt(bucket: Bucket, t: number): number {
	const slope = (bucket.last - bucket.first) / (bucket.tLast - bucket.tFirst);
	const centre = bucket.sumT / bucket.n;
	return Math.min(bucket.max, Math.max(bucket.min, (bucket.sum / bucket.n) + (slope * (t - centre))));
}

/** A merged bucket straddling quarter boundaries, shared by overlap as if its samples were even. */
function bucketParts(bucket: Bucket, start: number, span: number, sums: number[], weights: number[], times: number[]): void {
	const width = bucket.tLast - bucket.tFirst;
	for (let q = 0; q < 4; q++) {
		const qa = start + (q * span / 4);
		const qb = start + ((q + 1) * span / 4);
		const from = Math.max(qa, bucket.tFirst);
		const to = Math.min(qb, bucket.tLast);
		if (to <= from) {
			continue;
		}

		const share = bucket.n * (to - from) / width;
		sums[q]! += levelAt(bucket, (from + to) / 2) * share;
		weights[q]! += share;
		times[q]! += share * (from + to) / 2;
	}
}

function quarterOf(t: number, start: number, span: number): number {
	return Math.min(3, Math.max(0, Math.floor((t - start) / span * 4)));
}

/** The index of the last bucket starting at or before `t` (the first when none does). */
function lastStartingBy(buckets: readonly Bucket[], t: number): number {
	let low = 0;
	let high = buckets.length - 1;
	while (low < high) {
		const mid = (low + high + 1) >>> 1;
		if (buckets[mid]!.tFirst > t) {
			high = mid - 1;
		} else {
			low = mid;
		}
	}

	return low;
}

/** The RSS at time `t`: the last sample at or before it, interpolated inside a merged bucket. */
function valueAt(buckets: readonly Bucket[], t: number): number {
	const previous = buckets[lastStartingBy(buckets, t)]!;
	if (t >= previous.tLast || previous.tLast === previous.tFirst) {
		return previous.last;
	}

	const f = (t - previous.tFirst) / (previous.tLast - previous.tFirst);
	return previous.first + (f * (previous.last - previous.first));
}

/** The level at `t` inside a gap: on the line from the last sample before it to the first after it. */
function levelAcross(buckets: readonly Bucket[], t: number): number {
	const index = lastStartingBy(buckets, t);
	const before = buckets[index]!;
	const after = buckets[index + 1];
	if (!after || after.tFirst <= before.tLast) {
		return before.last;
	}

	return before.last + ((after.first - before.last) * Math.min(1, Math.max(0, (t - before.tLast) / (after.tFirst - before.tLast))));
}
