import {describe, expect, test} from 'vitest';
import {heapSizing, type HeapPoint} from '../../source/analysis/heap-sizing.js';
import {assess, assessAtEnd, asShownAtEnd, DEFAULT_ANALYSIS} from '../../source/analysis/index.js';
import {renderTextReport} from '../../source/record/reports/text.js';
import {buildReport, type RunFacts} from '../../source/record/run-report.js';
import {SeriesStore} from '../../source/series.js';
import {GIB, MIB} from '../../source/units.js';

const HOUR = 3600;

/** Readings every 5 s for `seconds`: the heap's pages rising at `pagesPerHour`, its objects at `objectsPerHour` under a sawtooth of garbage, an old collection every 2 minutes (none: `collected` false). */
function readings(seconds: number, pagesPerHour: number, objectsPerHour: number, collected = true): HeapPoint[] {
	const points: HeapPoint[] = [];
	for (let t = 0; t <= seconds; t += 5) {
		// Garbage piles up between collections, every 30 s: the lowest reading of a stretch is what stays.
		const garbage = (t % 30) / 30 * 40 * MIB;
		points.push({t, used: (50 * MIB) + (objectsPerHour * t / HOUR) + garbage, committed: 400 * MIB, max: 6 * GIB, oldGcs: collected ? Math.floor(t / 120) : 0, heapRss: (100 * MIB) + (pagesPerHour * t / HOUR)});
	}

	return points;
}

describe('heapSizing', () => {
	test('growth that is the heap\'s pages with its objects flat is the heap growing into its room', () => {
		const sizing = heapSizing(readings(2400, 200 * MIB, 0), 600, 2400, 210 * MIB);
		expect(sizing).toMatchObject({kind: 'room', oldGcs: 15});
		expect(sizing!.heapRssRate / MIB).toBeCloseTo(200, 0);
		expect(Math.abs(sizing!.usedRate)).toBeLessThan(MIB);
		expect(sizing!.max).toBe(6 * GIB);
	});

	test('the pages read every 30 s, the counters every 5 s, as a live run reads them: the same', () => {
		const live = readings(2400, 200 * MIB, 0).map(point => point.t % 30 === 0 ? point : {...point, heapRss: undefined});
		expect(heapSizing(live, 600, 2400, 210 * MIB)).toBeDefined();
		const leaking = readings(2400, 200 * MIB, 60 * MIB).map(point => point.t % 30 === 0 ? point : {...point, heapRss: undefined});
		expect(heapSizing(leaking, 600, 2400, 200 * MIB)).toBeUndefined();
	});

	test('objects that stay are not excused, even under pages that rise with them', () => {
		// A leak of 60 MiB/h of objects in 200 MiB/h of growth: more than a quarter.
		expect(heapSizing(readings(2400, 200 * MIB, 60 * MIB), 600, 2400, 200 * MIB)).toBeUndefined();
		// 40 MiB/h: under a quarter, and so still the heap growing into its room.
		expect(heapSizing(readings(2400, 200 * MIB, 40 * MIB), 600, 2400, 200 * MIB)).toBeDefined();
	});

	test('without old collections, objects that survived young ones may be garbage: it cannot tell, and says so', () => {
		// Promoted garbage filling an old generation looks like objects that stay until an old collection.
		expect(heapSizing(readings(2400, 200 * MIB, 190 * MIB, false), 600, 2400, 200 * MIB)).toMatchObject({kind: 'uncollected', oldGcs: 0});
		// Once two old collections ran, the same objects are what stays.
		expect(heapSizing(readings(2400, 200 * MIB, 190 * MIB), 600, 2400, 200 * MIB)).toBeUndefined();
		// Growth outside the heap is not the heap's, collected or not.
		expect(heapSizing(readings(2400, 0, 0, false), 600, 2400, 200 * MIB)).toBeUndefined();
	});

	test('growth outside the heap (native memory) is not excused', () => {
		expect(heapSizing(readings(2400, 0, 0), 600, 2400, 200 * MIB)).toBeUndefined();
		// Half of it the heap's pages: the rest is not the heap's.
		expect(heapSizing(readings(2400, 100 * MIB, 0), 600, 2400, 200 * MIB)).toBeUndefined();
	});

	test('no answer without readings over most of the stretch, without pages, or without growth', () => {
		expect(heapSizing([], 0, 2400, 200 * MIB)).toBeUndefined();
		// Readings for the last 10 minutes of a 30-minute stretch only.
		expect(heapSizing(readings(2400, 200 * MIB, 0).filter(point => point.t >= 1800), 600, 2400, 200 * MIB)).toBeUndefined();
		expect(heapSizing(readings(2400, 200 * MIB, 0).map(point => ({...point, heapRss: undefined})), 600, 2400, 200 * MIB)).toBeUndefined();
		expect(heapSizing(readings(2400, 200 * MIB, 0), 600, 2400, 0)).toBeUndefined();
		expect(heapSizing(readings(2400, 200 * MIB, 0), 600, 2400, -5 * MIB)).toBeUndefined();
	});
});

describe('the verdict on a JVM growing into its heap', () => {
	/** 40 minutes of RSS in a straight line at 200 MiB/h, with the heap's readings given. */
	function store(heap: readonly HeapPoint[] | undefined): SeriesStore {
		const line = new SeriesStore({baseWidth: 1});
		for (let t = 0; t <= 2400; t++) {
			line.add({t, rss: (300 * MIB) + (200 * MIB * t / HOUR) + ((t * 7919 % 13) * 64 * 1024)});
		}

		line.heap = heap;
		return line;
	}

	test('a straight line is a failure on RSS alone', () => {
		expect(assess(store(undefined)).growth.verdict).toBe('failure');
	});

	test('with the heap\'s pages rising and its objects flat, it is undecided, and says why and what to do', () => {
		const {growth} = assess(store(readings(2400, 200 * MIB, 0)));
		expect(growth).toMatchObject({verdict: 'undecided', reason: 'heap-sizing'});
		expect(growth.rate! / MIB).toBeCloseTo(200, -1);
		expect(growth.note).toMatch(/^JVM heap growing into its room \(400 MiB of 6\.00 GiB\), objects [+−]?\d\.\d\d MiB\/h: not a leak of objects; test with -Xmx$/);
		expect(growth.pattern).toBe('a JVM heap growing into its room: RSS may rise to its maximum');
		// The rate gate does not judge it either.
		const gated = assess(store(readings(2400, 200 * MIB, 0)), {...DEFAULT_ANALYSIS, maxRate: MIB});
		expect(gated.thresholds.find(gate => gate.name === 'rate')).toMatchObject({status: 'undecided'});
		// The final report says the same, not "can't tell"; nor what the screen still held as it ended.
		const end = assessAtEnd(store(readings(2400, 200 * MIB, 0)));
		expect(end.growth.note).toMatch(/^JVM heap growing into its room/);
		const heldOnScreen = assess(store(undefined));
		expect(heldOnScreen.growth.verdict).toBe('failure');
		expect(asShownAtEnd(end, heldOnScreen).growth.reason).toBe('heap-sizing');
	});

	test('before an old collection, the heap filling is undecided too, and says what will tell', () => {
		const {growth} = assess(store(readings(2400, 200 * MIB, 190 * MIB, false)));
		expect(growth).toMatchObject({verdict: 'undecided', reason: 'heap-sizing', pattern: 'a JVM heap filling before its first old collection: RSS may rise to its maximum'});
		expect(growth.note).toMatch(/^JVM heap not yet collected in full: objects \+1\d\d MiB\/h, live or garbage; an old GC will tell \(a smaller -Xmx, sooner\)$/);
	});

	test('the report still says what to run next, -Xmx first: the heap held the verdict back, and a leak may be under it', () => {
		const facts: RunFacts = {version: '9.9.9', label: 'LruServer', command: ['java', '-cp', '.', 'LruServer'], pid: 42, children: true, host: 'h', startedAtMs: 0, intervalMs: 1000, runDir: '/nonexistent'};
		const next = ['a maximum heap for the test: memmon -- java -Xmx512m -cp . LruServer'];
		const held = store(readings(2400, 200 * MIB, 0));
		const report = buildReport(facts, held, assess(held), 2400, undefined, {nextSteps: next});
		expect(report.nextSteps).toEqual(next);
		expect(renderTextReport(report)).toMatch(/Pattern +a JVM heap growing into its room: RSS may rise to its maximum$/m);
		// A flat run is not asked about.
		const flat = new SeriesStore({baseWidth: 1});
		for (let t = 0; t <= 2400; t++) {
			flat.add({t, rss: 300 * MIB});
		}

		expect(buildReport(facts, flat, assess(flat), 2400, undefined, {nextSteps: next}).nextSteps).toEqual([]);
	});

	test('objects that grow with it, or growth outside the heap, leave the failure standing', () => {
		expect(assess(store(readings(2400, 200 * MIB, 150 * MIB))).growth.verdict).toBe('failure');
		expect(assess(store(readings(2400, 0, 0))).growth.verdict).toBe('failure');
	});
});
