import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {jsHeapLine, JsHeapLog, readJsHeap} from '../../source/record/js-heap.js';
import {jsHeapRows} from '../../source/record/reports/counts.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-js-heap-'));
afterAll(() => {
	fs.rmSync(root, {recursive: true, force: true});
});

const MIB = 1024 * 1024;
const started = 1_700_000_000_000;
const line = (seconds: number, live: number, size = 40 * MIB, external = MIB): string => `${started + (seconds * 1000)},${live},${size},${external}\n`;
const start = (seconds: number): string => `${started + (seconds * 1000)},start\n`;
const exit = (seconds: number): string => `${started + (seconds * 1000)},exit\n`;

function folder(name: string): string {
	const dir = path.join(root, name, 'js-heap');
	fs.mkdirSync(dir, {recursive: true});
	return dir;
}

test('read as the files grow: a line cut in two counts once it is whole; the level of each end is the lowest reading of its quarter', () => {
	const dir = folder('grow');
	const file = path.join(dir, '100.gc.csv');
	const log = new JsHeapLog(dir, started);
	expect(log.poll()).toBe(false);
	expect(log.summary()).toBeUndefined();

	fs.writeFileSync(file, line(10, 30 * MIB) + line(20, 20 * MIB) + line(30, 50 * MIB));
	const cut = line(90, 25 * MIB);
	fs.appendFileSync(file, cut.slice(0, 9));
	expect(log.poll()).toBe(true);
	expect(log.summary()).toMatchObject({collections: 3, processes: 1, fromSeconds: 10, toSeconds: 30});

	fs.appendFileSync(file, cut.slice(9) + line(100, 28 * MIB, 60 * MIB, 3 * MIB));
	expect(log.poll()).toBe(true);
	const heap = log.summary()!;
	// Quarters of 10…100 s: up to 32.5 s (30, 20, 50 MiB) and from 77.5 s (25, 28 MiB).
	expect(heap).toMatchObject({collections: 5, fromSeconds: 10, toSeconds: 100});
	expect(heap.live).toEqual({first: 20 * MIB, last: 25 * MIB});
	expect(heap.size).toEqual({first: 40 * MIB, last: 60 * MIB});
	expect(heap.external).toEqual({first: MIB, last: MIB});
	expect(log.poll()).toBe(false);
});

test('several Node processes: their heaps add up at each end; one that exited before the last quarter counts at the first only; a damaged line is skipped', () => {
	const dir = folder('tree');
	fs.writeFileSync(path.join(dir, '200.gc.csv'), line(1, 10 * MIB) + line(5, 10 * MIB) + `${started + 6000},exit\n`);
	fs.writeFileSync(path.join(dir, '201.gc.csv'), line(2, 30 * MIB) + 'garbage,line\n' + line(8, 31 * MIB));
	fs.writeFileSync(path.join(dir, 'memmon-heap.cjs'), '// not a reading');
	const heap = readJsHeap(path.dirname(dir), started)!;
	expect(heap.processes).toBe(2);
	expect(heap.collections).toBe(4);
	// Files without a start line: each there from the start. 200 ended before the last quarter
	// (6.25…8 s): the end is 201's alone; the first quarter (1…2.75 s) both.
	expect(heap.live).toEqual({first: 40 * MIB, last: 31 * MIB});
});

test('worker threads: each has a heap and a file of its own; the process\'s is their sum', () => {
	const dir = folder('threads');
	// The main thread holds 20 MiB; worker 1 keeps 1 MiB more at each reading, written a second after the main thread's.
	fs.writeFileSync(path.join(dir, '300.gc.csv'), start(0) + [10, 20, 30, 40, 50].map(t => line(t, 20 * MIB)).join(''));
	fs.writeFileSync(path.join(dir, '300-1.gc.csv'), start(0.5) + [11, 21, 31, 41, 51].map((t, i) => line(t, (5 + i) * MIB)).join(''));
	const heap = readJsHeap(path.dirname(dir), started)!;
	expect(heap.processes).toBe(1);
	expect(heap.collections).toBe(10);
	// Quarters of 10…51 s, both heaps alive through both: 20 → 20, and the worker 5 → 8.
	expect(heap.live).toEqual({first: 25 * MIB, last: 28 * MIB});
	// A worker's file from an older memmon, without its start: counted from its first reading.
	fs.writeFileSync(path.join(dir, '300-1.gc.csv'), [11, 21, 31, 41, 51].map((t, i) => line(t, (5 + i) * MIB)).join(''));
	expect(readJsHeap(path.dirname(dir), started)!.live.first).toBe(Math.round((20 * MIB) + (5 * MIB * (20.25 - 11) / 10.25)));
	expect(heap.fromSeconds).toBe(10);
	expect(heap.toSeconds).toBe(51);
});

test('a heap that is gone counts no more: a terminated worker\'s exit line comes from its parent; a killed process\'s from the live view', () => {
	const dir = folder('pool');
	// The main thread holds 20 MiB. Worker 1 (10 MiB) was terminated at 40 s; its parent wrote its exit.
	fs.writeFileSync(path.join(dir, '400.gc.csv'), start(0) + [10, 40, 70].map(t => line(t, 20 * MIB)).join(''));
	fs.writeFileSync(path.join(dir, '400-1.gc.csv'), start(5) + line(15, 10 * MIB) + line(25, 10 * MIB) + exit(40));
	// Process 401 (8 MiB) was killed: no exit line. Process 402 never had a full collection.
	fs.writeFileSync(path.join(dir, '401.gc.csv'), start(0) + line(12, 8 * MIB));
	fs.writeFileSync(path.join(dir, '402-3.gc.csv'), start(45) + exit(50));
	const startOf = (pid: number): number | undefined => pid === 400 ? 7 : undefined;
	const log = new JsHeapLog(dir, started);
	// Before a poll it knows of no file to note.
	log.noteGone(startOf, started + 71_000);
	expect(fs.readFileSync(path.join(dir, '401.gc.csv'), 'utf8')).toBe(start(0) + line(12, 8 * MIB));
	log.poll();
	// Quarters of 10…70 s: all three in the first; the main thread and 401 (not known gone) in the last.
	expect(log.summary()!.live).toEqual({first: 38 * MIB, last: 28 * MIB});
	log.noteGone(startOf, started + 72_000);
	expect(fs.readFileSync(path.join(dir, '401.gc.csv'), 'utf8')).toBe(start(0) + line(12, 8 * MIB) + exit(72));
	// Already ended, or alive: untouched; and a noted end is not noted twice.
	expect(fs.readFileSync(path.join(dir, '402-3.gc.csv'), 'utf8')).toBe(start(45) + exit(50));
	expect(fs.readFileSync(path.join(dir, '400.gc.csv'), 'utf8')).toBe(start(0) + [10, 40, 70].map(t => line(t, 20 * MIB)).join(''));
	log.noteGone(startOf, started + 73_000);
	expect(fs.readFileSync(path.join(dir, '401.gc.csv'), 'utf8')).toBe(start(0) + line(12, 8 * MIB) + exit(72));
	// The main thread's next reading: the last quarter (77.5…100 s) is after 401's end, its 20 MiB alone.
	fs.appendFileSync(path.join(dir, '400.gc.csv'), line(100, 20 * MIB));
	log.poll();
	for (const heap of [log.summary()!, readJsHeap(path.dirname(dir), started)!]) {
		expect(heap.processes).toBe(2);
		expect(heap.collections).toBe(7);
		expect(heap.live).toEqual({first: 38 * MIB, last: 20 * MIB});
	}

	// Heaps that end after the last reading (the workload's own end) count in the last quarter.
	fs.appendFileSync(path.join(dir, '400.gc.csv'), exit(101));
	fs.writeFileSync(path.join(dir, '400-5.gc.csv'), start(5) + line(20, 4 * MIB) + line(99, 6 * MIB) + exit(101));
	expect(readJsHeap(path.dirname(dir), started)!.live).toEqual({first: 42 * MIB, last: 26 * MIB});
});

test('a file whose heap ended is not read again (a pool\'s thousands of them); a reused PID\'s process writes PID.2, and the one before it is gone', () => {
	const dir = folder('reused');
	fs.writeFileSync(path.join(dir, '500-1.gc.csv'), start(0.5) + line(1, 10 * MIB) + exit(2.5));
	// Process 500 (5 MiB) was killed; a later Node process of the run got PID 500 and wrote 500.2.
	fs.writeFileSync(path.join(dir, '500.gc.csv'), start(0) + line(3, 5 * MIB));
	fs.writeFileSync(path.join(dir, '500.2.gc.csv'), start(3.2) + line(4, 7 * MIB));
	const log = new JsHeapLog(dir, started);
	expect(log.poll()).toBe(true);
	// Quarters of 1…4 s: the worker and 500 in the first (500 at its first reading), 500 and 500.2 in the last.
	expect(log.summary()).toMatchObject({processes: 2, collections: 3, live: {first: 15 * MIB, last: 12 * MIB}});
	// Nothing more is read from an ended file.
	fs.appendFileSync(path.join(dir, '500-1.gc.csv'), line(5, 90 * MIB));
	expect(log.poll()).toBe(false);
	expect(log.summary()!.collections).toBe(3);

	// PID 500 is alive (500.2): the older 500 ended all the same.
	log.noteGone(() => 9, started + 4500);
	expect(fs.readFileSync(path.join(dir, '500.gc.csv'), 'utf8')).toBe(start(0) + line(3, 5 * MIB) + exit(4.5));
	expect(fs.readFileSync(path.join(dir, '500.2.gc.csv'), 'utf8')).toBe(start(3.2) + line(4, 7 * MIB));
	fs.appendFileSync(path.join(dir, '500.2.gc.csv'), line(6, 7 * MIB));
	log.poll();
	// Quarters of 1…6 s: 15 MiB in the first, 500.2's 7 in the last.
	expect(log.summary()!.live).toEqual({first: 15 * MIB, last: 7 * MIB});

	// 500.2 was killed too, and a process that is not Node took PID 500 (another start time).
	log.noteGone(() => 10, started + 7000);
	expect(fs.readFileSync(path.join(dir, '500.2.gc.csv'), 'utf8')).toBe(start(3.2) + line(4, 7 * MIB) + line(6, 7 * MIB) + exit(7));
});

test('each end counts a heap for the share of its quarter it was alive: a program that keeps starting workers grows, a pool that replaces its worker does not', () => {
	// The main thread holds 20 MiB (readings every 10 s, 10…100 s); each worker holds 2 MiB.
	const main = start(0) + [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map(t => line(t, 20 * MIB)).join('');
	const growing = folder('growing');
	fs.writeFileSync(path.join(growing, '600.gc.csv'), main);
	// A worker started every 10 s, none ended.
	for (let k = 1; k <= 9; k++) {
		fs.writeFileSync(path.join(growing, `600-${k}.gc.csv`), start(10 * k) + line((10 * k) + 1, 2 * MIB));
	}

	// Two more started and have had no full collection (idle), and one that ended without one.
	fs.writeFileSync(path.join(growing, '600-10.gc.csv'), start(95));
	fs.writeFileSync(path.join(growing, '600-11.gc.csv'), start(96));
	fs.writeFileSync(path.join(growing, '600-12.gc.csv'), start(50) + exit(60));
	// Quarters 10…32.5 s and 77.5…100 s: workers 1, 2 (5/9 of it) and 3 (1/9); workers 1–7, 8 (8/9) and 9 (4/9).
	const grown = readJsHeap(path.dirname(growing), started)!;
	expect(grown.uncollected).toBe(2);
	expect(grown.live.first / MIB).toBeCloseTo(20 + (2 * (1 + (5 / 9) + (1 / 9))), 3);
	expect(grown.live.last / MIB).toBeCloseTo(20 + (2 * (7 + (8 / 9) + (4 / 9))), 3);

	const pool = folder('recycled');
	fs.writeFileSync(path.join(pool, '700.gc.csv'), main);
	// A worker replaced every 10 s, the new one started half a second before the old one ends.
	for (let k = 1; k <= 10; k++) {
		fs.writeFileSync(path.join(pool, `700-${k}.gc.csv`), start((10 * k) - 0.5) + line((10 * k) + 1, 2 * MIB) + (k < 10 ? exit((10 * k) + 10) : ''));
	}

	const recycled = readJsHeap(path.dirname(pool), started)!;
	// One worker at each end, give or take the overlaps (half a second in every ten).
	expect(Math.abs(recycled.live.last - recycled.live.first)).toBeLessThan(0.1 * MIB);
	expect(recycled.live.first / MIB).toBeGreaterThan(22);
	expect(recycled.live.first / MIB).toBeLessThan(22.2);
	// The live view folds the ended workers of the first quarter as it goes: the same figures.
	const log = new JsHeapLog(pool, started);
	log.poll();
	expect(log.summary()!.live).toEqual(recycled.live);
});

test('a day of one collection a second, kept in bins: the ends are still the lowest readings of their quarters', () => {
	const dir = folder('day');
	let text = '';
	for (let s = 0; s < 86_400; s++) {
		text += line(s, (100 * MIB) + ((s % 60) * 1024) + (s * 10));
	}

	fs.writeFileSync(path.join(dir, '300.gc.csv'), text);
	const heap = readJsHeap(path.dirname(dir), started)!;
	expect(heap.collections).toBe(86_400);
	// The lowest reading of the first quarter is the first one; of the last, the first of its minutes.
	expect(heap.live.first).toBe(100 * MIB);
	expect(heap.live.last).toBeGreaterThanOrEqual((100 * MIB) + (64_800 * 10));
	expect(heap.live.last).toBeLessThan((100 * MIB) + (66_000 * 10) + (60 * 1024));
});

test('no js-heap folder, or no collection yet: nothing', () => {
	expect(readJsHeap(path.join(root, 'missing'), started)).toBeUndefined();
	folder('empty');
	expect(readJsHeap(path.join(root, 'empty'), started)).toBeUndefined();
});

test('the screen line and the report rows: first → last with the change; one collection shows what it held', () => {
	const many = {collections: 12, processes: 1, uncollected: 0, live: {first: 6 * MIB, last: 9 * MIB}, size: {first: 40 * MIB, last: 80 * MIB}, external: {first: MIB, last: 2 * MIB}, fromSeconds: 65, toSeconds: 3600};
	expect(jsHeapLine(many)).toBe('JS heap   live after full GC 6.0 → 9.0 MiB (+3.0 MiB in 58m 55s, 12 GCs) · V8 heap 40.0 → 80.0 MiB · Buffers 2.0 MiB');
	// Its figures as old as the last full collection: said once that is two minutes or more before now.
	expect(jsHeapLine(many, 3600 + 119)).toMatch(/· Buffers 2\.0 MiB$/);
	const stale = jsHeapLine(many, 3600 + (21 * 60) + 30);
	expect(stale).toBe('JS heap   live after full GC 6.0 → 9.0 MiB (+3.0 MiB in 58m 55s, 12 GCs) · V8 heap 40.0 → 80.0 MiB · full GC 21m 30s ago');
	expect(stale.length).toBeLessThanOrEqual(120);
	expect(jsHeapRows(many)).toEqual([
		['JS heap after full GCs', '', 'the Node process; full collections: 12, 1m 05s → 1h 00m'],
		['  objects live', '6.0 MiB → 9.0 MiB', '+3.0 MiB'],
		['  V8\'s heap size', '40.0 MiB → 80.0 MiB', '+40.0 MiB'],
		['  Buffers (external)', '1.0 MiB → 2.0 MiB', '+1.0 MiB'],
	]);
	const one = {...many, collections: 1, processes: 2, live: {first: 9 * MIB, last: 9 * MIB}, size: {first: 80 * MIB, last: 80 * MIB}, fromSeconds: 3600};
	expect(jsHeapLine(one)).toBe('JS heap   live after full GC 9.0 MiB · V8 heap 80.0 MiB · Buffers 2.0 MiB · 1 full GC');
	expect(jsHeapLine(one, 3600 + 300)).toBe('JS heap   live after full GC 9.0 MiB · V8 heap 80.0 MiB · 1 full GC, 5m 00s ago');
	expect(jsHeapRows(one)[0]).toEqual(['JS heap after full GCs', '', '2 Node processes; full collections: one, at 1h 00m']);
	expect(jsHeapRows(one)[1]).toEqual(['  objects live', '9.0 MiB', '']);
	expect(jsHeapRows(undefined)).toEqual([]);
	// Heaps that have had no full collection: said, in Buffers' place on the screen.
	const idle = {...many, uncollected: 3};
	expect(jsHeapLine(idle)).toBe('JS heap   live after full GC 6.0 → 9.0 MiB (+3.0 MiB in 58m 55s, 12 GCs) · V8 heap 40.0 → 80.0 MiB · 3 heaps await GC');
	expect(jsHeapRows({...one, uncollected: 1})[0]).toEqual(['JS heap after full GCs', '', '2 Node processes; full collections: one, at 1h 00m; 1 heap awaits GC (not counted)']);
});
