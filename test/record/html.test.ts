import {describe, expect, test} from 'vitest';
import {assess} from '../../source/analysis/index.js';
import {renderHtmlReport, renderKindsChart} from '../../source/record/reports/html.js';
import {buildReport, type RunFacts} from '../../source/record/run-report.js';
import {SeriesStore} from '../../source/series.js';
import {MIB} from '../../source/units.js';

const facts: RunFacts = {version: '9.9.9', label: 'kinds', command: ['./server'], pid: 42, children: true, host: 'h', startedAtMs: 0, intervalMs: 1000, runDir: '/nonexistent'};

function report(withKinds: boolean) {
	const store = new SeriesStore({baseWidth: 1});
	for (let t = 0; t < 120; t++) {
		const anon = (10 * MIB) + (t * 100_000);
		const point = {t, rss: anon + (20 * MIB) + MIB};
		store.add(withKinds ? {...point, anon, file: 20 * MIB, shmem: MIB} : point);
	}

	return buildReport(facts, store, assess(store), 120, undefined);
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
