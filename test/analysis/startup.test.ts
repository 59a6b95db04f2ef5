import {expect, test} from 'vitest';
import {headFull, startupEnd, StartupRestarts} from '../../source/analysis/startup.js';

const MIB = 1024 * 1024;
/** A series in MiB, rounded to pages as RSS is. */
const mib = (values: readonly number[]): number[] => values.map(value => Math.round(value * MIB / 4096) * 4096);
/** `n` samples rising by `step` MiB each from `from`. */
const rise = (from: number, step: number, n: number): number[] => Array.from({length: n}, (_, i) => from + (i * step));

test('the start-up steps of real runtimes, as memmon sampled them at 200 ms, end where the workload begins', () => {
	// Node 20 keeping 512 KiB a tenth of a second: 20.6 at exec, 39.4, then +1 MiB a sample.
	expect(startupEnd(mib([20.6, ...rise(39.4, 1, 15)]))).toBe(1);
	// Python: 3.2 at exec, 7.9, 13.7 (two samples of start-up), then +1.
	expect(startupEnd(mib([3.2, 7.9, ...rise(13.7, 1, 14)]))).toBe(2);
	// A JVM: 8.3, 37.0, 39.5 (its last classes: start-up too, 1.5 MiB above the workload's pace), then +1.
	expect(startupEnd(mib([8.3, 37, ...rise(39.5, 1, 14)]))).toBe(2);
});

test('a step two samples split is one, beside a workload growing half as fast as either half', () => {
	// Node 20 in CI at 100 ms, keeping 50 MiB a second: 20.4 at exec, 30.0, 45.0, then +5 a sample.
	// Neither half is four times the workload's rise; together they are 15 MiB above its pace.
	expect(startupEnd(mib([20.4, 30, ...rise(45, 5, 14)]))).toBe(2);
	// On a loaded machine the first sample came late, with Node mostly loaded: what is left is a step.
	expect(startupEnd(mib([37.8, 44.4, ...rise(46.5, 2, 14)]))).toBe(1);
	// The same fast workload with no start-up in view, its rises jittering by ±1.5 MiB: no step.
	const jitter = [1.5, -1.2, 0.8, -1.5, 1.1, -0.4, 1.4, -1, 0.3, -1.3, 1.2, -0.7, 0.9, -1.4, 0.6, 0];
	expect(startupEnd(mib(rise(45, 5, 16).map((value, i) => value + jitter[i]!)))).toBe(0);
});

test('samples that come unevenly (a loaded machine\'s late timers) are read at the workload\'s pace per second, not per sample', () => {
	// Node already loaded when first read, keeping 20 MiB a second; read every 100 ms, with every
	// fourth read half a second late. Counted per sample, each late read was a step: the start-up
	// ended at 0.9 s and 18 MiB of the leak went uncounted.
	const gaps = [0.1, 0.1, 0.1, 0.6, 0.1, 0.1, 0.1, 0.5, 0.1, 0.1, 0.1, 0.4, 0.1, 0.1, 0.1];
	const t = [0];
	for (const gap of gaps) {
		t.push(t.at(-1)! + gap);
	}

	expect(startupEnd(mib(t.map(at => 50 + (20 * at))), t)).toBe(0);
	// The same with its loading in view (20.6 at exec, 45 a tenth of a second later): that step is found.
	expect(startupEnd(mib(t.map((at, i) => i === 0 ? 20.6 : 45 + (20 * (at - 0.1)))), t)).toBe(1);
	// A loading step that came over a late read is still a step: 20.6, then 45 after 0.6 s.
	const late = [0, 0.6, ...t.slice(2).map(at => at + 0.5)];
	expect(startupEnd(mib(late.map((at, i) => i === 0 ? 20.6 : 45 + (20 * (at - 0.6)))), late)).toBe(1);
});

test('no step: a straight line from the first sample, a flat process with jitter, a small start-up', () => {
	expect(startupEnd(mib(rise(40, 1, 16)))).toBe(0);
	expect(startupEnd(mib(rise(40, 6, 16)))).toBe(0);
	expect(startupEnd(mib(Array.from({length: 16}, (_, i) => 40 + ((i % 3) * 0.05))))).toBe(0);
	// A C program's 150 KiB of libraries: a few pages are no step.
	expect(startupEnd(mib([1.0, 1.15, ...Array.from({length: 14}, () => 1.15)]))).toBe(0);
});

test('a run that is mostly start-up, or too short to tell, keeps its first sample', () => {
	// Rises as large as the first all along: no sample is typical of anything after a step.
	expect(startupEnd(mib([10, 40, 70, 100, 130, 160]))).toBe(0);
	expect(startupEnd(mib([10, 40, 41]))).toBe(0);
	// At most four leading samples are start-up, and three are always left after it.
	expect(startupEnd(mib([1, 10, 20, 30, 40, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60]))).toBe(4);
	expect(startupEnd(mib([1, 20, 21, 22]))).toBe(1);
});

test('only the first sixteen samples are read', () => {
	const head = mib([20, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40]);
	expect(startupEnd(head)).toBe(1);
	// Later rises as large as the step do not make it typical.
	expect(startupEnd([...head, ...mib(rise(60, 20, 30))])).toBe(1);
});

test('on a loaded machine a runtime\'s loading can take seconds: a step within the first two is start-up, a later one is not', () => {
	const at = (interval: number, n: number): number[] => Array.from({length: n}, (_, i) => i * interval);
	// Node on a busy CI runner, at 200 ms: 15 at exec, creeping, then loaded at 1.0 s and holding 1 MiB.
	const slow = mib([15, 16, 17, 18, 30, 46, ...rise(46.1, 0.1, 10)]);
	expect(startupEnd(slow, at(0.2, 16))).toBe(5);
	// Counted in samples alone, the step ends at the fourth: Δ read +16 MiB.
	expect(startupEnd(slow)).toBe(4);
	// At 1 s, two seconds are two samples: the window stays four samples.
	expect(startupEnd(slow, at(1, 16))).toBe(4);
	// Node on a loaded CI runner, at 100 ms, after a build exited (its start-up begins at 1.7 MiB, the
	// level without it, at the time of its first sample), loading in two stages with a pause between,
	// then keeping 20 MiB a second: the start-up ends where it has loaded, not at the pause (index 4).
	const paused = mib([1.7, 10, 18.9, 22.4, 22.9, 35.1, 45.2, ...rise(47.2, 2, 9)]);
	expect(startupEnd(paused, [0, ...at(0.1, 15)])).toBe(6);
	// …or for two (a fresh-clone CI run, as sampled: its 200-ms gap too): it ended at 21.8, and the test,
	// keeping 60 MiB, read +81.8 MiB and failed an 80 MB gate.
	const twice = mib([3.4, 3.6, 16, 21.8, 22.5, 22.8, 33.8, 43.1, 46.2, 48.2, 49.2, 51.3, 51.9, 54.3, 54.3, 54.7]);
	const twiceAt = [2.1, 2.1, 2.2, 2.3, 2.4, 2.6, 2.7, 2.8, 2.9, 3, 3.1, 3.2, 3.3, 3.4, 3.5, 3.6];
	expect(startupEnd(twice, twiceAt)).toBe(8);
	// …or for three, where only its file-backed pages tell (a fresh-clone CI run's total, as sampled; the
	// file-backed part as Node's loading maps it here: 20 MiB at exec, 37 once loaded). Counted from
	// 21.6, the test keeping 60 MiB read +78.6 MiB.
	const thrice = mib([3.4, 8, 21.6, 22.4, 22.8, 22.9, 29, 32, 37.7, 40, 40.5, 44.4, 46.3, 48.3, 55.3, 56.1]);
	const thriceAt = [2, 2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 2.8, 2.9, 3, 3.1, 3.2, 3.55, 3.65];
	const mapped = mib([3.2, 7.6, 20, 20.3, 20.4, 20.4, 25.5, 27.6, 32.3, 34, 34.2, 36.9, 37, 37, 37.1, 37.1]);
	expect(startupEnd(thrice, thriceAt, mapped)).toBe(8);
	expect(startupEnd(thrice, thriceAt)).toBe(2);
	// A leak keeps anonymous memory: with the file-backed pages flat, the pause ends the start-up as before.
	expect(startupEnd(thrice, thriceAt, mapped.map(() => mapped[2]!))).toBe(2);
	// A level that fell is no step under way: a Python test read with a 21-MiB child beside it, gone by
	// the third sample, and the next child a second in (at 200 ms).
	const child = mib([3.4, 36, 36, 14.7, 14.7, 14.7, 36.9, 36.9, 15.7, 15.7, 15.7, 35.3, 37.9, 16.7, 16.7, 16.7]);
	expect(startupEnd(child, at(0.2, 16))).toBe(1);
	// Three samples' pause past the fourth ends it: the step after them is the workload's.
	expect(startupEnd(mib([10, 18.9, 22.4, 30, 30.1, 30.2, 30.3, 45, ...rise(45.5, 0.5, 8)]), at(0.1, 16))).toBe(3);
	// A step 2.4 s in, at 200 ms, is the workload's.
	expect(startupEnd(mib([15, ...rise(15.05, 0.05, 11), 46, 46.1, 46.2, 46.3]), at(0.2, 16))).toBe(0);
});

/** Points at 200 ms from MiB levels, the first at `from` seconds. */
const points = (levels: readonly number[], from = 0): Array<{t: number; rss: number}> => mib(levels).map((rss, i) => ({t: from + (i * 0.2), rss}));

/** Feed `later` to restarts made from a head whose start-up ended at `end`. */
function follow<P extends {t: number; rss: number; started?: number}>(head: readonly P[], end: number, later: readonly P[]): StartupRestarts<P> {
	const restarts = new StartupRestarts<P>(head[0]!, head[end]!);
	for (const point of [...head.slice(end + 1), ...later]) {
		restarts.add(point);
	}

	return restarts;
}

test('a start-up the run gave back begins again where the level fell, and ends where the next program has loaded', () => {
	// `npm run` with a pretest build (as memmon sampled it): npm at exec 17 MiB, npm and the build 262
	// for 3 s; the build exits (128), the test's Node loads over two samples (160, 190) and keeps 5 MiB a sample.
	const head = points([17, ...Array.from({length: 15}, () => 262)]);
	const after = points([262, 128, 160, ...rise(190, 5, 13)], 3.2);
	expect(startupEnd(head.map(p => p.rss))).toBe(1);
	const restarts = follow(head, 1, after);
	expect(restarts.loaded()).toBe(after[3]);
	// While the next program's samples are still coming: from the fourth on.
	expect(follow(head, 1, after.slice(0, 4)).loaded()).toBeUndefined();
	// (with four, three of them after the step: too few to tell the step from the pace, so from the fall)
	expect(follow(head, 1, after.slice(0, 5)).loaded()).toBe(after[1]);
	expect(follow(head, 1, after.slice(0, 6)).loaded()).toBe(after[3]);
	// The workload said it was running before the build ended (its first count line): the fall is its own.
	expect(restarts.loaded(3)).toBeUndefined();
	// …or by the sample after the fall: start-up ended there at the latest.
	expect(restarts.loaded(3.5)).toBe(after[2]);
});

test('no new start-up: a process\'s own ups and downs, a fall that ends the run, one that keeps falling', () => {
	const head = points([17, ...rise(60, 0.5, 15)]);
	// A Node test's heap gives back 15 MiB, under half its 43-MiB start-up step, and grows again.
	expect(follow(head, 1, points([67, 52, 55, 58, 61, 64, 67, 70, 73, 76], 3.2)).loaded()).toBeUndefined();
	// Freeing on the way out: three samples after the fall say nothing.
	expect(follow(head, 1, points([67, 30, 31, 31], 3.2)).loaded()).toBeUndefined();
	// Still falling for as long as the run goes on: each lower sample starts it again.
	expect(follow(head, 1, points([67, 35, 30, 25, 20, 18, 17], 3.2)).loaded()).toBeUndefined();
	// A fall to a flat level with nothing loading after it: growth counts from that level.
	const flat = points([67, 30, 30.1, 30, 30.1, 30, 30.1, 30, 30.1], 3.2);
	expect(follow(head, 1, flat).loaded()).toBe(flat[1]);
});

test('each start-up that began again sets the level the next fall is measured from', () => {
	// A lint step (120 MiB), then a build (260), then the test (100, then +1 a sample).
	const head = points([17, ...Array.from({length: 15}, () => 120)]);
	const build = points([30, 260, ...Array.from({length: 14}, () => 260)], 3.2);
	const test = points([40, 100, ...rise(101, 1, 14)], 6.4);
	const restarts = follow(head, 1, [...build, ...test]);
	expect(restarts.loaded()).toBe(test[1]);
	// Told the test's first count came during the build: the lint step's end is where it began again.
	expect(restarts.loaded(6)).toBe(build[1]);
});

test('a first program that loaded at its own pace, with no step to see, still begins again where it exited', () => {
	// As a loaded CI runner sampled `sh -c "node steady.js 150 1 && node leaky.js …"` at 100 ms: the
	// first Node filled its 150 MiB over 1.3 s at the pace it loaded, held it, and exited (195 → 22 MiB,
	// where the command began); the test's Node loaded (45) and kept 2 MiB a sample.
	const at100 = (levels: readonly number[], from = 0): Array<{t: number; rss: number}> => mib(levels).map((rss, i) => ({t: from + (i * 0.1), rss}));
	const head = at100([21.7, ...rise(35, 13.3, 12), 195, 195, 195]);
	expect(startupEnd(head.map(p => p.rss), head.map(p => p.t))).toBe(0);
	const after = at100([195, 195, 195, 195, 195, 195, 195, 22, 23, 45.3, ...rise(47.3, 2, 14)], 1.6);
	expect(follow(head, 0, after).loaded()).toBe(after[9]);
	// The same program freeing three quarters of what it held and going on: no new start.
	const frees = at100([195, 195, 60, 62, ...rise(64, 2, 14)], 1.6);
	expect(follow(head, 0, frees).loaded()).toBeUndefined();
});

/** Points at 200 ms with the RSS (MiB) of the programs that started before each, by index. */
const withStarts = (levels: readonly number[], starts: Readonly<Record<number, number>>, from = 0): Array<{t: number; rss: number; started: number}> =>
	points(levels, from).map((p, i) => ({...p, started: (starts[i] ?? 0) * MIB}));

test('a program a script starts later has loaded where its file-backed pages have, however long its loading pauses', () => {
	// `sh -c "sleep 2; node leaky.js 1024 50 3"` as a loaded CI runner sampled it at 100 ms (its totals;
	// file-backed pages as Node maps them here): the shell and sleep at 3.4 MiB for 2 s, then the test's
	// Node, paused for three samples in its loading, then keeping 2 MiB a sample.
	const levels = [...Array.from({length: 20}, () => 3.4), 8, 21.6, 22.4, 22.8, 22.9, 29, 32, 37.7, 40, 40.5, 44.4, 46.3, 48.3, 50.3, 52.3, 54.3, 56.3];
	const files = [...Array.from({length: 20}, () => 3.2), 7.6, 20, 20.3, 20.4, 20.4, 25.5, 27.6, 32.3, 34, 34.2, 36.9, 37, 37, 37.1, 37.1, 37.1, 37.1];
	const all = mib(levels).map((rss, i) => ({t: i * 0.1, rss, file: mib(files)[i]!, started: i === 20 ? 4.6 * MIB : 0}));
	const head = all.slice(0, 16);
	expect(startupEnd(head.map(p => p.rss), head.map(p => p.t), head.map(p => p.file))).toBe(0);
	expect(follow(head, 0, all.slice(16)).loaded()).toBe(all[27]);
	// Read without the file-backed pages, it ends at the pause: the rest of the loading, 16 MiB, is growth.
	const totals = all.map(p => ({t: p.t, rss: p.rss, started: p.started}));
	expect(follow(totals.slice(0, 16), 0, totals.slice(16)).loaded()).toBe(totals[21]);
});

test('a program whose loading paused past its start-up\'s window begins it again where its code is mapped', () => {
	// `sh -c "node steady.js 150 1 && node leaky.js 1024 50 3"` at 100 ms, its Node stopped for 2 s in
	// its loading (as a loaded CI runner may): the first Node fills 150 MiB and exits (15.4 MiB left), the
	// test's Node execs (21.9, 19 MiB of it file-backed; a few pages more while stopped), loads 2 s
	// later (45; 35.5 file-backed) and keeps 2 MiB a sample.
	const at100 = (pairs: ReadonlyArray<readonly [number, number, number?]>, from = 0) => pairs.map(([rss, file, started], i) => ({t: from + (i * 0.1), rss: rss * MIB, file: file * MIB, started: (started ?? 0) * MIB}));
	const head = at100([[21.7, 20], ...rise(35, 13.3, 12).map(level => [level, 34] as const), [195, 35.5], [195, 35.5], [195, 35.5]]);
	const fallAndExec = at100([[195, 35.5], [15.4, 1.6], [21.9, 20.6, 20], ...Array.from({length: 19}, (_, i) => [21.9 + (0.004 * (i + 1)), 20.6] as const)], 1.6);
	const loading = at100(rise(45, 2, 20).map(level => [level, 37.1] as const), 1.6 + (fallAndExec.length * 0.1));
	const restarts = follow(head, 0, [...fallAndExec, ...loading]);
	expect(restarts.loaded()).toBe(loading[0]);
	// The same with the file-backed pages flat (a leak after a pause, its code long mapped): from the exec.
	const flat = (points: ReadonlyArray<{t: number; rss: number; file: number; started: number}>) => points.map(p => ({...p, file: 20.6 * MIB}));
	expect(follow(head, 0, [...fallAndExec, ...flat(loading)]).loaded()).toBe(fallAndExec[2]);
	// `sh -c "sleep 2; node leaky.js …"`, its Node stopped for 2 s as it exec'd: the shell's 3.4 MiB,
	// then a program's start-up (its exec), then its code mapped.
	const shell = at100(Array.from({length: 16}, () => [3.4, 3.2] as const));
	const exec = at100([[21.9, 20.6, 18.5], ...Array.from({length: 19}, (_, i) => [21.9 + (0.004 * (i + 1)), 20.6] as const)], 1.6);
	const loads = at100(rise(45, 2, 20).map(level => [level, 37.1] as const), 3.6);
	expect(follow(shell, 0, [...exec, ...loads]).loaded()).toBe(loads[0]);
	// Code mapped more than CODE_SECONDS after the latest start-up began is the program's own (a module
	// loaded on first use), even near its loaded level.
	const late = at100([...Array.from({length: 100}, () => [21.9, 20.6] as const), ...rise(45, 2, 20).map(level => [level, 37.1] as const)], 3.6);
	expect(follow(shell, 0, [...exec, ...late]).loaded()).toBe(exec[0]);
});

test('a program a script starts later begins the start-up again where its step follows and holds', () => {
	// `sh -c "sleep 3; node test.js"` at 200 ms: sh (1.6 MiB), sleep beside it (2.5) for 3 s, then the
	// test's Node: 20 as it execs, 47 loaded, and 0.5 a sample after that.
	const levels = [1.6, ...Array.from({length: 15}, () => 2.5), 20, 47, ...rise(47.5, 0.5, 20)];
	const all = withStarts(levels, {1: 0.9, 16: 18.4});
	const head = all.slice(0, 16);
	expect(startupEnd(head.map(p => p.rss), head.map(p => p.t))).toBe(1);
	const restarts = follow(head, 1, all.slice(16));
	expect(restarts.loaded()).toBe(all[17]);
	// Without the program's start in the samples (a recording of RSS alone) nothing moves: a step
	// three seconds in is the workload's own.
	const plain = points(levels);
	expect(follow(plain.slice(0, 16), 1, plain.slice(16)).loaded()).toBeUndefined();
	// The workload said it was running before the Node started: no new start-up.
	expect(restarts.loaded(3)).toBeUndefined();
});

test('a program starting is no new start-up where nothing loads, where what loaded goes away, or once the workload has grown', () => {
	const head = points([17, ...rise(60, 0.1, 15)]);
	// A server shelling out a helper that holds 5 MiB for two samples and exits.
	const helper = withStarts([61.5, 66.5, 66.5, ...rise(61.7, 0.1, 20)], {1: 5});
	expect(follow(head, 1, helper).loaded()).toBeUndefined();
	// A test that leaks 0.5 MiB a sample and shells out to a 5-MiB program read in one sample of two.
	const shellsOut = withStarts(rise(61.5, 0.5, 40).map((level, i) => level + (i % 2 === 1 ? 5 : 0)), Object.fromEntries(Array.from({length: 20}, (_, i) => [(2 * i) + 1, 5])));
	expect(follow(head, 1, shellsOut).loaded()).toBeUndefined();
	// A server that has grown by more than half its start-up step starts a worker holding 100 MiB.
	const grown = withStarts([...rise(61.5, 2, 20), 200, ...rise(201, 0.1, 20)], {20: 100});
	expect(follow(head, 1, grown).loaded()).toBeUndefined();
	// The same worker while the server is still at its level: the worker's loading is start-up.
	const early = withStarts([61.5, 200, ...rise(200.1, 0.1, 20)], {1: 138.5});
	expect(follow(head, 1, early).loaded()).toBe(early[1]);
});

test('after a build exits, a test that starts seconds later (a wait, a small step) ends the start-up where it loaded', () => {
	// The build holds 260 MiB, exits (20: npm alone), sleep runs for 4 s, then the test's Node loads (65) and keeps 0.5 a sample.
	const head = points([17, ...Array.from({length: 15}, () => 260)]);
	const after = withStarts([260, 20, ...Array.from({length: 20}, () => 21), 40, 65, ...rise(65.5, 0.5, 20)], {2: 1, 22: 20}, 3.2);
	const restarts = follow(head, 1, after);
	expect(restarts.loaded()).toBe(after[23]);
});

test('a fall where the next program starts in the same sample is a fall, also while a program\'s start-up is under way', () => {
	// `npm run test:leak` with a pretest build at 200 ms: npm loads (58 MiB), the build starts and
	// holds 243 for 3 s, exits as the test starts (103 in the same sample), and the test keeps 5 a sample.
	const all = withStarts([17, 58, 243, ...Array.from({length: 15}, () => 243), 103, 130, ...rise(150, 5, 20)], {1: 1.6, 2: 185, 18: 40});
	const head = all.slice(0, 16);
	const end = startupEnd(head.map(p => p.rss), head.map(p => p.t));
	expect(end).toBe(2);
	expect(follow(head, end, all.slice(16)).loaded()).toBe(all[20]);
});

test('a program that starts while the level still falls: the start-up begins at the fall\'s lowest sample, not before it', () => {
	// As a CI run on Node 24 sampled `sh -c "node steady.js 150 1 && node leaky.js …"` at 100 ms: the
	// first Node holds 198 MiB, frees on its way out (123), the test's Node execs as it is gone (29.2,
	// the program's start), loads (49.6) and keeps 2 MiB a sample. Begun at 123, no step stood out of
	// the fall, and growth counted from the first program's leaving level.
	const at100 = (levels: readonly number[], starts: Readonly<Record<number, number>>): Array<{t: number; rss: number; started: number}> =>
		mib(levels).map((rss, i) => ({t: i * 0.1, rss, started: (starts[i] ?? 0) * MIB}));
	const all = at100([59.9, ...Array.from({length: 10}, () => 198), 123, 29.2, 49.6, ...rise(51.7, 2, 20)], {12: 27.6});
	const head = all.slice(0, 16);
	const end = startupEnd(head.map(p => p.rss), head.map(p => p.t));
	expect(end).toBe(1);
	expect(follow(head, end, all.slice(16)).loaded()).toBe(all[13]);
	// The fall's samples all come after the head here: the same from the samples themselves.
	const late = at100([59.9, ...Array.from({length: 20}, () => 198), 123, 29.2, 49.6, ...rise(51.7, 2, 20)], {22: 27.6});
	expect(follow(late.slice(0, 16), 1, late.slice(16)).loaded()).toBe(late[23]);
});

test('a program that starts half loaded in the sample where the last one left: a fall, though the level stays above the fall\'s bound', () => {
	// As a CI run on Node 24 sampled `sh -c "node steady.js 150 1 && node leaky.js …"` at 100 ms under
	// load: the first Node read at 7.0 MiB as it exec'd, loading over half a second (its code pages
	// 5 → 38 MiB) to 42.8, then filling 150 MiB; it leaves as the test's Node starts, read with 26.8 MiB
	// already in (28.4 in all, its code half mapped), which then loads (48.6) and keeps 2 MiB a sample.
	// Neither a fall (28.4 is above 42.8 less half the 35.8-MiB step) nor a start seen below the loaded
	// level, the growth counted from the first Node's loading: "FAIL 61.1 MiB since start-up ended at 501ms".
	const levels = [7, 20.1, 26.1, 32, 35.5, 42.8, 53.3, 67.1, 80.5, 88.8, 106, 119, 141, 152, 165, 183, ...Array.from({length: 11}, () => 198), 28.4, 48.6, ...rise(50.6, 2, 20)];
	const code = [5, 14, 20, 27, 33, 38];
	const all = mib(levels).map((rss, i) => ({t: i * 0.1, rss, file: (code[i] ?? (i === 27 ? 22 : 39)) * MIB, started: i === 27 ? Math.round(26.8 * MIB) : 0}));
	const head = all.slice(0, 16);
	const end = startupEnd(head.map(p => p.rss), head.map(p => p.t), head.map(p => p.file));
	expect(all[end]!.t).toBeLessThan(1);
	expect(follow(head, end, all.slice(16)).loaded()).toBe(all[28]);
	// The same where memmon's first sample caught the shell alone (1.6 MiB), which has since grown by a
	// few pages (1.8 beside the test's Node as it starts).
	const shell = all.map((p, i) => i === 0 ? {...p, rss: Math.round(1.6 * MIB), file: 1.2 * MIB} : i === 27 ? {...p, rss: Math.round(28.6 * MIB)} : p);
	const shellHead = shell.slice(0, 16);
	expect(follow(shellHead, startupEnd(shellHead.map(p => p.rss), shellHead.map(p => p.t), shellHead.map(p => p.file)), shell.slice(16)).loaded()).toBe(shell[28]);
});

test('a build, then the test: wherever the samples fall on the build\'s exit and the test\'s start, start-up ends where the test has loaded', () => {
	// Every combination of: how high the build held, over how many samples it freed on its way out,
	// how long the script waited before the test (sh alone), whether the test's first sample came
	// with the build's last, over how many samples the test loaded, and its pace.
	let cases = 0;
	for (const held of [100, 200]) {
		for (const freeing of [0, 1, 2]) {
			for (const wait of [0, 1, 5, 20]) {
				for (const overlap of [false, true]) {
					for (const loading of [1, 2]) {
						for (const pace of [0.5, 2]) {
							const levels: number[] = [22, ...Array.from({length: 20}, () => held)];
							levels.push(...Array.from({length: freeing}, (_, i) => held - ((i + 1) * (held - 30) / (freeing + 1))));
							const starts: number[] = [];
							if (!overlap || wait > 0) {
								levels.push(...Array.from({length: wait}, () => 2));
							}

							// The test's first sample (as it execs, 20 MiB beside sh); with `overlap`, the build's last one too.
							starts.push(levels.length);
							levels.push(overlap && wait === 0 ? 20 + 30 : 22);
							levels.push(...Array.from({length: loading - 1}, (_, i) => 22 + ((i + 1) * 25 / loading)));
							const loadedAt = levels.length;
							levels.push(...rise(47, pace, 30));
							const all = mib(levels).map((rss, i) => ({t: i * 0.1, rss, started: starts.includes(i) ? 20 * MIB : 0}));
							const head = all.slice(0, 16);
							const loaded = follow(head, startupEnd(head.map(p => p.rss), head.map(p => p.t)), all.slice(16)).loaded();
							const label = JSON.stringify({held, freeing, wait, overlap, loading, pace});
							expect(loaded, label).toBeDefined();
							expect(Math.abs(all.indexOf(loaded!) - loadedAt), label).toBeLessThanOrEqual(1);
							cases++;
						}
					}
				}
			}
		}
	}

	expect(cases).toBe(192);
});

test('a program that had grown before memmon first read it counts from the level without it', () => {
	// `sh -c "gcc …; ./leaktest"` read every second (past the run's first 10 s): cc1 holds 220 MiB and
	// exits; the C test, first read at 15.2 MiB of the 60 it leaks, 1 MiB each 50 ms, beside sh (1.6).
	const at1s = (levels: readonly number[], starts: Readonly<Record<number, number>>): Array<{t: number; rss: number; started: number}> =>
		mib(levels).map((rss, i) => ({t: i, rss, started: (starts[i] ?? 0) * MIB}));
	const all = at1s([2.7, 65, 120, 180, ...Array.from({length: 14}, () => 220), 16.8, 35.9, 56, 63, 63], {1: 62, 18: 15.2});
	const head = all.slice(0, 16);
	const loaded = follow(head, startupEnd(head.map(p => p.rss), head.map(p => p.t)), all.slice(16)).loaded();
	expect(loaded).toMatchObject({t: 18, rss: all[18]!.rss - (15.2 * MIB)});
});

test('a process that loaded with a step, grew far and gave most of it back has not started again', () => {
	// A JVM: 8 MiB as it execs, 37 loaded; 2 GiB under a load spike, then G1 gives back all but 200 MiB,
	// and a leak goes on. Counted from 200 the first 163 MiB of it would go unseen.
	const head = points([8, 37, ...rise(38, 1, 14)]);
	expect(startupEnd(head.map(p => p.rss), head.map(p => p.t))).toBe(1);
	const later = points([...rise(100, 200, 10), ...Array.from({length: 10}, () => 2048), 200, ...rise(201, 1, 30)], 3.2);
	expect(follow(head, 1, later).loaded()).toBeUndefined();
	// Where the start-up showed no step (the same process loading at its own pace), the fall back to
	// within an eighth of the rise above where it began is a new start.
	const gradual = points([8, ...rise(20, 130, 15)]);
	expect(startupEnd(gradual.map(p => p.rss), gradual.map(p => p.t))).toBe(0);
	expect(follow(gradual, 0, later).loaded()).toBeDefined();
});

test('a program that frees its memory keeps its code: no new start-up where the file-backed RSS stays, one where it left with the level', () => {
	// A Node batch job as memmon sampled it: 21 MiB as it execs, its first batch built as it loads
	// (177 MiB), then given back every 90 s (54 MiB) and built again: its code (40 MiB) stays mapped.
	const withFile = (levels: readonly number[], files: readonly number[], from = 0): Array<{t: number; rss: number; file: number}> =>
		points(levels, from).map((p, i) => ({...p, file: mib([files[Math.min(i, files.length - 1)]!])[0]!}));
	const head = withFile([21, 62, 106, 142, 177, 178, 181, 180, 180, 184, 184, 184, 184, 184, 184, 184], [20, 40.6]);
	const end = startupEnd(head.map(p => p.rss), head.map(p => p.t));
	const cycle = (from: number, code: readonly number[]) => withFile([184, 54, ...Array.from({length: 20}, () => 54), 109, 175, ...Array.from({length: 16}, () => 178)], code, from);
	expect(follow(head, end, [...cycle(3.2, [40.6]), ...cycle(11, [40.6])]).loaded()).toBeUndefined();
	// The same levels where the code left with the fall and came back with the rise: a program exited
	// and the next loaded.
	const exited = cycle(3.2, [40.6, 20, ...Array.from({length: 20}, () => 20), 40.6]);
	expect(follow(head, end, exited).loaded()).toBe(exited[24]);
});

test('a program whose loading took longer than sixteen samples has loaded where its code is mapped, and the head waits for it', () => {
	// `sh -c "node steady.js 150 1 && node leaky.js 1024 50 3"` in a cgroup given a tenth of a core, at
	// 100 ms (t, total RSS, file-backed RSS, MiB): the first Node holds 194 MiB and exits; the test's
	// Node maps its code over 2.3 s with a pause, then keeps 2 MiB a sample. Its window of sixteen
	// samples ended before its code was mapped, and the start-up was read to end at 20.2 MiB: +77.6 MiB
	// for a test that kept 60.
	const rows = [[8.594, 4.6, 4.3], [8.701, 9.2, 8.9], [8.894, 12.6, 12.3], [8.9, 15.8, 15.1], [9.001, 20.2, 19.3], [9.1, 21.9, 20.6], [9.201, 22.4, 20.7], [9.301, 22.8, 20.8], [9.401, 22.8, 20.8], [9.502, 22.9, 20.8], [9.694, 25.9, 23.6], [9.794, 28.7, 26.2], [9.803, 29.5, 26.7], [9.901, 31.3, 27], [10.001, 33.4, 27.8], [10.194, 35.2, 29.2], [10.203, 39.6, 33.5], [10.301, 41.1, 34.9], [10.797, 42.6, 36], [10.8, 42.9, 36.2], [10.901, 45.5, 37], [11.001, 49.1, 37.1], [11.294, 50.1, 37.1], [11.394, 50.1, 37.1], [11.494, 51.6, 37.1], [11.501, 52.8, 37.1], [11.601, 53.7, 37.1], [11.701, 57.1, 37.1], [11.801, 57.2, 37.1], [11.901, 61.8, 37.1], [12.001, 64.5, 37.1], [12.101, 65.3, 37.1], [12.201, 68.3, 37.1], [12.301, 71.3, 37.1], [12.402, 75, 37.1], [12.5, 76.4, 37.2]] as const;
	const test = rows.map(([t, rss, file]) => ({t, rss: mib([rss])[0]!, file: mib([file])[0]!}));
	// Sixteen samples in, the code is still being mapped: the head goes on; once it has held near its
	// highest for three samples, it is full.
	expect(headFull(test.slice(0, 16))).toBe(false);
	const full = test.findIndex((_, i) => headFull(test.slice(0, i + 1)));
	expect(test[full]!.t).toBe(11.294);
	const end = startupEnd(test.map(p => p.rss), test.map(p => p.t), test.map(p => p.file));
	expect(test[end]!.rss).toBeGreaterThanOrEqual(mib([35])[0]!);
	expect(test[end]!.t).toBeLessThanOrEqual(10.301);
	// Read without the file-backed pages, it ends at the first stage.
	expect(test[startupEnd(test.map(p => p.rss), test.map(p => p.t))]!.rss).toBeLessThan(mib([23])[0]!);
	// Through a run: the first program's level, its exit, then the test's Node.
	const build = Array.from({length: 16}, (_, i) => ({t: 6.9 + (i * 0.1), rss: mib([194])[0]!, file: mib([38])[0]!}));
	const loaded = follow([{t: 0, rss: mib([2])[0]!, file: mib([1.5])[0]!}, ...build.slice(0, 15)], 1, [...build.slice(15), ...test]).loaded();
	expect(loaded!.t).toBeGreaterThanOrEqual(10.194);
	expect(loaded!.t).toBeLessThanOrEqual(10.301);
});

test('a program that reads a data file through mmap as it goes is no code being mapped: its start-up is as without', () => {
	// mmap-reader.py at 200 ms: Python loads (3 → 14 MiB), then maps 10 MiB/s of a data file from 1.4 s.
	const rss = mib([3, 14, ...Array.from({length: 5}, () => 14.1), ...rise(16, 2, 20)]);
	const file = mib([2.5, 6, ...Array.from({length: 5}, () => 6), ...rise(8, 2, 20)]);
	const t = rss.map((_, i) => i * 0.2);
	const head = rss.map((value, i) => ({t: t[i]!, rss: value, file: file[i]}));
	// Its head waits while the file-backed RSS rises, to five seconds.
	expect(headFull(head.slice(0, 16))).toBe(false);
	expect(headFull(head.slice(0, 25))).toBe(false);
	expect(headFull(head.slice(0, 26))).toBe(true);
	for (const n of [16, 26]) {
		expect(startupEnd(rss.slice(0, n), t, file)).toBe(startupEnd(rss.slice(0, n), t));
		expect(startupEnd(rss.slice(0, n), t, file)).toBe(1);
	}
});
