import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {verdictEveryMs} from '../source/shown-verdict.js';
import type {ProcessMemory, Reading} from '../source/sampler/types.js';
import {syntheticRun} from './helpers/pipeline.js';
import {MIB} from '../source/units.js';

test('a wall-clock step (NTP) changes neither intervals nor the log: elapsed and timestamps stay monotonic', async () => {
	const run = syntheticRun({live: false});
	try {
		await run.advance(30);
		run.clock.stepWall(-3_600_000);
		await run.advance(30);
		run.clock.stepWall(+7_200_000);
		await run.advance(30);
		run.session.sampleLog.flush();
		const rows = fs.readFileSync(path.join(run.runDir, 'samples.csv'), 'utf8').trim().split('\n').slice(1).map(line => line.split(','));
		expect(rows).toHaveLength(91);
		for (let i = 1; i < rows.length; i++) {
			expect(Number(rows[i]![0]) - Number(rows[i - 1]![0])).toBe(1);
			expect(Date.parse(rows[i]![1]!) - Date.parse(rows[i - 1]![1]!)).toBe(1000);
		}
	} finally {
		run.close();
	}
});

test('a mark made just before the run is stopped gets a sample of its own, not lost', async () => {
	const run = syntheticRun({live: false, intervalMs: 60_000});
	try {
		await run.clock.advance(90_000);
		run.session.mark('closed the client');
		run.session.stop({kind: 'stopped', by: 'q'});
		await run.clock.advance(0);
		expect(run.session.monitor.ended).toBe(true);
		expect(run.session.store.count).toBe(3);
		expect(run.session.store.marks.map(mark => [mark.t, mark.label])).toEqual([[90, 'closed the client']]);
	} finally {
		run.close();
	}
});

test('the robust verdict is recomputed once per half of the run in its first seconds, every 5 s after, then as its cost and the run length allow, at least once a minute', () => {
	const minute = 60_000;
	const hour = 60 * minute;
	// In the first seconds, once per half of the run: a 2-s rate is not shown at 8 s.
	expect(verdictEveryMs(5000, 0)).toBe(0);
	expect(verdictEveryMs(5000, 4000)).toBe(2000);
	expect(verdictEveryMs(10_000, 12_000)).toBe(6000);
	expect(verdictEveryMs(5000, 30_000)).toBe(5000);
	expect(verdictEveryMs(5000, 10 * minute)).toBe(5000);
	expect(verdictEveryMs(5000, hour)).toBe(10_000);
	expect(verdictEveryMs(5000, 6 * hour)).toBe(minute);
	expect(verdictEveryMs(5000, 24 * hour)).toBe(minute);
	// Plain mode starts at 30 s.
	expect(verdictEveryMs(30_000, hour)).toBe(30_000);
	expect(verdictEveryMs(30_000, 24 * hour)).toBe(minute);
	// A verdict that cost 7.5 ms: every 30 s keeps verdicts at 0.025% of a core; 100 ms: once a minute.
	expect(verdictEveryMs(5000, 5 * minute, 7.5)).toBe(30_000);
	expect(verdictEveryMs(5000, 5 * minute, 2.5)).toBe(10_000);
	expect(verdictEveryMs(5000, 5 * minute, 1)).toBe(5000);
	expect(verdictEveryMs(5000, 5 * minute, 100)).toBe(30_000);
	expect(verdictEveryMs(5000, hour, 100)).toBe(minute);
	// The first full verdict, its code cold (6 ms), does not keep the rate of a run's first 2 s for 25 s.
	expect(verdictEveryMs(5000, 2200, 6.4)).toBe(1100);
	expect(verdictEveryMs(5000, 2 * minute, 6.4)).toBe(12_000);
});

test('the machine\'s memory is read with each sample only when something shows it (not for plain lines)', async () => {
	for (const machineMemory of [true, false]) {
		const run = syntheticRun({live: false, machineMemory});
		try {
			await run.advance(10);
			expect(run.sampler.systemReads).toBe(machineMemory ? 11 : 0);
			expect(run.session.snapshot().system?.total).toBe(machineMemory ? 24 * 1024 * MIB : undefined);
		} finally {
			run.close();
		}
	}
});

test('a snapshot shows what it showed when first read, however far the run has gone on (the paused screen)', async () => {
	const run = syntheticRun({live: false});
	try {
		await run.advance(60);
		const snapshot = run.session.snapshot();
		const quarters = snapshot.quarters;
		const assessment = snapshot.assessment;
		const tail = [...snapshot.logTail];
		run.tail.push('a line written after the snapshot');
		await run.advance(120);
		expect(snapshot.logTail).toEqual(tail);
		expect(snapshot.quarters).toBe(quarters);
		expect(snapshot.assessment).toBe(assessment);
		// A new snapshot has moved on.
		expect(run.session.snapshot().quarters?.averages).not.toEqual(quarters?.averages);
	} finally {
		run.close();
	}
});

test('the first partial report comes half a minute in, then one every checkpoint period', async () => {
	const run = syntheticRun({live: false});
	const reportAt = (): number | undefined => {
		const file = path.join(run.runDir, 'report.json');
		return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as {elapsed_seconds: number}).elapsed_seconds : undefined;
	};

	try {
		await run.advance(29);
		expect(reportAt()).toBeUndefined();
		await run.advance(1);
		const first = JSON.parse(fs.readFileSync(path.join(run.runDir, 'report.json'), 'utf8')) as {partial: boolean};
		expect(first.partial).toBe(true);
		expect(reportAt()).toBeCloseTo(30, 0);
		expect(fs.readFileSync(path.join(run.runDir, 'report.txt'), 'utf8')).toContain('synthetic');
		// The helper's checkpoint period is an hour: the next one is an hour after the first.
		await run.advance(3599);
		expect(reportAt()).toBeCloseTo(30, 0);
		await run.advance(1);
		expect(reportAt()).toBeCloseTo(3630, 0);
	} finally {
		run.close();
	}
});

test('a fresh verdict is shown only once confirmed; until then the screen says what it looks like and how long is left', async () => {
	const run = syntheticRun({live: false});
	try {
		const seen: Array<{at: number; raw: string; shown: string; note: string | undefined; reason: string | undefined}> = [];
		for (let minute = 1; minute <= 20; minute++) {
			await run.advance(60);
			const shown = run.session.snapshot().assessment!.growth;
			seen.push({at: minute, raw: run.session.finalAssessment().growth.verdict, shown: shown.verdict, note: shown.note, reason: shown.reason});
		}

		const firstRaw = seen.find(s => s.raw === 'acceptable')!;
		const firstShown = seen.find(s => s.shown === 'acceptable')!;
		expect(firstRaw).toBeDefined();
		expect(firstShown).toBeDefined();
		// A tenth of the run, at least a minute: shown one or two minutes after it first appears here.
		expect(firstShown.at - firstRaw.at).toBeGreaterThanOrEqual(1);
		expect(firstRaw.shown).toBe('undecided');
		expect(firstRaw.note).toMatch(/^looks acceptable, confirming(, about \d+ min more)?$/);
		// --json and the reports say why it is not shown yet.
		expect(firstRaw.reason).toBe('confirming');
		expect(seen.slice(seen.indexOf(firstShown)).every(s => s.shown === 'acceptable')).toBe(true);
	} finally {
		run.close();
	}
});

test('where the workload exits and its command goes on, the executable stays the workload\'s, not that of a smaller process left behind', async () => {
	// `sh -c 'node test.js; sleep 30'`: Node (60 MiB) for three samples, then the shell and its `sleep`.
	let i = 0;
	const sampler = {
		async sample(): Promise<Reading> {
			const processes = i++ < 3 ? [{pid: 11, name: 'node', rss: 60 * MIB}, {pid: 10, name: 'sh', rss: 1.7 * MIB}] : [{pid: 12, name: 'sleep', rss: 1.8 * MIB}, {pid: 10, name: 'sh', rss: 1.7 * MIB}];
			return {kind: 'ok', rss: processes.reduce((sum, process) => sum + process.rss, 0), processes};
		},
		async system() {
			return undefined;
		},
		executable: (pid: number) => ({10: '/usr/bin/dash', 11: '/usr/bin/node', 12: '/usr/bin/sleep'})[pid],
		close() {},
	};
	const run = syntheticRun({live: false, sampler});
	try {
		await run.advance(6);
		expect(run.facts.workloadExecutable).toBe('/usr/bin/node');
	} finally {
		run.close();
	}
});

test('the executable of the tree\'s largest process is read when that process changes or execs, not every sample', async () => {
	// `npm run test`: npm alone, then its Node child outgrows it; a pyenv shim (bash) that execs Python keeps its PID.
	const largest = [
		...Array.from({length: 3}, () => ({pid: 10, name: 'npm'})),
		...Array.from({length: 3}, () => ({pid: 11, name: 'node'})),
		...Array.from({length: 3}, () => ({pid: 12, name: 'bash'})),
		...Array.from({length: 3}, () => ({pid: 12, name: 'python3'})),
	];
	const exe: Record<string, string> = {'10 npm': '/usr/bin/node', '11 node': '/usr/bin/node', '12 bash': '/usr/bin/bash', '12 python3': '/usr/bin/python3.11'};
	let i = 0;
	const reads: number[] = [];
	const sampler = {
		async sample(): Promise<Reading> {
			const top = largest[Math.min(i++, largest.length - 1)]!;
			return {kind: 'ok', rss: 50 * MIB, processes: [{...top, rss: 40 * MIB}, {pid: 1, name: 'sh', rss: 10 * MIB}]};
		},
		async system() {
			return undefined;
		},
		executable(pid: number) {
			reads.push(pid);
			const top = largest[Math.min(i - 1, largest.length - 1)]!;
			return exe[`${pid} ${top.name}`];
		},
		close() {},
	};
	const seen: Array<string | undefined> = [];
	const run = syntheticRun({live: false, sampler, onWorkloadExecutable: () => seen.push(run.facts.workloadExecutable)});
	try {
		// Six samples (the first at 0): npm, then its child.
		await run.advance(5);
		expect(run.facts.workloadExecutable).toBe('/usr/bin/node');
		await run.advance(6);
		expect(reads).toEqual([10, 11, 12, 12]);
		expect(run.facts.workloadExecutable).toBe('/usr/bin/python3.11');
		// Handed on (run.json) with the reports, once, not at each change; not again while it holds.
		expect(seen).toEqual([]);
		run.session.writePartial();
		run.session.writePartial();
		expect(seen).toEqual(['/usr/bin/python3.11']);
		// The panel's Δ: each listed process's level from where it had loaded.
		expect(run.session.snapshot().processFirst).toEqual(new Map([[12, 40 * MIB], [1, 10 * MIB]]));
	} finally {
		run.close();
	}
});

/** A run of a made-up tree: `at(i)` the processes of the i-th reading, their RSS summed. */
function treeRun(at: (i: number) => ProcessMemory[]) {
	let i = 0;
	const sampler = {
		async sample(): Promise<Reading> {
			const processes = at(i++);
			return {kind: 'ok', rss: processes.reduce((sum, process) => sum + process.rss, 0), processes};
		},
		async system() {
			return undefined;
		},
		close() {},
	};
	return syntheticRun({live: false, sampler, intervalMs: 1000});
}

/** The samples whose programs started (samples.csv): [t_seconds, started_rss_bytes]. */
function starts(runDir: string): Array<[number, number]> {
	const [header, ...rows] = fs.readFileSync(path.join(runDir, 'samples.csv'), 'utf8').trim().split('\n').map(line => line.split(','));
	const column = header!.indexOf('started_rss_bytes');
	return rows.filter(row => Number(row[column]) > 0).map(row => [Number(row[0]), Number(row[column])]);
}

test('a pre-fork server replacing its workers: growth counts from its start-up, not from the latest replacement', async () => {
	// A master (python3) leaking 0.5 MiB a minute, and three forked workers of the same program, each
	// growing 2.5 MiB a minute and replaced every 4 minutes (staggered), as gunicorn's --max-requests does.
	const command = 'python3 server.py --workers 3';
	let nextPid = 200;
	const workers = [0, 1, 2].map(k => ({pid: nextPid++, born: -k * 80}));
	const run = treeRun(t => {
		if (t === 0) {
			return [{pid: 100, name: 'python3', command, rss: 5 * MIB}];
		}

		for (const worker of workers) {
			if (t - worker.born >= 240) {
				worker.pid = nextPid++;
				worker.born = t;
			}
		}

		return [
			{pid: 100, name: 'python3', command, rss: (14 * MIB) + (t / 60 * 0.5 * MIB)},
			...workers.map(worker => ({pid: worker.pid, name: 'python3', command, rss: (12 * MIB) + ((t - Math.max(worker.born, 0)) / 60 * 2.5 * MIB)})),
		];
	});
	try {
		await run.advance(1200);
		expect(run.session.finalAssessment().growthSince).not.toBe('start-up');
		run.session.sampleLog.flush();
		// The first workers start with the run; their replacements are no program starting.
		expect(starts(run.runDir).filter(([t]) => t > 60)).toEqual([]);
	} finally {
		run.close();
	}
});

test('a program the tree starts under the same name but its own command line (node --test, a file per Node) is still a program starting', async () => {
	const run = treeRun(t => [
		{pid: 100, name: 'node', command: 'node --test', rss: 45 * MIB},
		...t >= 30 ? [{pid: 101, name: 'node', command: 'node /work/test/a.test.js', rss: 48 * MIB}] : [],
	]);
	try {
		await run.advance(40);
		run.session.sampleLog.flush();
		expect(starts(run.runDir).map(([, rss]) => rss)).toEqual([48 * MIB]);
	} finally {
		run.close();
	}
});
