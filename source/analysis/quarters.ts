/**
The seed's method, kept on screen because users know it: the run split into four quarters by
time, each quarter's average, and the rate from the first to the last quarter — divided by the
time between the two quarter centres (0.75·T for even sampling), not the 0.5·T gap between the
quarters, which would inflate every rate by 1.5×.

     Q1        Q2        Q3        Q4
  |---c1---|---------|---------|---c4---|     rate = (avg4 − avg1) / (c4 − c1)
*/
import type {Bucket} from '../series.js';

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
	/** RSS at 0%, 25%, 50%, 75% and 100% of the run (the seed's "Initial / After 25% …"). */
	readonly milestones: readonly [number, number, number, number, number];
};

/** Quarter arithmetic over the store's buckets; `undefined` until there are four samples. */
export function quarters(buckets: readonly Bucket[]): QuarterSummary | undefined {
	const first = buckets[0];
	const last = buckets.at(-1);
	const n = buckets.reduce((sum, bucket) => sum + bucket.n, 0);
	if (!first || !last || n < 4) {
		return undefined;
	}

	const start = first.tFirst;
	const span = last.tLast - start;
	if (span <= 0) {
		return undefined;
	}

	const sums = [0, 0, 0, 0];
	const weights = [0, 0, 0, 0];
	const times = [0, 0, 0, 0];
	for (const bucket of buckets) {
		if (bucket.n === 1 || bucket.tLast === bucket.tFirst) {
			const q = quarterOf(bucket.tFirst, start, span);
			sums[q]! += bucket.sum;
			weights[q]! += bucket.n;
			times[q]! += bucket.sumT;
			continue;
		}

		// A merged bucket straddling a boundary is shared by overlap, as if its samples were even.
		const mean = bucket.sum / bucket.n;
		const width = bucket.tLast - bucket.tFirst;
		for (let q = 0; q < 4; q++) {
			const qa = start + (q * span / 4);
			const qb = start + ((q + 1) * span / 4);
			const from = Math.max(qa, bucket.tFirst);
			const to = Math.min(qb, bucket.tLast);
			if (to <= from) {
				continue;
			}

			// The part's level: the bucket mean moved along the bucket's own first→last slope.
			const slope = (bucket.last - bucket.first) / width;
			const centre = bucket.sumT / bucket.n;
			const level = Math.min(bucket.max, Math.max(bucket.min, mean + (slope * (((from + to) / 2) - centre))));
			const share = bucket.n * (to - from) / width;
			sums[q]! += level * share;
			weights[q]! += share;
			times[q]! += share * (from + to) / 2;
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
	};
}

function quarterOf(t: number, start: number, span: number): number {
	return Math.min(3, Math.max(0, Math.floor((t - start) / span * 4)));
}

/** The RSS at time `t`: the last sample at or before it, interpolated inside a merged bucket. */
function valueAt(buckets: readonly Bucket[], t: number): number {
	let previous = buckets[0]!;
	for (const bucket of buckets) {
		if (bucket.tFirst > t) {
			break;
		}

		previous = bucket;
	}

	if (t >= previous.tLast || previous.tLast === previous.tFirst) {
		return previous.last;
	}

	const f = (t - previous.tFirst) / (previous.tLast - previous.tFirst);
	return previous.first + (f * (previous.last - previous.first));
}
