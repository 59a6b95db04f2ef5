import {describe, expect, test} from 'vitest';
import {assess} from '../../source/analysis/index.js';
import {renderHtmlReport} from '../../source/record/reports/html.js';
import {renderKindsChart, renderMappingChart} from '../../source/record/reports/html-chart.js';
import {buildReport, type RunFacts} from '../../source/record/run-report.js';
import {SeriesStore} from '../../source/series.js';
import {MIB} from '../../source/units.js';

const facts: RunFacts = {version: '9.9.9', label: 'kinds', command: ['./server'], pid: 42, children: true, host: 'h', startedAtMs: 0, intervalMs: 1000, runDir: '/nonexistent'};

function report(withKinds: boolean, of: RunFacts = facts) {
	const store = new SeriesStore({baseWidth: 1});
	for (let t = 0; t < 120; t++) {
		const anon = (10 * MIB) + (t * 100_000);
		const point = {t, rss: anon + (20 * MIB) + MIB};
		store.add(withKinds ? {...point, anon, file: 20 * MIB, shmem: MIB} : point);
	}

	return buildReport(of, store, assess(store), 120, undefined);
}

describe('report.html: RSS by kind', () => {
	test('three stacked layers from zero, the top one at the RSS of each bucket', () => {
		const html = renderKindsChart(report(true));
		const polygons = [...html.matchAll(/<polygon class="kind-(\w+)" points="([^"]+)"\/>/g)];
		expect(polygons.map(match => match[1])).toEqual(['anon', 'file', 'shmem']);
		// Each layer's lower edge is the upper edge of the one below: the same y at the same x.
		const edges = polygons.map(match => match[2]!.split(' '));
		const half = edges[0]!.length / 2;
		expect(edges[1]!.slice(half).toReversed()).toEqual(edges[0]!.slice(0, half));
		expect(edges[2]!.slice(half).toReversed()).toEqual(edges[1]!.slice(0, half));
		expect(html).toContain('anonymous (heaps, arenas, a VM&#39;s heap)');
	});

	test('no kinds read: no second chart, and the page still renders', () => {
		expect(renderKindsChart(report(false))).toBe('');
		expect(renderHtmlReport(report(false))).not.toContain('id="kinds"');
		expect(renderHtmlReport(report(true))).toContain('id="kinds"');
	});
});

describe('report.html: RSS by mapping', () => {
	const heap = (t: number): number => (2 * MIB) + (t * 50_000);
	const points = Array.from({length: 30}, (_, i) => [i * 10, heap(i * 10), 0.5 * MIB, 8 * MIB, 12 * MIB, 0] as const);
	const withMappings = (reads: typeof points) => {
		const store = new SeriesStore({baseWidth: 1});
		for (let t = 0; t < 300; t++) {
			store.add({t, rss: heap(t) + (20.5 * MIB)});
		}

		const count = (column: number) => ({first: reads[0]![column]!, last: reads.at(-1)![column]!, peak: Math.max(...reads.map(row => row[column]!))});
		const mappings = {reads: reads.length, processes: 1, heap: count(1), stack: count(2), anon: count(3), file: count(4), shmem: count(5), mismatch: 0.001, points: reads};
		return buildReport(facts, store, assess(store), 300, undefined, {mappings});
	};

	test('five layers stacked from the malloc heap up; the top edge is the sum of the parts of each read', () => {
		const html = renderMappingChart(withMappings(points));
		const polygons = [...html.matchAll(/<polygon class="map-(\w+)" points="([^"]+)"\/>/g)];
		expect(polygons.map(match => match[1])).toEqual(['heap', 'stack', 'anon', 'file', 'shmem']);
		const edges = polygons.map(match => match[2]!.split(' ').map(pair => pair.split(',').map(Number)));
		const half = points.length;
		for (let layer = 1; layer < 5; layer++) {
			expect(edges[layer]!.slice(half).toReversed()).toEqual(edges[layer - 1]!.slice(0, half));
		}

		// The heap grows and the others hold: the heap layer's top rises (y falls) from the first read to the last.
		expect(edges[0]![half - 1]![1]!).toBeLessThan(edges[0]![0]![1]!);
		// The stack's top at the last read sits exactly the heap's growth higher than at the first, as the file layer's.
		const rise = (layer: number): number => edges[layer]![0]![1]! - edges[layer]![half - 1]![1]!;
		expect(rise(4)).toBeCloseTo(rise(0), 1);
		expect(renderHtmlReport(withMappings(points))).toContain('id="mappings"');
	});

	test('one read or none: no chart', () => {
		expect(renderMappingChart(withMappings(points.slice(0, 1)))).toBe('');
		expect(renderHtmlReport(report(true))).not.toContain('id="mappings"');
	});
});

describe('counts in words', () => {
	test('grew, peaked, or held; a count that ended low still names its peak and how far it rose', async () => {
		const {countNote, countValue} = await import('../../source/record/reports/counts.js');
		expect([countValue({first: 4, last: 40, peak: 40}), countNote({first: 4, last: 40, peak: 40})]).toEqual(['4 → 40', 'grew by 36']);
		expect(countNote({first: 4, last: 40, peak: 52})).toBe('grew by 36, peak 52 (+48)');
		expect([countValue({first: 14, last: 4, peak: 58}), countNote({first: 14, last: 4, peak: 58})]).toEqual(['14 → 4', 'peak 58 (+44)']);
		expect(countNote({first: 9, last: 9, peak: 9})).toBe('steady');
		expect([countValue(undefined), countNote(undefined)]).toEqual(['—', 'not readable here']);
	});
});

test('the chart says what it is of: the command, or nothing where samples alone were given', () => {
	expect(renderHtmlReport(report(false))).toContain('RSS of ./server over 2m 00s');
	const html = renderHtmlReport(report(false, {...facts, command: undefined, pid: 0}));
	expect(html).toContain('>RSS over 2m 00s');
	expect(html).not.toContain('RSS of not recorded');
});

test('an undecided rate is a reading so far, in a muted colour; a decided one is the finding', () => {
	// Two minutes of a straight rise: undecided ("rising — warm-up or leak?").
	const undecided = renderHtmlReport(report(false));
	expect(undecided).toMatch(/<div class="rate reading">\+[\d.]+ MiB\/h so far <span class="bounds">\(95% so far: /);
	// The same rise for 40 minutes: a failure, said without "so far".
	const store = new SeriesStore({baseWidth: 1});
	for (let t = 0; t < 2400; t++) {
		store.add({t, rss: (30 * MIB) + (t * 10_000)});
	}

	const decided = buildReport(facts, store, assess(store), 2400, undefined);
	expect(decided.assessment.growth.verdict).toBe('failure');
	expect(renderHtmlReport(decided)).toMatch(/<div class="rate">\+[\d.]+ MiB\/h <span class="bounds">\(95%: /);
});
