import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {jvmHeapLine, JvmHeapLog, jvmHeapRows, readJvmHeap, readJvmHeapPoints, summarize, type JvmHeapPoint} from '../../source/record/jvm-heap.js';
import {GIB, MIB} from '../../source/units.js';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) {
		fs.rmSync(dir, {recursive: true, force: true});
	}
});

/** Ten minutes of readings 5 s apart: objects at 50 MiB plus garbage that a collection clears every 30 s; the heap committed 388 → 512 MiB. */
function tenMinutes(pid = 4242): JvmHeapPoint[] {
	const points: JvmHeapPoint[] = [];
	for (let t = 0; t <= 600; t += 5) {
		points.push({t, pid, used: (50 * MIB) + ((t % 30) / 5 * 8 * MIB), committed: t < 300 ? 388 * MIB : 512 * MIB, max: 6 * GIB, youngGcs: Math.floor(t / 30), oldGcs: Math.floor(t / 120), collector: 'GarbageFirst', heapRss: (100 + (t / 10)) * MIB});
	}

	return points;
}

test('each end is the heap at its lowest in its quarter; the collections are those between the first reading and the last', () => {
	const heap = summarize(tenMinutes())!;
	expect(heap).toMatchObject({pid: 4242, collector: 'GarbageFirst', readings: 121, fromSeconds: 0, toSeconds: 600, used: {first: 50 * MIB, last: 50 * MIB}, committed: {first: 388 * MIB, last: 512 * MIB}, max: 6 * GIB, youngGcs: 20, oldGcs: 5});
	expect(jvmHeapLine(heap)).toBe('JVM heap  after GC 50.0 → 50.0 MiB (±0 B in 10m 00s, 5 old GCs) · committed 388 → 512 MiB of 6.00 GiB max');
	expect(jvmHeapRows(heap)).toEqual([
		['JVM heap (its counters)', '', 'PID 4242, GarbageFirst; 0s → 10m 00s; 20 young GCs, 5 old GCs'],
		['  after GC, lowest', '50.0 MiB → 50.0 MiB', '±0 B'],
		['  committed', '388 MiB → 512 MiB', '+124 MiB; its maximum 6.00 GiB'],
	]);
	expect(summarize([])).toBeUndefined();
});

test('objects that stay raise the lowest reading; before an old collection the line says so', () => {
	const leaking = tenMinutes().map(point => ({...point, used: point.used + (point.t / 600 * 30 * MIB), oldGcs: 0}));
	const heap = summarize(leaking)!;
	expect((heap.used.last - heap.used.first) / MIB).toBeGreaterThan(20);
	expect(jvmHeapLine(heap)).toMatch(/no old GC yet\) · /);
});

test('the log writes jvm-heap.csv as it goes; a resumed run and memmon analyze read it back', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-jvm-'));
	dirs.push(dir);
	const log = new JvmHeapLog(dir);
	const points = tenMinutes();
	for (const point of points.slice(0, 60)) {
		log.add(point);
	}

	const resumed = new JvmHeapLog(dir);
	for (const point of points.slice(60)) {
		resumed.add(point);
	}

	expect(readJvmHeap(dir)).toEqual(summarize(points));
	expect(readJvmHeapPoints(dir).map(point => point.heapRss)).toEqual(points.map(point => point.heapRss));
	expect(fs.readFileSync(path.join(dir, 'jvm-heap.csv'), 'utf8').split('\n')[0]).toBe('t_seconds,pid,used_bytes,committed_bytes,max_bytes,young_gcs,old_gcs,collector,heap_rss_bytes');
	// Another JVM (a restart) starts the record again: the summary is of one JVM.
	resumed.add({...points[0]!, t: 700, pid: 5151});
	expect(resumed.summary()).toMatchObject({pid: 5151, readings: 1});
	expect(readJvmHeap(dir)).toMatchObject({pid: 5151, readings: 1});
});

test('a day of readings is kept in bounded memory, the lowest of each merged pair', () => {
	const log = new JvmHeapLog();
	for (let t = 0; t < 86_400; t += 5) {
		log.add({t, pid: 1, used: (t % 60 === 0 ? 40 : 90) * MIB, committed: GIB, max: 4 * GIB, youngGcs: t, oldGcs: 0, collector: 'GarbageFirst'});
	}

	expect(log.points.length).toBeLessThanOrEqual(2048);
	expect(log.summary()!.used).toEqual({first: 40 * MIB, last: 40 * MIB});
	expect(log.summary()!.youngGcs).toBe(86_395);
});
