/** Each statistic on small hand-checked cases: ties, all equal, two points, gaps, outliers. */
import {describe, expect, test} from 'vitest';
import {erfc, mannKendall, mannKendallP, varianceInflation} from '../../source/analysis/mann-kendall.js';
import {selectKth} from '../../source/analysis/select.js';
import {stepVsLine} from '../../source/analysis/step.js';
import {medianInPlace, pairwiseSlopes, senBounds, SLOPES_RESERVED, theilSen} from '../../source/analysis/theil-sen.js';
import {robustRate, senLevel, Z95} from '../../source/analysis/robust-rate.js';
import {verdictFromBounds} from '../../source/analysis/bounds.js';
import {mserLinear} from '../../source/analysis/warmup.js';
import {MIB} from '../../source/units.js';

describe('selectKth', () => {
	test('every rank of a shuffled array, with duplicates', () => {
		const values = [5, 3, 9, 1, 3, 7, 3, 0, 9, 2];
		const sorted = [...values].sort((a, b) => a - b);
		for (let k = 0; k < values.length; k++) {
			expect(selectKth(Float64Array.from(values), k)).toBe(sorted[k]);
		}
	});

	test('large ranges (sampled first): every probed rank, the range left partitioned around it, sub-ranges too', () => {
		let seed = 7;
		const random = (): number => {
			seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
			return seed / 2_147_483_648;
		};

		for (const size of [601, 5000, 130_816]) {
			// Many duplicates (a tenth of the values repeat from a small set) and a long spread.
			const values = Float64Array.from({length: size}, () => (random() < 0.1 ? Math.floor(random() * 5) : (random() - 0.5) * 1e6));
			const sorted = Float64Array.from(values).sort();
			for (const k of [0, 1, size >> 2, (size >> 1) - 1, size >> 1, size - 2, size - 1]) {
				const work = Float64Array.from(values);
				expect(selectKth(work, k)).toBe(sorted[k]);
				let leftMax = Number.NEGATIVE_INFINITY;
				for (let i = 0; i < k; i++) {
					leftMax = Math.max(leftMax, work[i]!);
				}

				let rightMin = Number.POSITIVE_INFINITY;
				for (let i = k + 1; i < size; i++) {
					rightMin = Math.min(rightMin, work[i]!);
				}

				expect(leftMax).toBeLessThanOrEqual(work[k]!);
				expect(rightMin).toBeGreaterThanOrEqual(work[k]!);
			}

			// As Sen's bounds use it: the median first, then a bound searched only on its side.
			const work = Float64Array.from(values);
			const middle = size >> 1;
			selectKth(work, middle);
			const low = Math.floor(size * 0.4);
			expect(selectKth(work, low, 0, middle)).toBe(sorted[low]);
			const high = Math.floor(size * 0.6);
			expect(selectKth(work, high, middle, size - 1)).toBe(sorted[high]);
		}
	});

	test('runs of equal values (one value throughout, mostly zeros): the right value, partitioned, nothing outside the range moved', () => {
		let seed = 3;
		const random = (): number => {
			seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
			return seed / 2_147_483_648;
		};

		const size = 20_000;
		for (const make of [() => 0, () => (random() < 0.7 ? 0 : random() - 0.5), () => Math.round(random() * 3) * 4096]) {
			const values = Float64Array.from({length: size}, make);
			for (const [left, right] of [[0, size - 1], [1234, 17_000]] as const) {
				const sorted = Float64Array.from(values.subarray(left, right + 1)).sort();
				for (const k of [left, left + 700, (left + right) >> 1, right - 3]) {
					const work = Float64Array.from(values);
					expect(selectKth(work, k, left, right)).toBe(sorted[k - left]);
					let misplaced = 0;
					for (let i = left; i <= right; i++) {
						misplaced += Number(i < k ? work[i]! > work[k]! : work[i]! < work[k]!);
					}

					expect(misplaced).toBe(0);

					expect(work.subarray(0, left)).toEqual(values.subarray(0, left));
					expect(work.subarray(right + 1)).toEqual(values.subarray(right + 1));
				}
			}
		}
	});

	test('rejects a rank outside the range', () => {
		expect(() => selectKth(Float64Array.of(1, 2), 2)).toThrow(RangeError);
	});
});

describe('Theil–Sen', () => {
	test('an exact line', () => {
		expect(theilSen([0, 1, 2, 3, 4], [1, 3, 5, 7, 9])).toBe(2);
	});

	test('one wild outlier moves it by nothing', () => {
		expect(theilSen([0, 1, 2, 3, 4, 5, 6], [0, 1, 2, 1000, 4, 5, 6])).toBe(1);
	});

	test('two points: their slope; gaps in time are respected', () => {
		expect(theilSen([0, 10], [5, 25])).toBe(2);
		expect(theilSen([0, 1, 2, 10, 11], [0, 1, 2, 10, 11])).toBe(1);
	});

	test('all equal: zero', () => {
		expect(theilSen([0, 1, 2, 3], [7, 7, 7, 7])).toBe(0);
	});

	test('even number of slopes: the mean of the middle two', () => {
		// Slopes of (0,0),(1,1),(2,4),(3,3): 1, 2, 1, 3, 1, −1 → sorted −1 1 1 1 2 3 → median 1.
		expect(theilSen([0, 1, 2, 3], [0, 1, 4, 3])).toBe(1);
		expect(medianInPlace(Float64Array.of(4, 1, 3, 2))).toBe(2.5);
	});

	test('fewer than two points is an error', () => {
		expect(() => theilSen([1], [1])).toThrow(RangeError);
	});

	test('Sen bounds: ranks from z·√Var(S); infinite when the rank is outside', () => {
		const slopes = Float64Array.from({length: 21}, (_, i) => i);
		// N = 21, c = 1.0·√16 = 4 → ranks ⌊(21 − 4)/2⌋ = 8 and ⌈(21 + 4)/2⌉ = 13.
		expect(senBounds(Float64Array.from(slopes), 16, 1)).toEqual({low: 8, high: 13});
		expect(senBounds(Float64Array.from(slopes), 10_000, 1)).toEqual({low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY});
	});

	test('pairwise slopes in order i < j', () => {
		expect([...pairwiseSlopes([0, 1, 2], [0, 2, 3])]).toEqual([2, 1.5, 1]);
	});

	test('the slopes of up to 512 points share one buffer, taken whole at first use', () => {
		// A buffer malloc'd anew as a run's points grew pinned memmon's malloc heap ~2 MiB higher.
		const points = (m: number): number[] => Array.from({length: m}, (_, i) => i);
		const first = pairwiseSlopes(points(3), points(3)).buffer;
		expect(first.byteLength).toBe(SLOPES_RESERVED * 8);
		for (const m of [40, 200, 512]) {
			const slopes = pairwiseSlopes(points(m), points(m).map(v => 2 * v));
			expect(slopes.buffer).toBe(first);
			expect(slopes.length).toBe(m * (m - 1) / 2);
			expect(slopes.every(v => v === 2)).toBe(true);
		}

		expect(pairwiseSlopes(points(600), points(600)).length).toBe(600 * 599 / 2);
	});
});

describe('Mann–Kendall', () => {
	test('S counts rising minus falling pairs; variance without ties', () => {
		// 1 2 3 4: six rising pairs; Var = 4·3·13/18.
		expect(mannKendall([1, 2, 3, 4])).toEqual({s: 6, variance: (4 * 3 * 13) / 18});
		expect(mannKendall([4, 3, 2, 1]).s).toBe(-6);
	});

	test('ties lower the variance', () => {
		// 1 1 2 2: S = 4 (pairs across the levels), ties: two groups of 2 → Σ 2·1·9 = 36.
		expect(mannKendall([1, 1, 2, 2])).toEqual({s: 4, variance: ((4 * 3 * 13) - 36) / 18});
	});

	test('all equal: S = 0 and no variance, p = 1', () => {
		const {s, variance} = mannKendall([5, 5, 5, 5, 5]);
		expect(s).toBe(0);
		expect(variance).toBe(0);
		expect(mannKendallP(s, variance)).toBe(1);
	});

	test('p-values: a clear trend is small, no trend is large', () => {
		const rising = Array.from({length: 30}, (_, i) => i);
		const {s, variance} = mannKendall(rising);
		expect(mannKendallP(s, variance)).toBeLessThan(1e-6);
		expect(mannKendallP(1, 100)).toBe(1);
	});

	test('erfc against known values', () => {
		expect(erfc(0)).toBeCloseTo(1, 6);
		expect(erfc(1)).toBeCloseTo(0.157_299_2, 6);
		expect(erfc(-1)).toBeCloseTo(1.842_700_8, 6);
		expect(erfc(3)).toBeCloseTo(2.209e-5, 8);
	});

	test('autocorrelation inflates the variance; white noise barely', () => {
		let seed = 1;
		const random = () => {
			seed = (seed * 16_807) % 2_147_483_647;
			return (seed / 2_147_483_647) - 0.5;
		};

		const t = Array.from({length: 200}, (_, i) => i);
		const white = t.map(() => random());
		let level = 0;
		const wander = t.map(() => {
			level = (0.95 * level) + random();
			return level;
		});
		expect(varianceInflation(t, white, 0)).toBeLessThan(1.6);
		expect(varianceInflation(t, wander, 0)).toBeGreaterThan(5);
		expect(varianceInflation([0, 1], [1, 2], 0)).toBe(1);
	});
});

describe('warm-up (MSER-linear)', () => {
	test('a flat series: no cut', () => {
		const t = Array.from({length: 64}, (_, i) => i);
		expect(mserLinear(t, t.map(i => 100 + (i % 2))).cut).toBe(0);
	});

	test('a ramp that levels off: the cut lands after the ramp', () => {
		const t = Array.from({length: 128}, (_, i) => i);
		// Bytes, as RSS: 30 MiB in 30 points, then flat but for a page or two.
		const y = t.map(i => ((i < 30 ? i : 30) * 1024 * 1024) + ((i % 3) * 4096));
		const {cut, capped} = mserLinear(t, y);
		expect(cut).toBeGreaterThanOrEqual(24);
		expect(cut).toBeLessThanOrEqual(40);
		expect(capped).toBe(false);
	});

	test('a start-up, then RSS exactly flat (a Rust process): the cut stays at the start-up\'s end as the run goes on', () => {
		// 22 MiB → 39 MiB in the first minute, a 2 MiB step at 3.5 min, then the same bytes for good
		// (as a real recording did); levels every 3 s. Rounding once moved the cut from 3 to 12.5 minutes.
		const level = (s: number): number => s < 60 ? 22_020_096 + (s * 295_000) : s < 210 ? 41_357_312 : 43_520_000;
		const cuts: number[] = [];
		for (const minutes of [10, 15, 20, 25, 30]) {
			const t = Array.from({length: minutes * 20}, (_, i) => i * 3);
			const {cut, capped} = mserLinear(t, t.map(level));
			expect(capped).toBe(false);
			cuts.push(t[cut]! / 60);
		}

		expect(Math.min(...cuts)).toBeGreaterThanOrEqual(3.4);
		expect(Math.max(...cuts)).toBeLessThanOrEqual(4.5);
	});

	test('a start-up, then a creep of a few pages that stops: the cut stays at the start-up\'s end, never at its cap', () => {
		// As a Python sqlite cache did: 16 → 34 MiB in 3 minutes, 32 KiB more a page at a time to
		// minute 16, then the same bytes for good; levels every 3 s. Without the grain the cut went to
		// the cap (half the run) from minute 24: cutting more of the creep always fitted better.
		const page = 4096;
		const level = (s: number): number => s < 180 ? (16 * MIB) + (s * 18 * MIB / 180) : (34 * MIB) + (page * Math.min(8, Math.floor((s - 180) / 90)));
		for (const minutes of [20, 24, 27, 30]) {
			const t = Array.from({length: minutes * 20}, (_, i) => i * 3);
			const {cut, capped} = mserLinear(t, t.map(level));
			expect(capped).toBe(false);
			expect(t[cut]! / 60).toBeGreaterThanOrEqual(2.5);
			expect(t[cut]! / 60).toBeLessThanOrEqual(6);
		}
	});

	test('too few points: no cut', () => {
		expect(mserLinear([0, 1, 2], [3, 2, 1])).toEqual({cut: 0, capped: false});
	});
});

describe('step vs line', () => {
	test('a level shift is explained by the split, not the line', () => {
		const t = Array.from({length: 40}, (_, i) => i);
		const {ratio, split} = stepVsLine(t, t.map(i => (i < 25 ? 100 : 130) + (i % 2)));
		expect(ratio).toBeLessThan(0.05);
		expect(split).toBe(25);
	});

	test('a line is not a step', () => {
		const t = Array.from({length: 40}, (_, i) => i);
		expect(stepVsLine(t, t.map(i => i * 3)).ratio).toBeGreaterThan(0.2);
	});
});

describe('rate with bounds and the verdict', () => {
	test('the bounds hold the slope and widen with noise', () => {
		const t = Array.from({length: 60}, (_, i) => i);
		const clean = senLevel(t, t.map(i => 2 * i), Z95);
		expect(clean.slope).toBe(2);
		expect(clean.low).toBe(2);
		expect(clean.high).toBe(2);
		const noisy = robustRate(t, t.map(i => (2 * i) + (((i * 7) % 11) - 5)));
		expect(noisy.low).toBeLessThan(2);
		expect(noisy.high).toBeGreaterThan(2);
	});

	const mib = 1_048_576;
	test.each([
		[-0.5, 0.9, 'acceptable'],
		[5.1, 9, 'failure'],
		[1.5, 4.5, 'warning'],
		[1.5, 7, 'leak'],
		[0.5, 2, 'undecided'],
		[-1, 10, 'undecided'],
	])('bounds %d … %d MiB/h → %s', (low, high, verdict) => {
		expect(verdictFromBounds(low * mib, high * mib, [mib, 5 * mib])).toBe(verdict);
	});
});
