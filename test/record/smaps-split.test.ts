import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {mappingRows} from '../../source/record/reports/counts.js';
import {appendSplit, readMappingKinds} from '../../source/record/smaps-split.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-smaps-split-'));
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

test('smaps.csv read back: counts from 10 s in, the largest mismatch with VmRSS, and at most 480 reads for the chart, the last one kept', () => {
	for (let t = 0; t <= 2000; t++) {
		const heap = 1000 + (t * 10);
		const split = {rss: heap + 600, pss: heap + 600, uss: heap + 600, swap: 0, heap, stack: 100, anon: 200, file: 300, shmem: 0};
		appendSplit(dir, t, {...split, statusRss: t === 500 ? (heap + 600) * 1.02 : heap + 600, processes: t < 1000 ? 1 : 3});
	}

	const kinds = readMappingKinds(dir)!;
	expect(kinds.reads).toBe(1991);
	expect(kinds.processes).toBe(3);
	expect(kinds.heap).toEqual({first: 1100, last: 21_000, peak: 21_000});
	expect(kinds.mismatch).toBeCloseTo(0.02 / 1.02, 6);
	expect(kinds.points.length).toBeLessThanOrEqual(480);
	expect(kinds.points.length).toBeGreaterThan(240);
	expect(kinds.points[0]).toEqual([10, 1100, 100, 200, 300, 0]);
	expect(kinds.points.at(-1)).toEqual([2000, 21_000, 100, 200, 300, 0]);
});

test('no smaps.csv: nothing', () => {
	expect(readMappingKinds(path.join(dir, 'missing'))).toBeUndefined();
});

test('as report rows: first → last with the change; one read shows what it held, not a change of ±0', () => {
	const one = path.join(dir, 'one');
	const two = path.join(dir, 'two');
	fs.mkdirSync(one);
	fs.mkdirSync(two);
	const rss = (2 * 1024 * 1024) + 61_440;
	const split = {rss, pss: rss, uss: rss, swap: 0, heap: 2 * 1024 * 1024, stack: 61_440, anon: 0, file: 0, shmem: 0, statusRss: rss, processes: 1};
	appendSplit(one, 12, split);
	appendSplit(two, 12, split);
	appendSplit(two, 60, {...split, heap: 5 * 1024 * 1024, statusRss: (5 * 1024 * 1024) + 61_440});

	const once = mappingRows(readMappingKinds(one));
	expect(once[0]).toEqual(['RSS by mapping', '', 'smaps of the process, one read at 12s, so no change to show; the parts are within 0.00% of VmRSS']);
	expect(once[1]).toEqual(['  malloc heap [heap]', '2.0 MiB', '']);
	const twice = mappingRows(readMappingKinds(two));
	expect(twice[0]![2]).toMatch(/^smaps of the process, 2 reads;/);
	expect(twice[1]).toEqual(['  malloc heap [heap]', '2.0 MiB → 5.0 MiB', '+3.0 MiB']);
});
