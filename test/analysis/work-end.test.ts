/**
Where the work ended (analysis/exit.ts workEndOf) and total growth to there (gates.ts): a command
that goes on after its workload exits is back at the shell's level by the end.
*/
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {assess, assessAtEnd, DEFAULT_ANALYSIS, growthBasis, laterBy, workEndOf} from '../../source/analysis/index.js';
import {analyzePath} from '../../source/commands/analyze.js';
import {SeriesStore} from '../../source/series.js';
import {MIB} from '../../source/units.js';
import {fixture, temporaryDir} from '../helpers/cli.js';

const dir = temporaryDir();
afterAll(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

const span = (pid: number, name: string, lastSeconds: number, mib: number) => ({pid, name, firstSeconds: 0.2, lastSeconds, lastRss: mib * MIB});

test('the work ended where the latest process to end before the others held half the tree or more', () => {
	const tree = (t: number): number => (t <= 3 ? 105 : 3.4) * MIB;
	// `sh -c 'node test.js; sleep 30'`: sh and sleep read last at 8 s, node at 3 s with 103 of 105 MiB.
	expect(workEndOf([span(10, 'sh', 8, 1.6), span(11, 'node', 3, 103), span(12, 'sleep', 8, 1.8)], tree)).toEqual({t: 3, pid: 11, name: 'node', from: 0.2});
	// Every process read at the latest reading: nothing ended.
	expect(workEndOf([span(10, 'sh', 8, 1.6), span(11, 'node', 8, 103)], tree)).toBeUndefined();
	// A helper that ended holding a sliver of the tree is not the work.
	expect(workEndOf([span(10, 'node', 8, 100), span(11, 'esbuild', 3, 4)], tree)).toBeUndefined();
	// Of two that each held most of the tree, the later.
	expect(workEndOf([span(10, 'sh', 8, 1.6), span(11, 'node', 2, 90), span(13, 'node', 3, 100)], tree)).toMatchObject({pid: 13});
	// A level not known at that time decides nothing.
	expect(workEndOf([span(10, 'sh', 8, 1.6), span(11, 'node', 3, 103)], () => undefined)).toBeUndefined();
});

/** A spawned command at 100 ms: loaded at 45 MiB, 20 MiB a second for 3 s, then (its exit) `after(t)`. */
function exitedRun(after: (t: number) => number, seconds = 10): SeriesStore {
	const store = new SeriesStore({baseWidth: 0.1, spawned: true});
	for (let i = 0; i <= seconds * 10; i++) {
		const t = i / 10;
		const mib = i === 0 ? 1.6 : t <= 3 ? 45 + (20 * t) : after(t);
		store.add({t, rss: mib * MIB});
	}

	store.workEnd = {t: 3, pid: 11, name: 'node', from: 0.1};
	return store;
}

test('growth counts to where the work ended when the tree stayed idle after it, and to the end otherwise', () => {
	const idle = assess(exitedRun(() => 3.4), {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB});
	expect(idle.totalGrowth! / MIB).toBeGreaterThan(55);
	expect(idle.totalGrowth! / MIB).toBeLessThan(62);
	expect(idle.growthUntil).toEqual({t: 3, pid: 11, name: 'node', from: 0.1});
	expect(idle.thresholds[0]).toMatchObject({name: 'growth', status: 'fail'});
	expect(idle.thresholds[0]!.value).toMatch(/^\d+\.\d MiB since start-up ended at \d+ms, until node \(PID 11\) ended at 3s$/);
	// A program that grew after it (40 MiB, a quarter or more of what the exit took) is the work again.
	const grew = (t: number): number => 3.4 + (10 * (t - 3));
	const again = assess(exitedRun(grew), {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB});
	expect(again.growthUntil).toBeUndefined();
	const tree = exitedRun(grew);
	tree.workEnd = undefined;
	expect(again.totalGrowth).toBe(assess(tree, {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB}).totalGrowth);
	expect(again.growthEnd! / MIB).toBeGreaterThan(70);
	// However short the tail after it.
	const exiting = assess(exitedRun(() => 3.4, 4.5), {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB});
	expect(exiting.growthUntil).toMatchObject({t: 3});
	expect(exiting.totalGrowth! / MIB).toBeGreaterThan(55);
	// Without a work end, the tree's own level (as a samples.csv without processes.csv reads).
	const store = exitedRun(() => 3.4);
	store.workEnd = undefined;
	expect(assess(store).totalGrowth! / MIB).toBeLessThan(-40);
});

/** `sh -c 'node test.js; sleep …'` at 1 s: the test loads at 45 MiB and keeps half a MiB a second for `work` seconds, then the shell idles at 3.4 MiB for `idle`. */
function leakedThenIdle(work: number, idle: number): SeriesStore {
	const store = new SeriesStore({baseWidth: 1, spawned: true});
	for (let t = 0; t <= work + idle; t++) {
		store.add({t, rss: (t === 0 ? 1.6 : t <= work ? 45 + (0.5 * t) : 3.4) * MIB});
	}

	store.workEnd = {t: work, pid: 11, name: 'node', from: 1};
	return store;
}

test('the verdict judges the work, not the idle tree after it: a test that leaked, then the shell\'s long sleep', () => {
	// `sh -c 'node test.js; sleep 1500'` at 1 s: the test loaded at 45 MiB and kept half a MiB a second
	// for a minute, and the shell slept on at 3.4 MiB. Over the whole run the test's rise was cut as
	// a warm-up and the sleep judged: "flat so far — too soon to call", then ACCEPTABLE beside the
	// gate's FAIL. (Its buckets 4 s wide by then: the one the command exec'd in holds the level before
	// Node loaded, and read as a step: "a step in the data".)
	const store = leakedThenIdle(60, 1500);
	const assessment = assessAtEnd(store, {...DEFAULT_ANALYSIS, maxGrowth: 20 * MIB});
	expect(assessment.thresholds[0]).toMatchObject({name: 'growth', status: 'fail'});
	// The rate is the test's own (half a MiB a second), and a minute of it is too short to tell a
	// warm-up from a leak.
	expect(assessment.growth.verdict).toBe('undecided');
	expect(assessment.growth.rate! / MIB / 3600).toBeGreaterThan(0.4);
	expect(assessment.growth.rate! / MIB / 3600).toBeLessThan(0.6);
	// The work has ended: no "more" to wait for, what a longer run of it may tell.
	expect(assessment.growth.note).toMatch(/^rising — warm-up or leak\? can't tell; a run at least \d+ min longer may tell$/);
	// So does the screen's, its wait counting the hold's too.
	const live = assess(store, {...DEFAULT_ANALYSIS, maxGrowth: 20 * MIB}).growth;
	expect(live.note).toMatch(/longer may tell$/);
	expect(laterBy(live, 60).note).toMatch(/^rising — warm-up or leak\? can't tell; a run at least \d+ min longer may tell$/);
	// Without a work end (a samples.csv without processes.csv), the whole run as before.
	store.workEnd = undefined;
	expect(assess(store).growth).toMatchObject({verdict: 'acceptable', rate: 0});
});

test('a work of minutes, then hours of idle tree: growth to the work\'s end from the buckets before it', () => {
	// A test keeping half a MiB a second for 5 minutes, then the shell idle for 2 hours at 1 s: the
	// buckets are 16 s wide by then, the samples around the exit have left the recent ones, and the
	// bucket that straddles the exit holds the idle level too: "123 MiB … until node ended at 5m 00s"
	// for a test that kept 150.
	const assessment = assessAtEnd(leakedThenIdle(300, 7200), {...DEFAULT_ANALYSIS, maxGrowth: 140 * MIB});
	expect(assessment.growthUntil).toMatchObject({t: 300});
	expect(assessment.totalGrowth! / MIB).toBeGreaterThan(145);
	expect(assessment.totalGrowth! / MIB).toBeLessThan(151);
	expect(assessment.thresholds[0]).toMatchObject({name: 'growth', status: 'fail'});
});

test('the shell\'s next program starting after the work ended is no start-up of the work', () => {
	// On a loaded CI runner with Node 24: Node left at 3.3 s (1.9 MiB, the shell alone), and `sleep`
	// started a sample later (3.4 MiB). That read as a start-up beginning again after a fall, and
	// growth "±0 B since start-up ended at 3.5s" passed a test that kept 55 MiB.
	const store = new SeriesStore({baseWidth: 0.1, spawned: true});
	for (let i = 0; i <= 70; i++) {
		const t = i / 10;
		// (`sleep` read at 3.2 MiB as it started, 3.4 from the sample after.)
		const [mib, file, started] = i === 0 ? [1.7, 1.5, 0] : t <= 3.3 ? [50 + (17 * (t - 0.1)), 39, i === 1 ? 48 : 0] : t < 3.45 ? [1.9, 1.5, 0] : [t < 3.55 ? 3.2 : 3.4, 3.1, t < 3.55 ? 1.6 : 0];
		store.add({t, rss: mib * MIB, file: file * MIB, started: started * MIB});
	}

	store.workEnd = {t: 3.3, pid: 11, name: 'node', from: 0.1};
	const assessment = assess(store, {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB});
	expect(assessment.growthUntil).toMatchObject({t: 3.3});
	expect(assessment.growthFrom!).toBeLessThan(1);
	expect(assessment.totalGrowth! / MIB).toBeGreaterThan(50);
	expect(assessment.totalGrowth! / MIB).toBeLessThan(58);
});

test('a straight leak the workload kept to its end has no warm-up, however flat the tree after it', () => {
	// `memmon --max-growth 50MB -- sh -c 'sleep 2; node leaky.js 256 100 40; sleep 100'` at 1 s, its
	// first 70 s: Node loaded at 1.8 s, kept 2.5 MiB a second to 41 s, and the shell slept on at
	// 3.4 MiB. The verdict's warm-up cut, on the whole run, sat at 23 s, and against the flat after
	// the exit the rise before it looked like a warm-up: "PASS 41.3 MiB since the warm-up's end at
	// 23s" for 99 kept.
	const run = path.join(dir, 'sleeping');
	fs.cpSync(fixture('real/node20-leak-40s-then-sleep-70s'), run, {recursive: true});
	const {assessment} = analyzePath(run, {...DEFAULT_ANALYSIS, maxGrowth: 50 * MIB}, {write: false}).report;
	expect(assessment.growthUntil).toMatchObject({name: 'node'});
	expect(assessment.growthSince).toBe('start-up');
	expect(assessment.totalGrowth! / MIB).toBeGreaterThan(95);
	expect(assessment.totalGrowth! / MIB).toBeLessThan(101);
	expect(assessment.thresholds[0]).toMatchObject({name: 'growth', status: 'fail'});
});

test('a child a server started long after it loaded is not the work, however much of the tree it held', () => {
	// `memmon --pid` on a server at 50 MiB that, 5 minutes in, ran a converter holding 200 MiB for a
	// minute, then idled for ten: its growth is the server's, not the converter's.
	const store = new SeriesStore({baseWidth: 1});
	for (let t = 0; t <= 960; t++) {
		store.add({t, rss: (t >= 300 && t < 360 ? 250 : 50) * MIB});
	}

	store.workEnd = {t: 359, pid: 12, name: 'convert', from: 301};
	const assessment = assess(store, {...DEFAULT_ANALYSIS, maxGrowth: 10 * MIB});
	expect(assessment.growthUntil).toBeUndefined();
	expect(Math.abs(assessment.totalGrowth!)).toBeLessThan(MIB);
	// Had it been the server itself (loaded from the first sample), its growth would count to its end.
	store.workEnd = {...store.workEnd, from: 0};
	expect(assess(store, {...DEFAULT_ANALYSIS, maxGrowth: 10 * MIB}).growthUntil).toMatchObject({name: 'convert'});
});

test('a build step that ended before the workload loaded is not where the work ended', () => {
	// 150 MiB for a second (exits at 1 s), then the test loads (45 MiB, code mapped) and keeps 20 MiB a second.
	const store = new SeriesStore({baseWidth: 0.1, spawned: true});
	for (let i = 0; i <= 80; i++) {
		const t = i / 10;
		const mib = i === 0 ? 1.6 : t <= 1 ? 150 : t < 1.3 ? 20 : 45 + (20 * (t - 1.3));
		store.add({t, rss: mib * MIB, file: (t <= 1 ? 40 : t < 1.3 ? 2 : 40) * MIB, started: t === 1.1 ? 20 * MIB : 0});
	}

	store.workEnd = {t: 1, pid: 11, name: 'node', from: 0.1};
	const assessment = assess(store);
	expect(assessment.growthUntil).toBeUndefined();
	expect(assessment.growthFrom!).toBeGreaterThan(1);
	expect(growthBasis(assessment)).not.toContain('until');
});

test('a build that held more than the test it ran: the test is the work once it grows more than the build did', () => {
	// `sh -c 'node build.js && node test.js'` as memmon read it at 200 ms on Node 24: the build loads
	// 300 MiB at once (28.7, 323, 348.5) and holds it to its exit at 4.2 s; the test's Node is read in
	// the same sample, loaded (47.6, 46 of it the test's), and keeps `pace` MiB a second. The build's
	// exit took 300 MiB, and a quarter of that (75) read as the idle tree after the work: "PASS 80 KiB
	// since start-up ended at 401ms, until node ended at 4.2s" while the test had grown by 32.
	const run = (pace: number, seconds: number): SeriesStore => {
		const store = new SeriesStore({baseWidth: 0.2, spawned: true});
		for (let i = 0; i <= seconds * 5; i++) {
			const t = i / 5;
			const [mib, file] = i === 0 ? [28.7, 25.7] : i === 1 ? [323.4, 38.2] : t <= 4.2 ? [348.5, 39.8] : [47.6 + (pace * (t - 4.4)), 39.2];
			store.add({t, rss: mib * MIB, file: file * MIB, started: i === 22 ? 46 * MIB : 0});
		}

		store.workEnd = {t: 4.2, pid: 11, name: 'node', from: 0.4};
		return store;
	};

	const leaking = assess(run(0.7, 19), {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB});
	expect(leaking.growthUntil).toBeUndefined();
	expect(leaking.growthFrom!).toBeGreaterThan(4.2);
	expect(leaking.totalGrowth! / MIB).toBeGreaterThan(9);
	expect(leaking.totalGrowth! / MIB).toBeLessThan(11);
	// By 70 s the test has grown past the limit: FAIL.
	expect(assess(run(0.7, 70), {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB}).thresholds[0]).toMatchObject({name: 'growth', status: 'fail'});
	// A test that holds still after the build: it grew less than the build did (nothing), and nothing counts.
	const still = assess(run(0, 19), {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB});
	expect(Math.abs(still.totalGrowth!)).toBeLessThan(MIB);
});

test('memmon analyze on a real build-then-test run: the test\'s growth, not the build\'s', () => {
	// `memmon --max-growth 40MB -- sh -c 'node steady.js 300 4 && node leaky.js 64 100 240'` on Node 24,
	// in tmux, stopped at 1m 41s: the build's Node held 300 MiB to 4.2 s, the test's Node was read
	// loaded in the same sample and kept 0.7 MiB a second. The run's own report read "PASS 80 KiB
	// since start-up ended at 401ms, until node (PID 3188) ended at 4.2s".
	const run = path.join(dir, 'build-then-slow-leak');
	fs.cpSync(fixture('real/node24-build-then-slow-leak-101s'), run, {recursive: true});
	const {assessment} = analyzePath(run, {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB}, {write: false}).report;
	expect(assessment.growthUntil).toBeUndefined();
	expect(assessment.growthSince).toBe('start-up');
	expect(assessment.growthFrom!).toBeGreaterThan(4.2);
	expect(assessment.totalGrowth! / MIB).toBeGreaterThan(60);
	expect(assessment.totalGrowth! / MIB).toBeLessThan(68);
	expect(assessment.thresholds[0]).toMatchObject({name: 'growth', status: 'fail'});
});

test('memmon analyze reads where the work ended from processes.csv: a Node test that kept 60 MiB, then `sleep`', () => {
	// `memmon --interval 100ms --duration 8s -- sh -c 'node leaky.js 1024 50 3; sleep 30'` on Node 20:
	// the test's Node ended at 3.1 s, and the tree was back at 3.4 MiB. Growth to the end read
	// "PASS −42.8 MiB" for a limit of 40.
	const run = path.join(dir, 'exited');
	fs.cpSync(fixture('real/node20-exited-then-sleep-8s'), run, {recursive: true});
	const {report} = analyzePath(run, {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB}, {write: false});
	expect(report.assessment.totalGrowth! / MIB).toBeGreaterThan(50);
	expect(report.assessment.totalGrowth! / MIB).toBeLessThan(62);
	expect(report.assessment.growthUntil).toMatchObject({name: 'node'});
	expect(report.assessment.thresholds[0]).toMatchObject({name: 'growth', status: 'fail'});
	// Without processes.csv (a run recorded before memmon kept it) it cannot tell.
	fs.rmSync(path.join(run, 'processes.csv'));
	const {report: bare} = analyzePath(run, {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB}, {write: false});
	expect(bare.assessment.totalGrowth! / MIB).toBeLessThan(-30);
});

test('given a tenth of a core, a test\'s Node ended a second before the run did and the shell\'s `sleep` started after it', () => {
	// `memmon --interval 100ms --duration 7s --max-growth 40MB -- sh -c 'node leaky.js 1024 50 3; sleep 30'`
	// in a cgroup given 10% of a core, on Node 24 and on Node 20. The test's Node ended at 5.7 s and
	// 5.9 s; `sleep` raised the level after the fall, so no fall on the way out was seen, and the
	// start-up began again after it: "PASS 0 B since start-up ended at 6s" and "PASS −36.5 MiB since
	// start-up ended at 2s" for a test that kept 60 MiB.
	for (const name of ['node24-tenth-core-exit-then-sleep-7s', 'node20-tenth-core-exit-then-sleep-7s']) {
		const run = path.join(dir, name);
		fs.cpSync(fixture(`real/${name}`), run, {recursive: true});
		const {assessment} = analyzePath(run, {...DEFAULT_ANALYSIS, maxGrowth: 40 * MIB}, {write: false}).report;
		expect(assessment.growthUntil, name).toMatchObject({name: 'node'});
		expect(assessment.totalGrowth! / MIB, name).toBeGreaterThan(52);
		expect(assessment.totalGrowth! / MIB, name).toBeLessThan(66);
		expect(assessment.thresholds[0], name).toMatchObject({name: 'growth', status: 'fail'});
	}
});
