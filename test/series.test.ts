import {describe, expect, test} from 'vitest';
import {SeriesStore} from '../source/series.js';
import {chartWindow} from '../source/ui/chart-window.js';
import {MIB} from '../source/units.js';

function fill(store: SeriesStore, n: number, value: (i: number) => number, dt = 1): void {
	for (let i = 0; i < n; i++) {
		store.add({t: i * dt, rss: value(i)});
	}
}

describe('SeriesStore', () => {
	test('keeps totals exactly', () => {
		const store = new SeriesStore({baseWidth: 1});
		fill(store, 10, i => 100 + (i % 3));
		store.addGap();
		expect(store.count).toBe(10);
		expect(store.failed).toBe(1);
		expect(store.min).toBe(100);
		expect(store.max).toEqual({value: 102, t: 2});
		expect(store.first).toEqual({t: 0, rss: 100});
		expect(store.last).toEqual({t: 9, rss: 100});
	});

	test('never holds more than maxBuckets, and loses no sample from the sums', () => {
		const store = new SeriesStore({baseWidth: 1, maxBuckets: 16});
		fill(store, 1000, i => i);
		expect(store.buckets.length).toBeLessThanOrEqual(16);
		expect(store.bucketWidth).toBe(64);
		const n = store.buckets.reduce((sum, b) => sum + b.n, 0);
		const sum = store.buckets.reduce((s, b) => s + b.sum, 0);
		expect(n).toBe(1000);
		expect(sum).toBe(999 * 1000 / 2);
		expect(store.buckets[0]!.min).toBe(0);
		expect(store.buckets.at(-1)!.max).toBe(999);
	});

	test('memory does not grow with run length: 512 buckets at 24 h and at 10 min', () => {
		const short = new SeriesStore({baseWidth: 1});
		fill(short, 600, () => 1);
		const long = new SeriesStore({baseWidth: 1});
		fill(long, 86_400, () => 1);
		expect(short.buckets.length).toBeLessThanOrEqual(512);
		expect(long.buckets.length).toBeLessThanOrEqual(512);
		expect(long.buckets.length).toBeGreaterThan(256);
	});

	test('recent is a ring of the last points', () => {
		const store = new SeriesStore({baseWidth: 1, recentCapacity: 4});
		fill(store, 6, i => i * 10);
		expect(store.recent()).toEqual({t: [2, 3, 4, 5], y: [20, 30, 40, 50]});
		expect(store.recent(2)).toEqual({t: [4, 5], y: [40, 50]});
	});

	test('the least-squares sums give the slope of a line', () => {
		const store = new SeriesStore({baseWidth: 1});
		fill(store, 100, i => 1000 + (2 * i));
		const {n, st, sy, stt, sty} = store.line;
		const slope = (sty - (st * sy / n)) / (stt - (st * st / n));
		expect(slope).toBeCloseTo(2, 10);
	});

	test('marks are kept, bounded', () => {
		const store = new SeriesStore({baseWidth: 1, maxMarks: 2});
		store.mark({t: 1, label: 'a'});
		store.mark({t: 2, label: 'b'});
		store.mark({t: 3, label: 'c'});
		expect(store.marks.map(m => m.label)).toEqual(['b', 'c']);
	});

	test('a spawned command\'s "Initial" and minimum are its levels once loaded, not the exec moment\'s; an attached process\'s count its first sample', () => {
		// Python as it execs (0.6 MiB), loaded a fifth of a second later (13 MiB), then 1 MiB a second.
		const rss = (t: number): number => t === 0 ? 0.6 * MIB : (13 * MIB) + (t * MIB);
		const spawned = new SeriesStore({baseWidth: 0.2, spawned: true});
		const attached = new SeriesStore({baseWidth: 0.2});
		for (let i = 0; i <= 100; i++) {
			spawned.add({t: i / 5, rss: rss(i / 5)});
			attached.add({t: i / 5, rss: rss(i / 5)});
		}

		expect(spawned.quarters()!.milestones[0]).toBeCloseTo(13.2 * MIB, -3);
		expect(spawned.quarters()!.initialAt).toBeCloseTo(0.2, 6);
		expect(attached.quarters()!.milestones[0]).toBe(0.6 * MIB);
		expect(attached.quarters()!.initialAt).toBeUndefined();
		// So is its minimum.
		expect(spawned.min).toBeCloseTo(13.2 * MIB, -3);
		expect(attached.min).toBe(0.6 * MIB);
		// The other milestones are the same.
		expect(spawned.quarters()!.milestones.slice(1)).toEqual(attached.quarters()!.milestones.slice(1));
	});

	test('a workload that said it was running (its first operation count) ended its start-up by then, however fast it then grew', () => {
		// Node loaded by 0.1 s (12 → 43 MiB), its workload then keeping 20 MiB a second: a rise steep
		// enough in the first tenths to read as more start-up, up to 0.6 s in.
		const rss = [12, 43, 45, 47, 55, 63, 66, 68, 70, 72, 74, 76, 78, 80, 82, 84, 86, 88, 90, 92];
		const fill = (store: SeriesStore): SeriesStore => {
			for (const [i, level] of rss.entries()) {
				store.add({t: i / 10, rss: level * MIB});
			}

			return store;
		};

		const unaware = fill(new SeriesStore({baseWidth: 0.1, spawned: true}));
		expect(unaware.afterStartup!.t).toBeGreaterThan(0.35);
		// "done 1000 ops" came at 0.08 s, anchored to the sample at 0.1 s.
		const told = new SeriesStore({baseWidth: 0.1, spawned: true});
		told.loadedBy(0.1);
		fill(told);
		expect(told.afterStartup).toEqual({t: 0.1, rss: 43 * MIB});
		expect(told.quarters()!.initialAt).toBeCloseTo(0.1, 6);
		// Told after the samples came (memmon analyze reads the count once they are in): the same.
		unaware.loadedBy(0.1);
		expect(unaware.afterStartup).toEqual({t: 0.1, rss: 43 * MIB});
		// Never later than what the samples show: a count at 2 s leaves the start-up step where it was.
		const late = new SeriesStore({baseWidth: 0.1, spawned: true});
		late.loadedBy(1.5);
		fill(late);
		expect(late.afterStartup!.t).toBeGreaterThan(0.35);
	});
});

describe('chartWindow', () => {
	test('while samples fit, one column per sample from the left', () => {
		const store = new SeriesStore({baseWidth: 1});
		fill(store, 5, i => i);
		const window = chartWindow(store, 10, 'all');
		expect(window.values).toEqual([0, 1, 2, 3, 4]);
		expect(window.from).toBe(0);
		expect(window.to).toBe(4);
	});

	test('a long run is averaged into exactly `columns` values spanning it', () => {
		const store = new SeriesStore({baseWidth: 1});
		fill(store, 10_000, i => i);
		const window = chartWindow(store, 50, 'all');
		expect(window.values).toHaveLength(50);
		expect(window.from).toBe(0);
		expect(window.to).toBe(9999);
		const values = window.values as number[];
		expect(values[0]).toBeLessThan(values[49]!);
		for (let i = 1; i < values.length; i++) {
			expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
		}
	});

	test('recent zoom shows the last raw points', () => {
		const store = new SeriesStore({baseWidth: 1});
		fill(store, 100, i => i);
		const window = chartWindow(store, 10, 'recent');
		expect(window.values).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
		expect(window.from).toBe(90);
	});

	test('marks land on their column', () => {
		const store = new SeriesStore({baseWidth: 1});
		fill(store, 5, i => i);
		store.mark({t: 2, label: 'used'});
		expect(chartWindow(store, 10, 'all').marks).toEqual([{column: 2, label: 'used'}]);
	});
});

describe('RSS by kind', () => {
	test('from the first quarter to the last, the kinds split the quarters\' growth; the start-up is not growth', () => {
		const store = new SeriesStore({baseWidth: 1});
		for (let t = 0; t < 400; t++) {
			// The first sample is the interpreter loading its files; then anonymous memory leaks 1 KiB a second.
			const file = t === 0 ? 1000 : 20_000_000;
			const anon = 5_000_000 + (t * 1024);
			store.add({t, rss: anon + file + 4096, anon, file, shmem: 4096});
		}

		const growth = store.kindGrowth()!;
		const q = store.quarters()!;
		// One start-up sample in a quarter of 100: a hundredth of the jump, not the jump.
		expect(growth.file).toBeLessThan(250_000);
		expect(growth.anon).toBeCloseTo(300 * 1024, -3);
		expect(growth.shmem).toBe(0);
		expect(growth.anon + growth.file + growth.shmem).toBeCloseTo(q.averages[3] - q.averages[0], -3);
		// first→last counts from 10 s in: the start-up's loading (file 1000 → 20 MB) is before it.
		expect(store.kinds).toMatchObject({anon: {first: 5_000_000 + (10 * 1024), last: 5_000_000 + (399 * 1024), peak: 5_000_000 + (399 * 1024)}, file: {first: 20_000_000, last: 20_000_000, peak: 20_000_000}, shmem: {first: 4096, last: 4096, peak: 4096}});
	});

	test('no kinds read (pidusage, another OS): nothing to split', () => {
		const store = new SeriesStore({baseWidth: 1});
		for (let t = 0; t < 40; t++) {
			store.add({t, rss: 1000 + t});
		}

		expect(store.kindGrowth()).toBeUndefined();
		expect(store.kinds).toBeUndefined();
	});
});

describe('counts from where start-up left them', () => {
	const run = (seconds: number) => {
		const store = new SeriesStore({baseWidth: 0.2});
		// A Node workload: one thread before its exec, eleven from its first 50 ms; a thread leak of one a second after 2 s.
		for (let i = 0; i <= seconds * 5; i++) {
			const t = i / 5;
			store.add({t, rss: 50 * MIB, threads: t < 0.05 ? 1 : 11 + Math.max(0, Math.floor(t - 2))});
		}

		return store.threads!;
	};

	test('a run of a few seconds counts from a second in, not from the first sample', () => {
		expect(run(4)).toMatchObject({first: 11, last: 13, peak: 13});
	});

	test('a longer run counts from 10 s in; a run under a second from its first sample', () => {
		expect(run(15)).toMatchObject({first: 19, last: 24});
		expect(run(0.6)).toMatchObject({first: 1, last: 11});
	});
});
