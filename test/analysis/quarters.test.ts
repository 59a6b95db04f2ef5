import {describe, expect, test} from 'vitest';
import {assess, bandOf, DEFAULT_BANDS} from '../../source/analysis/index.js';
import {leastSquaresRate} from '../../source/analysis/least-squares.js';
import {quarters} from '../../source/analysis/quarters.js';
import {SeriesStore} from '../../source/series.js';
import {MIB} from '../../source/units.js';

function store(values: readonly number[], dt = 1, maxBuckets?: number): SeriesStore {
	const s = new SeriesStore({baseWidth: dt, maxBuckets});
	for (const [i, value] of values.entries()) {
		s.add({t: i * dt, rss: value});
	}

	return s;
}

describe('quarters', () => {
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
