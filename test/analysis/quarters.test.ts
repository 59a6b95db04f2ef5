import {describe, expect, test} from 'vitest';
import {assess, bandOf, DEFAULT_BANDS} from '../../source/analysis/index.js';
import {leastSquaresRate} from '../../source/analysis/least-squares.js';
import {quarters} from '../../source/analysis/quarters.js';
import {SeriesStore, type Bucket} from '../../source/series.js';
import {MIB} from '../../source/units.js';

function store(values: readonly number[], dt = 1, maxBuckets?: number): SeriesStore {
	const s = new SeriesStore({baseWidth: dt, maxBuckets});
	for (const [i, value] of values.entries()) {
		s.add({t: i * dt, rss: value});
	}

	return s;
}

/** The quarters by one pass over every bucket, as first written: the oracle for the index. */
function reference(buckets: readonly Bucket[]): {averages: number[]; centres: number[]; milestones: number[]} | undefined {
	const n = buckets.reduce((sum, bucket) => sum + bucket.n, 0);
	if (buckets.length === 0 || n < 4) {
		return undefined;
	}

	const start = buckets[0]!.tFirst;
	const span = buckets.at(-1)!.tLast - start;
	if (span <= 0) {
		return undefined;
	}

	const sums = [0, 0, 0, 0];
	const weights = [0, 0, 0, 0];
	const times = [0, 0, 0, 0];
	for (const b of buckets) {
		if (b.n === 1 || b.tLast === b.tFirst) {
			const q = Math.min(3, Math.max(0, Math.floor((b.tFirst - start) / span * 4)));
			sums[q]! += b.sum;
			weights[q]! += b.n;
			times[q]! += b.sumT;
			continue;
		}

		const width = b.tLast - b.tFirst;
		for (let q = 0; q < 4; q++) {
			const from = Math.max(start + (q * span / 4), b.tFirst);
			const to = Math.min(start + ((q + 1) * span / 4), b.tLast);
			if (to > from) {
				const level = Math.min(b.max, Math.max(b.min, (b.sum / b.n) + ((b.last - b.first) / width * (((from + to) / 2) - (b.sumT / b.n)))));
				const share = b.n * (to - from) / width;
				sums[q]! += level * share;
				weights[q]! += share;
				times[q]! += share * (from + to) / 2;
			}
		}
	}

	// A middle quarter with no samples: the line between the samples either side of its middle.
	for (const q of [1, 2]) {
		if (weights[q]! <= 0) {
			const middle = start + ((q + 0.5) * span / 4);
			const before = buckets.filter(b => b.tFirst <= middle).at(-1)!;
			const after = buckets.find(b => b.tFirst > middle)!;
			sums[q] = before.last + ((after.first - before.last) * (middle - before.tLast) / (after.tFirst - before.tLast));
			weights[q] = 1;
			times[q] = middle;
		}
	}

	if (weights.some(w => w <= 0)) {
		return undefined;
	}

	const valueAt = (t: number): number => {
		let previous = buckets[0]!;
		for (const b of buckets) {
			if (b.tFirst > t) {
				break;
			}

			previous = b;
		}

		return t >= previous.tLast || previous.tLast === previous.tFirst ? previous.last : previous.first + ((t - previous.tFirst) / (previous.tLast - previous.tFirst) * (previous.last - previous.first));
	};

	return {
		averages: sums.map((sum, q) => sum / weights[q]!),
		centres: times.map((sum, q) => sum / weights[q]!),
		milestones: [0, 0.25, 0.5, 0.75, 1].map(p => valueAt(start + (p * span))),
	};
}

describe('quarters', () => {
	test('the store\'s kept index agrees with a full pass after every sample, through merges, jitter and gaps', () => {
		let seed = 7;
		const random = (): number => {
			seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
			return seed / 2_147_483_648;
		};

		for (const maxBuckets of [8, 16, 512]) {
			const s = new SeriesStore({baseWidth: 1, maxBuckets});
			let t = 0;
			let level = 100 * MIB;
			for (let i = 0; i < 3000; i++) {
				// Mostly 1 s apart with jitter, now and then a gap of up to a minute or two samples at one time.
				const r = random();
				t += r < 0.02 ? 60 * random() : r < 0.03 ? 0 : 0.9 + (0.2 * random());
				level += (random() - 0.45) * 64 * 1024;
				s.add({t, rss: Math.round(level)});
				const kept = s.quarters();
				const full = reference(s.buckets);
				expect(kept === undefined).toBe(full === undefined);
				if (kept && full) {
					for (let q = 0; q < 4; q++) {
						expect(kept.averages[q]).toBeCloseTo(full.averages[q]!, 3);
						expect(kept.centres[q]).toBeCloseTo(full.centres[q]!, 6);
					}

					expect(kept.milestones).toEqual(full.milestones);
				}
			}

			expect(s.buckets.length).toBeLessThanOrEqual(maxBuckets);
		}
	});

	test('hand-checked: 8 samples, two per quarter', () => {
		// Quarters: [10,20] [30,40] [50,60] [70,80] → averages 15, 35, 55, 75; centres 0.5·(0+1)=0.5 … 6.5.
		// Wait: span is 7 s, quarter boundaries at 1.75, 3.5, 5.25 → Q1 = t 0,1; Q2 = t 2,3; Q3 = t 4,5; Q4 = t 6,7.
		const q = quarters(store([10, 20, 30, 40, 50, 60, 70, 80]).buckets)!;
		expect(q.averages).toEqual([15, 35, 55, 75]);
		expect(q.centres).toEqual([0.5, 2.5, 4.5, 6.5]);
		expect(q.growth).toBe(60);
		// 60 bytes over 6 s between centres = 10 B/s = 36000 B/h: the true slope, not 1.5× it.
		expect(q.ratePerHour).toBeCloseTo(36_000, 6);
		expect(q.milestones).toEqual([10, 20, 40, 60, 80]);
	});

	test('a steady line gives its true slope, also after buckets merge', () => {
		const values = Array.from({length: 5000}, (_, i) => 100 * MIB + (i * 1000));
		const exact = quarters(store(values).buckets)!;
		const merged = quarters(store(values, 1, 16).buckets)!;
		expect(exact.ratePerHour).toBeCloseTo(3_600_000, -3);
		expect(merged.ratePerHour / exact.ratePerHour).toBeCloseTo(1, 2);
		expect(merged.averages[0] / exact.averages[0]).toBeCloseTo(1, 3);
	});

	test('flat series: zero growth', () => {
		const q = quarters(store(Array.from({length: 40}, () => 5 * MIB)).buckets)!;
		expect(q.growth).toBe(0);
		expect(q.ratePerHour).toBe(0);
	});

	test('a quarter inside a gap in sampling: the level across the gap, said to be so', () => {
		// A 1.5-s run at 100 ms whose sampler stalled from 0.6 to 1.2 s (a loaded CI machine): the
		// third quarter, 0.75–1.125 s, holds no sample. It read "not enough samples (need at least 4)"
		// beside 12 samples, and the report lost its quarters and its Initial … After 100% table.
		const s = new SeriesStore({baseWidth: 0.1});
		for (const t of [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 1.2, 1.3, 1.4, 1.5]) {
			s.add({t, rss: (30 * MIB) + (t * 20 * MIB)});
		}

		const q = quarters(s.buckets)!;
		expect(q.gaps).toEqual([2]);
		// On the line: 30 MiB + 20 MiB/s at the quarter's middle, 0.9375 s.
		expect(q.averages[2] / MIB).toBeCloseTo(30 + (0.9375 * 20), 6);
		expect(q.centres[2]).toBeCloseTo(0.9375, 9);
		expect(q.averages[1]).toBeLessThan(q.averages[2]);
		expect(q.averages[2]).toBeLessThan(q.averages[3]);
		// A run without a gap says none.
		expect(quarters(store([10, 20, 30, 40, 50, 60, 70, 80]).buckets)!.gaps).toBeUndefined();
	});

	test('fewer than four samples: no quarters', () => {
		expect(quarters(store([1, 2, 3]).buckets)).toBeUndefined();
		expect(quarters([])).toBeUndefined();
	});
});

describe('least squares', () => {
	test('slope of an exact line', () => {
		const s = store(Array.from({length: 10}, (_, i) => 7 + (3 * i)));
		expect(leastSquaresRate(s.line)).toBeCloseTo(3 * 3600, 6);
	});

	test('two points, one point, same time', () => {
		expect(leastSquaresRate(store([0, 10]).line)).toBeCloseTo(36_000, 6);
		expect(leastSquaresRate(store([5]).line)).toBeUndefined();
		const same = new SeriesStore({baseWidth: 1});
		same.add({t: 1, rss: 1});
		same.add({t: 1, rss: 2});
		expect(leastSquaresRate(same.line)).toBeUndefined();
	});
});

describe('bands', () => {
	test('1 and 5 MiB/h by default', () => {
		expect(bandOf(0.5 * MIB, DEFAULT_BANDS)).toBe('acceptable');
		expect(bandOf(1 * MIB, DEFAULT_BANDS)).toBe('warning');
		expect(bandOf(5 * MIB, DEFAULT_BANDS)).toBe('warning');
		expect(bandOf(5.1 * MIB, DEFAULT_BANDS)).toBe('failure');
	});

	test('assess with too few samples is undecided', () => {
		expect(assess(store([1])).growth.verdict).toBe('undecided');
	});
});
