import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {expect, test} from 'vitest';
import {ProcessTracker, readProcesses, writeProcesses} from '../../source/record/processes.js';
import {processRows} from '../../source/record/reports/counts.js';
import {MIB} from '../../source/units.js';

const at = (pid: number, name: string, mib: number) => ({pid, name, rss: mib * MIB});

test('with readings a second or more apart, each process counts from a second after memmon first saw it (its runtime loaded), to its last reading, with its peak', () => {
	const tracker = new ProcessTracker();
	// `npm run test`: npm from the start; its Node child execs at 2 s (20 MiB), loads (45), keeps 5 MiB a sample.
	for (let i = 0; i <= 10; i++) {
		const t = i * 0.5;
		const child = t >= 2 ? [at(11, 'node', t === 2 ? 20 : 45 + (5 * ((t - 2.5) / 0.5)))] : [];
		tracker.add(t, [...child, at(10, 'npm', 55)].sort((a, b) => b.rss - a.rss));
	}

	expect(tracker.spans).toEqual([
		{pid: 10, name: 'npm', firstSeconds: 1, firstRss: 55 * MIB, lastSeconds: 5, lastRss: 55 * MIB, peakRss: 55 * MIB},
		{pid: 11, name: 'node', firstSeconds: 3, firstRss: 50 * MIB, lastSeconds: 5, lastRss: 70 * MIB, peakRss: 70 * MIB},
	]);
});

test('with four readings or more in its first second, a process counts from where its start-up step ended, or from its first reading where it had none', () => {
	const tracker = new ProcessTracker();
	// At 200 ms: a Node test (20 MiB as it execs, 45 loaded, then 4 MiB a reading) beside a C test
	// (1.5 MiB, 4 MiB a reading from the start); a shell that waits 5 s and then execs Node.
	for (let i = 0; i <= 40; i++) {
		const t = i / 5;
		const shell = t < 5 ? at(22, 'sh', 1.6) : at(22, 'node', t === 5 ? 20 : 45 + (4 * ((t - 5.2) * 5)));
		tracker.add(t, [at(20, 'node', i === 0 ? 20 : 45 + (4 * (i - 1))), at(21, 'ctest', 1.5 + (4 * i)), shell].sort((a, b) => b.rss - a.rss));
	}

	const spans = new Map(tracker.spans.map(span => [span.pid, span]));
	expect(spans.get(20)).toMatchObject({firstSeconds: 0.2, firstRss: 45 * MIB});
	expect(spans.get(21)).toMatchObject({firstSeconds: 0, firstRss: 1.5 * MIB});
	// The exec started it again: from where the Node it became had loaded.
	expect(spans.get(22)).toMatchObject({name: 'node', firstSeconds: 5.2, firstRss: 45 * MIB});
});

test('a process whose loading paused past its first second counts from where it had loaded, its code pages telling the pause from a flat start', () => {
	// At 100 ms on a loaded CI runner: a test's Node read as the shell's fork became it (3.7 MiB), then
	// as it exec'd (20.1 MiB, 17 of it file-backed), then not loaded for `pause` seconds; it loads
	// (44 MiB, 37 file-backed) and keeps 2 MiB a reading, its code pages creeping up as it goes.
	const reading = (i: number, pause: number) => {
		const loadedAt = 1 + (pause * 10);
		if (i === 0) {
			return {rss: 3.7, file: 3.5};
		}

		return i < loadedAt ? {rss: 20.1, file: 17} : {rss: 44 + (2 * (i - loadedAt)), file: 37 + ((i - loadedAt) / 20)};
	};

	const run = (pause: number, readings: number, pid = 40) => {
		const tracker = new ProcessTracker();
		for (let i = 0; i < readings; i++) {
			const {rss, file} = reading(i, pause);
			tracker.add(i / 10, [{pid, name: 'node', rss: rss * MIB, file: file * MIB}]);
		}

		return tracker.spans[0]!;
	};

	// Counted from its first second it read from 20.1: +60 MiB for a test that kept 36.
	for (const [pause, loadedAt] of [[0.3, 4], [1.1, 12], [2.5, 26]] as const) {
		expect(run(pause, 60), `a ${pause}-s pause`).toMatchObject({firstSeconds: loadedAt / 10, firstRss: 44 * MIB, lastRss: (44 + (2 * (59 - loadedAt))) * MIB});
	}

	// Still in its first seconds when the run ends (at 1.9 s): from where it had loaded, too.
	expect(run(1.1, 20)).toMatchObject({firstSeconds: 1.2, firstRss: 44 * MIB});
	// A flat start, then a leak of anonymous memory (its file-backed pages flat): from its first reading.
	const flat = new ProcessTracker();
	for (let i = 0; i <= 60; i++) {
		flat.add(i / 10, [{pid: 42, name: 'ctest', rss: (i <= 11 ? 20.1 : 44 + (2 * (i - 12))) * MIB, file: 2 * MIB}]);
	}

	expect(flat.spans[0]).toMatchObject({firstSeconds: 0, firstRss: 20.1 * MIB});
});

test('a process\'s end is its level, not readings taken as it exits, freeing: the median of its last three before them, where higher', () => {
	const tracker = new ProcessTracker();
	// A Node test keeping 2 MiB a sample to 102 MiB, read once more as it exits (its buffers freed:
	// 67 MiB). Its last reading alone read "+3.2 MiB" for a process that kept 50.
	for (const [i, mib] of [50, 52, 54, 56, 58, 98, 100, 102, 67].entries()) {
		tracker.add(i, [at(30, 'node', mib)]);
	}

	expect(tracker.spans[0]).toMatchObject({firstRss: 52 * MIB, lastSeconds: 8, lastRss: 100 * MIB, peakRss: 102 * MIB});
	tracker.add(9, [at(30, 'node', 20)]);
	// Two readings on the way out, in its last two seconds: left out, as one is.
	expect(tracker.spans[0]!.lastRss).toBe(100 * MIB);
	// Five, at 100 ms, on a runner given a tenth of a core (its row read "39.1 → 38.3 MiB −816 KiB"):
	// the median of the three before them.
	const slow = new ProcessTracker();
	for (const [i, mib] of [90, 92, 94, 96, 98, 100, 102, 104, 88.6, 80.2, 48.4, 39.9, 39.9, 38.3].entries()) {
		slow.add(i / 10, [at(32, 'node', mib)]);
	}

	expect(slow.spans[0]!.lastRss).toBe(102 * MIB);
	// A fall over longer than two seconds is where it went: its level.
	const freeing = new ProcessTracker();
	for (const [i, mib] of [100, 102, 104, 90, 80, 70, 60, 50].entries()) {
		freeing.add(i, [at(33, 'node', mib)]);
	}

	expect(freeing.spans[0]!.lastRss).toBe(60 * MIB);
	const steady = new ProcessTracker();
	for (const [i, mib] of [50, 60, 62, 64, 66, 30].entries()) {
		steady.add(i, [at(31, 'node', mib)]);
	}

	expect(steady.spans[0]!.lastRss).toBe(64 * MIB);
});

test('a process that ended within its first second keeps its first reading; an exec keeps its PID and takes the new name', () => {
	const tracker = new ProcessTracker();
	tracker.add(0, [at(20, 'bash', 3)]);
	tracker.add(0.2, [at(20, 'bash', 3), at(21, 'sleep', 1)]);
	tracker.add(0.4, [at(20, 'python3', 14)]);
	tracker.add(1.4, [at(20, 'python3', 15)]);
	expect(tracker.spans).toEqual([
		{pid: 20, name: 'python3', firstSeconds: 1.4, firstRss: 15 * MIB, lastSeconds: 1.4, lastRss: 15 * MIB, peakRss: 15 * MIB},
		{pid: 21, name: 'sleep', firstSeconds: 0.2, firstRss: 1 * MIB, lastSeconds: 0.2, lastRss: 1 * MIB, peakRss: 1 * MIB},
	]);
});

test('bounded: the largest 64 of a reading are followed, at most 256 kept, an ended one that moved least making room', () => {
	const tracker = new ProcessTracker();
	// A pool that starts a new worker each sample and lets the old one go; worker 5 grew.
	for (let i = 0; i < 400; i++) {
		tracker.add(i, [at(1, 'master', 30), at(1000 + i, 'worker', 10), ...i >= 5 && i < 300 ? [at(1005, 'worker', 10 + i)] : []].sort((a, b) => b.rss - a.rss));
	}

	const spans = tracker.spans;
	expect(spans).toHaveLength(256);
	expect(spans.map(span => span.pid)).toContain(1);
	expect(spans.map(span => span.pid)).toContain(1005);
	expect(spans.map(span => span.pid)).toContain(1399);
	// A process still running, listed after a new one that needs room, is not taken for ended.
	const kept = new ProcessTracker();
	for (const t of [0, 1, 2, 3, 4]) {
		const others = t < 2 ? 200 : (t * 100) + 100;
		kept.add(t, [at(1, 'server', 10), ...Array.from({length: 63}, (_, i) => at(others + i, 'job', 20))]);
	}

	kept.add(4.5, [at(1, 'server', 10), at(600, 'job', 20), at(601, 'job', 20), at(602, 'job', 20)]);
	kept.add(5, [at(999, 'new', 100), at(1, 'server', 10)]);

	expect(kept.spans).toHaveLength(256);
	expect(kept.spans.map(span => span.pid)).toContain(999);
	// Its history kept (evicted, it came back as new: from 5 s).
	expect(kept.spans.find(span => span.pid === 1)).toMatchObject({firstSeconds: 1, lastSeconds: 5});
	const wide = new ProcessTracker();
	wide.add(0, Array.from({length: 100}, (_, i) => at(i + 1, 'p', 100 - i)));
	expect(wide.spans).toHaveLength(64);
	// One followed goes on being followed where it is no longer among the 64 largest: 1,500 sleeping
	// processes read "ended at 0s" for ones still running.
	const grown = Array.from({length: 100}, (_, i) => at(100 - i, 'p', 100 - i));
	wide.add(1, grown);
	wide.add(2, grown);
	expect(wide.spans).toHaveLength(100);
	expect(wide.spans.find(span => span.pid === 1)).toMatchObject({lastSeconds: 2, lastRss: MIB});
});

test('processes.csv: written and read back, a name with a comma kept readable; none written for no process; a missing file reads as none', () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-processes-'));
	try {
		expect(readProcesses(dir)).toEqual([]);
		writeProcesses(dir, []);
		expect(fs.existsSync(path.join(dir, 'processes.csv'))).toBe(false);
		const spans = [{pid: 7, name: 'a,b"c', firstSeconds: 1, firstRss: 1024, lastSeconds: 9.5, lastRss: 4096, peakRss: 8192}];
		writeProcesses(dir, spans);
		expect(readProcesses(dir)).toEqual([{...spans[0], name: 'a b c'}]);
		// --resume seeds a tracker with them: a process seen again goes on from its first reading.
		const resumed = new ProcessTracker(readProcesses(dir));
		resumed.add(20, [{pid: 7, name: 'a b c', rss: 2048}]);
		resumed.add(21, [{pid: 7, name: 'a b c', rss: 1024}]);
		expect(resumed.spans).toEqual([{pid: 7, name: 'a b c', firstSeconds: 1, firstRss: 1024, lastSeconds: 21, lastRss: 2048, peakRss: 8192}]);
	} finally {
		fs.rmSync(dir, {recursive: true, force: true});
	}
});

test('report rows: only for a tree, the ones that grew most first (five at most), when each joined and ended, and its peak above both ends', () => {
	expect(processRows([{pid: 1, name: 'node', firstSeconds: 1, firstRss: MIB, lastSeconds: 60, lastRss: 2 * MIB, peakRss: 2 * MIB}], 60, 1)).toEqual([]);
	const spans = Array.from({length: 7}, (_, i) => ({pid: 100 + i, name: `w${i}`, firstSeconds: 1, firstRss: 10 * MIB, lastSeconds: 60, lastRss: (10 + i) * MIB, peakRss: (10 + i) * MIB}));
	spans.push({pid: 200, name: 'build', firstSeconds: 1, firstRss: 190 * MIB, lastSeconds: 3.2, lastRss: 190 * MIB, peakRss: 200 * MIB}, {pid: 201, name: 'test', firstSeconds: 4.6, firstRss: 66.7 * MIB, lastSeconds: 60, lastRss: 123 * MIB, peakRss: 123 * MIB});
	expect(processRows(spans, 60, 1)).toEqual([
		['RSS by process', '', 'the 5 that grew most of 9, each from where it had loaded'],
		['  test (201)', '66.7 → 123 MiB', '+56.3 MiB · from 4.6s'],
		['  w6 (106)', '10.0 → 16.0 MiB', '+6.0 MiB'],
		['  w5 (105)', '10.0 → 15.0 MiB', '+5.0 MiB'],
		['  w4 (104)', '10.0 → 14.0 MiB', '+4.0 MiB'],
		['  w3 (103)', '10.0 → 13.0 MiB', '+3.0 MiB'],
	]);
	// Of 64 or more, some readings may have had more than the 64 largest memmon follows: it says so.
	const many = Array.from({length: 70}, (_, i) => ({pid: 300 + i, name: 'sleep', firstSeconds: 1, firstRss: MIB, lastSeconds: 60, lastRss: MIB, peakRss: MIB}));
	expect(processRows(many, 60, 1)[0]).toEqual(['RSS by process', '', 'the 5 that grew most of the 70 followed, each from where it had loaded']);
	expect(processRows(spans.slice(-2), 60, 1)).toEqual([
		['RSS by process', '', 'all 2, each from where it had loaded'],
		['  test (201)', '66.7 → 123 MiB', '+56.3 MiB · from 4.6s'],
		['  build (200)', '190 → 190 MiB', '±0 B · ended at 3.2s · peak 200 MiB'],
	]);
});

test('the processes a reading lost, that the one before had, are those that ended in it; a process joining, or exec\'ing, is none', () => {
	const tracker = new ProcessTracker();
	tracker.add(0, [at(1, 'sh', 1.6)]);
	tracker.add(1, [at(2, 'node', 45), at(1, 'sh', 1.6)]);
	expect(tracker.ended).toEqual([]);
	tracker.add(2, [at(2, 'python', 30), at(1, 'sh', 1.6)]);
	expect(tracker.ended).toEqual([]);
	tracker.add(3, [at(1, 'sh', 1.6)]);
	expect(tracker.ended).toMatchObject([{pid: 2, name: 'python', lastSeconds: 2, lastRss: 30 * MIB}]);
	tracker.add(4, [at(3, 'sleep', 1.8), at(1, 'sh', 1.6)]);
	tracker.add(5, [at(3, 'sleep', 1.8), at(1, 'sh', 1.6)]);
	expect(tracker.ended).toEqual([]);
	tracker.add(6, [at(1, 'sh', 1.6)]);
	expect(tracker.ended).toMatchObject([{pid: 3, name: 'sleep', lastSeconds: 5}]);
});
