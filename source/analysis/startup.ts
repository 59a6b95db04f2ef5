/**
A spawned command's start-up step. memmon takes its first sample as the command execs, before its
runtime has loaded: Node reads 12–20 MiB there and 40–50 MiB a tenth of a second later, a JVM
8 MiB then 37, Python 3 then 14 over two samples. That step is the runtime, not the workload, yet
"growth since the first sample" counted it: a Node test that kept 20 MiB read +38 MiB, a JVM's
+58, and a 50 MB gate failed a test that grew by half of it.
*/
import {medianInPlace} from './theil-sen.js';

/** How many samples the start-up step is looked for in, from the first (or from where its code was mapped). */
export const STARTUP_HEAD = 16;

/**
A head (the samples a start-up is found in) holds STARTUP_HEAD samples, and more while the program's
code is still being mapped (its file-backed RSS still rising to its highest), up to HEAD_SECONDS
from its first and MAX_HEAD samples: on a CI runner given a tenth of a core a test's Node took 2.3 s
to load, past the sixteenth sample at 100 ms, and the rest of its loading read as growth.
*/
export const HEAD_SECONDS = 5;
export const MAX_HEAD = 64;

/** Whether a head has all the samples it keeps. */
export function headFull(head: ReadonlyArray<{readonly t: number; readonly file?: number | undefined}>): boolean {
	if (head.length >= MAX_HEAD || (head.length >= STARTUP_HEAD && head.at(-1)!.t - head[0]!.t >= HEAD_SECONDS - 1e-9)) {
		return true;
	}

	return head.length >= STARTUP_HEAD && !mappingUnderWay(head.map(p => p.file), head.length);
}

/** The file-backed RSS within this much (or a quarter of its rise in the head) of its highest: the program's code has been mapped… */
const FILE_NEAR = 1024 * 1024;

/**
…where it rose by more than this from the head's first sample (StartupRestarts: since the latest
start-up ended): a program's code being mapped (Node maps 17–26 MiB as it loads). A runtime paging
in more of its code as it goes maps less: Node 24, 5.5 MiB 0.6 s after it had loaded…
*/
const CODE_STEP = 8 * 1024 * 1024;

/** …and then rises this many times slower than it had, over three samples at least: mapped once, not a file read as the program works. */
const FLATTER = 4;

/**
Where a head's file-backed RSS `file` (its first `n`) first came within FILE_NEAR or a quarter of
its rise of its highest (`near`), and within FILE_NEAR alone (`close`), where it rose by more than
CODE_STEP to there: a program's code mapped. Undefined where it was not read, or rose less.
*/
function codeRise(file: ArrayLike<number | undefined> | undefined, n: number): {near: number; close: number} | undefined {
	if (file === undefined || n === 0) {
		return undefined;
	}

	let top = Number.NEGATIVE_INFINITY;
	for (let i = 0; i < n; i++) {
		const value = file[i];
		if (value === undefined) {
			return undefined;
		}

		top = Math.max(top, value);
	}

	let near = 0;
	while (file[near]! < top - Math.max(FILE_NEAR, (top - file[0]!) / 4)) {
		near++;
	}

	let close = near;
	while (file[close]! < top - FILE_NEAR) {
		close++;
	}

	return file[near]! - file[0]! > CODE_STEP ? {near, close} : undefined;
}

/** Whether a head's program is still mapping its code: its file-backed RSS rose by more than CODE_STEP, and by more than FILE_NEAR over its last three samples. */
function mappingUnderWay(file: ArrayLike<number | undefined> | undefined, n: number): boolean {
	return n >= 4 && codeRise(file, n) !== undefined && file![n - 1]! - file![n - 4]! > FILE_NEAR;
}

/**
The index of the first sample where the program's code had been mapped, in a head's file-backed
RSS `file` (its first `n`) taken at times `t`: where it came near its highest (codeRise), where it
has since held (mappingUnderWay no more), rising from within FILE_NEAR of its highest at most a
FLATTER-th as fast as it had risen to there. 0 where it was not read, or rose no such way (a program
reading a data file through mmap as it goes rises evenly).
*/
function codeMapped(file: ArrayLike<number | undefined> | undefined, t: ArrayLike<number> | undefined, n: number): number {
	const rise = codeRise(file, n);
	const last = n - 1;
	if (rise === undefined || rise.near === 0 || last - rise.close < 3 || mappingUnderWay(file, n)) {
		return 0;
	}

	const at = (i: number): number => t?.[i] ?? i;
	const {near, close} = rise;
	const before = (file![close]! - file![0]!) / (at(close) - at(0));
	const after = (file![last]! - file![close]!) / (at(last) - at(close));
	return after * FLATTER < before ? near : 0;
}

/** At most this many leading samples are start-up… */
const MAX_STEPS = 4;

/**
…or, while the step is still under way at the last of them (its rise, or one of the next PAUSE_SAMPLES', a step itself), up to this many
seconds from the first: on a loaded machine (a CI runner with a cold disk, many jobs) Node took a
second to load, and the fourth sample at 200 ms caught it half-way.
*/
const MAX_STEP_SECONDS = 2;

/** A step still under way may pause for this many samples (Node loading in two stages on a loaded machine). */
const PAUSE_SAMPLES = 2;

/** The start-up rose more than this many typical rises above the workload's own pace… */
const STEP_RATIO = 2;

/** …and more than this, bytes: a few pages of jitter are no step. */
const STEP_FLOOR = 256 * 1024;

/**
The index of the first sample past the start-up step, in a head's samples `rss` (at most MAX_HEAD),
taken at times `t` (seconds; without them, by count alone), with their file-backed RSS `file`
(where read). Where the program's code was mapped late in the head (codeMapped: its loading paused,
on a loaded machine, for a second or more), the step is looked for from the sample before that,
and ends there at the earliest; otherwise from the first. In the STARTUP_HEAD samples from there,
the workload's own pace is the median rise between the samples after the first; the step ends
where the rise from the first sample stands highest above that pace (the excess), within the first
MAX_STEPS samples, or more while the step goes on, or the file-backed RSS has a step still to come
(up to MAX_STEP_SECONDS; a later sample by a margin), and counts only if that excess is more than
STEP_RATIO times the typical rise (the median of their sizes) and more than STEP_FLOOR. Summed, a step that two samples split (Node's loading, half in each, beside a
workload growing half as fast) is still one. 0 when there is none, and with fewer than four
samples; three samples are always left after it.
*/
export function startupEnd(rss: ArrayLike<number>, t?: ArrayLike<number>, file?: ArrayLike<number | undefined>): number {
	const mapped = codeMapped(file, t, Math.min(rss.length, MAX_HEAD));
	if (mapped === 0) {
		return stepEnd(rss, t, file);
	}

	const from = mapped - 1;
	const slice = <T>(values: ArrayLike<T>): T[] => Array.prototype.slice.call(values, from, from + STARTUP_HEAD) as T[];
	return Math.max(from + stepEnd(slice(rss), t && slice(t), file && slice(file)), mapped);
}

/** startupEnd in the first STARTUP_HEAD samples. */
function stepEnd(rss: ArrayLike<number>, t?: ArrayLike<number>, file?: ArrayLike<number | undefined>): number {
	const n = Math.min(rss.length, STARTUP_HEAD);
	if (n < 4) {
		return 0;
	}

	// Rises per typical interval: samples come unevenly on a loaded machine (100 ms apart, then a
	// timer half a second late), and a leak's rise over a long gap is its pace, not a step. Counted
	// per sample, a Node test leaking 20 MiB/s whose samples stalled every fourth read had its
	// start-up end at 0.9 s, and 18 MiB of its leak not counted. A sample sooner than the typical
	// interval (a mark's, or the level without a program that started, taken at the same moment)
	// still counts as one.
	const at = (i: number): number => t?.[i] ?? i;
	const gaps = new Float64Array(n - 2);
	for (let i = 1; i < n - 1; i++) {
		gaps[i - 1] = at(i + 1) - at(i);
	}

	const interval = medianInPlace(gaps.slice());
	const intervals = (i: number): number => interval > 0 ? Math.max(1, (at(i) - at(i - 1)) / interval) : 1;
	const rises = new Float64Array(n - 2);
	for (let i = 1; i < n - 1; i++) {
		rises[i - 1] = (rss[i + 1]! - rss[i]!) / intervals(i + 1);
	}

	// The workload's pace per typical interval, and what it adds from sample `from` to sample `to`.
	const pace = Math.max(medianInPlace(rises.slice()), 0);
	const paced = (from: number, to: number): number => {
		let sum = 0;
		for (let i = from + 1; i <= to; i++) {
			sum += intervals(i);
		}

		return pace * sum;
	};
	const typical = medianInPlace(rises.map(Math.abs));
	// A later sample ends the step only if it stands higher by half a typical rise (and a few pages):
	// the workload's first samples, at its own pace give or take, are not start-up.
	const margin = Math.max(typical / 2, STEP_FLOOR / 4);
	const step = Math.max(STEP_RATIO * typical, STEP_FLOOR);
	let maxSteps = Math.min(MAX_STEPS, n - 3);
	// Loading maps the runtime's code from files: while the file-backed RSS has a step still to come in
	// the head, the start-up is under way, however long its pause. A test keeping 20 MiB a second from its
	// first tick paused for three samples in its Node's loading on a loaded CI runner (21.6, 22.4, 22.8,
	// 22.9, then 29.0 … 44.4 MiB, Node's code pages most of it), and the rest of the loading read as
	// growth: +78.6 MiB for 60. (A leak keeps anonymous memory: it moves no file-backed pages.)
	const mapping = (k: number): boolean => {
		const now = file?.[k];
		if (now === undefined) {
			return false;
		}

		for (let i = k + 1; i < n; i++) {
			const later = file![i];
			if (later !== undefined && later - now > step) {
				return true;
			}
		}

		return false;
	};
	// Under way: the last sample's rise, or one of the next PAUSE_SAMPLES', is a step. Node loading on a
	// loaded CI runner paused half-way, for a sample (19, 22.4, 22.9, 35, 45 MiB at 100 ms) or two
	// (21.8, 22.5, 22.8, 33.8, 43.1): ended at the pause, the rest of its loading counted as growth
	// (+81.8 MiB for a test that kept 60), or was cut as a warm-up with a third of a second of the leak.
	// Loading gives nothing back: where the level has fallen from its highest, the step is over (a Python
	// test whose first samples had a 21-MiB child beside it, gone by the third, and the next child a
	// second in, is no step under way).
	const rising = (k: number): boolean => {
		let top = 0;
		for (let i = 0; i < k; i++) {
			top = Math.max(top, rss[i]!);
		}

		if (rss[k]! < top - step) {
			return false;
		}

		for (let i = k; i <= k + PAUSE_SAMPLES; i++) {
			if (rss[i]! - rss[i - 1]! - paced(i - 1, i) > step) {
				return true;
			}
		}

		return mapping(k);
	};

	while (t !== undefined && maxSteps < n - 3 && t[maxSteps + 1]! - t[0]! <= MAX_STEP_SECONDS && rising(maxSteps)) {
		maxSteps++;
	}

	let end = 0;
	let highest = 0;
	for (let k = 1; k <= maxSteps; k++) {
		const excess = rss[k]! - rss[0]! - paced(0, k);
		if (excess > highest + (end === 0 ? 0 : margin)) {
			highest = excess;
			end = k;
		}
	}

	return highest > step ? end : 0;
}

/** startupEnd of samples as the store keeps them: their RSS, times and file-backed RSS. */
export function startupEndOf(points: ReadonlyArray<{readonly t: number; readonly rss: number; readonly file?: number | undefined}>): number {
	return startupEnd(points.map(p => p.rss), points.map(p => p.t), points.map(p => p.file));
}

/** …within this many seconds of where the latest start-up began: later, code a program maps as it goes (a module loaded on first use) is its own. */
const CODE_SECONDS = 10;

/** How many start-ups that began again are kept (the latest). */
const MAX_RESTARTS = 64;

/**
A start-up the run gave back, or one a later program made. A command's first program is not always
its workload: `npm run` with a pretest build, `make` compiling before its test, a script that sets
up, or waits for a service, and then starts the program under test. The build's 200 MiB was taken
for the runtime's loading, and when it exited the run read "Growth −43 MiB since start-up ended"
for a test that kept 85: a leak gate passed it. And `sh -c "sleep 3; node test.js"` counted the
test's Node loading (45 MiB) as growth.

Two things begin a start-up again; it then ends where the program has loaded (startupEnd over the
head from its beginning (headFull); from four on, while they are still coming):
- A fall: the level falls more than half the start-up step below the level once loaded, or, where
  that start-up showed no step, back to within an eighth of the highest rise above where it began
  (the programs that made it have exited; on a loaded CI runner a build filled its 150 MiB over a
  second and a half, no step stood out of that pace, and its exit went unseen). It begins at the
  fall's lowest sample. Where programs started in the sample, so is the level without them back
  within an eighth of the step of where the latest start-up began (the next program came in the
  same sample, half loaded, as the last one left). A fall that nothing follows (a program freeing
  its memory on the way out, a run that ends in it) moves nothing: the fall's samples are taken
  while the level still falls, and fewer than four after it say nothing. The half is of the largest step seen, and at least STEP_FLOOR: a
  process's own ups and downs around its level are not a new start.
- A program starting (a new process, an exec: the sample's `started`, their RSS) while the level
  is still within half a step of where the latest start-up from a fall, or the command's, had
  loaded. It counts only where a step follows and holds (a helper that ran and exited is no
  start-up), and the level it is measured from stays: a test that leaks and shells out as it goes
  cannot walk the start-up along with it.
  So does a program's code mapped (the file-backed RSS up by more than CODE_STEP since the latest
  start-up ended) where no start-up is under way, within CODE_SECONDS of where the latest one began,
  with the rest of its RSS (anonymous, shared) within half its step of where it loaded: a loading
  that paused for longer than a start-up's window.
Where programs started in a sample, the start-up begins at that sample's level without them (they
may have loaded, or leaked, before memmon first read them), and a fall's with it: on Node 24 the
test's Node exec'd as the build left, and begun at the sample before, the fall's lowest level was
missed and the build's leaving level taken for the baseline.
*/
export class StartupRestarts<P extends {readonly t: number; readonly rss: number; readonly file?: number | undefined; readonly started?: number | undefined}> {
	/** Where the latest start-up began (the command's exec, or a fall's lowest sample). */
	#exec: number;
	/** The level once loaded, of the latest start-up. */
	#level: number;
	/** The highest level since the latest start-up from a fall ended (or the command's). */
	#high: number;
	/** The latest start-up (the command's, or a fall's) showed no step: it loaded at its own pace. */
	#gradual: boolean;
	/** The largest start-up step seen (bytes). */
	#scale: number;
	/** A program that starts below this level begins a start-up again (half a step above the command's, or a fall's, loaded level). */
	#programBelow: number;
	/** The highest file-backed RSS since the latest start-up ended (undefined where not read): a program that exits takes its code with it. */
	#fileHigh: number | undefined;
	/** The sample before the latest one. */
	#previous: P;
	/** The latest sample (from where the latest start-up ended, with none under way) whose file-backed RSS was still within FILE_NEAR of that start-up's: where its code mapping went on from. */
	#unmapped: P | undefined;
	/** The samples of a start-up under way, from where it began; undefined while none is. */
	#fall: P[] | undefined;
	/** Whether the one under way began with a program starting (not a fall). */
	#byProgram = false;
	/** The latest start-up that ended (the command's, a fall's or a program's): when it began, its level once loaded, its step. */
	#latest: {began: number; level: number; step: number; file: number | undefined};
	/** The start-ups that began again and ended: each one's samples and where its step ended, oldest first. */
	readonly #settled: Array<{readonly fall: readonly P[]; readonly end: number}> = [];

	/**
	`exec`: the command's first sample; `loaded`: the first past its start-up step; `level`: the level
	once loaded (bytes; default `loaded`'s; the store gives the median of its head from there where
	lower): a Python test that ran a 21-MiB child each second was first read with one beside it
	(36 MiB, then 14.7), and that level made each child's exit a fall.
	*/
	constructor(exec: P, loaded: P, level = loaded.rss) {
		this.#exec = exec.rss;
		this.#level = level;
		this.#high = Math.max(loaded.rss, level);
		this.#gradual = loaded === exec;
		this.#scale = Math.max(level - exec.rss, STEP_FLOOR);
		this.#programBelow = level + (this.#scale / 2);
		this.#previous = loaded;
		this.#fileHigh = loaded.file;
		this.#latest = {began: exec.t, level, step: level - exec.rss, file: loaded.file};
		this.#unmapped = loaded;
	}

	/** A sample after the latest start-up's end. */
	add(point: P): void {
		const previous = this.#previous;
		this.#previous = point;
		this.#high = Math.max(this.#high, point.rss);
		// Back near where it began, where the start-up showed no step to measure a fall by. (Not after
		// one that did: a JVM that loaded at 37 MiB, grew to 2 GiB under load and gave most of it back
		// has not started again.)
		const near = this.#gradual ? this.#exec + ((this.#high - this.#exec) / 8) : Number.NEGATIVE_INFINITY;
		const started = point.started ?? 0;
		// A program that exits takes its code (file-backed pages) with it; one that frees its memory keeps
		// them: a Node batch job whose first batch filled its heap as it loaded gave 120 MiB back each 90
		// seconds, and each batch after that read as a program loading ("±0 B since start-up ended at
		// 6m 05s"). Where the file-backed RSS was not read, or a program started, a fall is one as before.
		const fileHigh = this.#fileHigh;
		const codeLeft = point.file === undefined || fileHigh === undefined || point.file < fileHigh - FILE_NEAR || started > 0;
		this.#fileHigh = point.file === undefined || fileHigh === undefined ? undefined : Math.max(fileHigh, point.file);
		// Where programs started in this sample, also the level without them back near where the latest
		// start-up began (within an eighth of its step: a shell's few pages more): all it had loaded has
		// gone. On Node 24 under CI's load, memmon read the command's Node at 7.0 MiB as it exec'd and
		// loaded by 42.8; the test's Node started as the first left, with 26.8 MiB already in (28.4 in
		// all), above the fall's bound (24.9) and read in no sample of its own, and growth counted from
		// the first program's loading.
		const gone = started > 0 && point.rss - started <= this.#exec + Math.max((this.#level - this.#exec) / 8, STEP_FLOOR);
		const falls = codeLeft && (point.rss < Math.max(this.#level - (this.#scale / 2), near) || gone);
		// Code mapped since the latest start-up ended, with none under way: a program's loading that paused
		// past its window (a loaded CI runner read a test's Node at 20 MiB as it exec'd and loaded it 2 s
		// later: its 23 MiB of loading read as growth; given 6% of a core, its loading paused for 1.2 s and
		// went on over another 1.8). Only soon after that start-up began, and while what the program keeps
		// besides its code is still within half a step of where it loaded.
		const latest = this.#latest;
		const mapped = this.#fall === undefined && point.file !== undefined && previous.file !== undefined && latest.file !== undefined && point.file - latest.file > CODE_STEP
			&& point.t - latest.began <= CODE_SECONDS && previous.rss - previous.file < latest.level - latest.file + (Math.max(latest.step, STEP_FLOOR) / 2);
		const resumed = this.#unmapped ?? previous;
		if (mapped) {
			// Counted once: the code from here on is measured from this sample's.
			latest.file = point.file;
			this.#unmapped = undefined;
		} else if (this.#fall === undefined && point.file !== undefined && latest.file !== undefined && point.file <= latest.file + FILE_NEAR) {
			this.#unmapped = point;
		}
		// Where programs started since the sample before, the level without them: where their start-up
		// begins. A C test that leaked 15 MiB before its first sample (memmon reads every second from
		// 10 s on) had them counted as its level at start: +42.7 MiB for 60.
		// Its file-backed RSS: the lower of the sample before's and this one's (a program that exited as
		// the next started took its code with it: given a tenth of a core, a test's Node exec'd as the
		// build's left, and counted from the build's 36.7 MiB of code its own 37 showed no mapping).
		const unloaded = point.file === undefined || previous.file === undefined ? undefined : Math.min(point.file, previous.file);
		const without = started > 0 ? [{...point, rss: point.rss - started, file: unloaded, started: 0}, point] : [point];
		if (falls && (this.#fall === undefined || this.#byProgram)) {
			// A fall, also where the next program started in the same sample (a build exits, the test starts).
			this.#fall = without;
			this.#byProgram = false;
			return;
		}

		if ((started > 0 && previous.rss < this.#programBelow) || mapped) {
			// A start-up under way from a fall stays one (its programs may take a while to begin).
			this.#byProgram = this.#fall === undefined || this.#byProgram;
			// (Code mapped since the loaded level: from the sample before the mapping went on.)
			this.#fall = started > 0 ? without : (resumed === previous ? [previous, point] : [resumed, previous, point]);
			return;
		}

		const fall = this.#fall;
		if (fall === undefined) {
			return;
		}

		// (A window begun at a level without the programs that started: its first two share their time.)
		if ((fall.length === 1 || (fall.length === 2 && fall[0]!.t === fall[1]!.t)) && point.rss <= fall.at(-1)!.rss) {
			// Still falling (a program leaving as the next starts): start-up begins again at the lowest sample.
			this.#fall = without;
			return;
		}

		fall.push(point);
		if (headFull(fall)) {
			this.#fall = undefined;
			const end = this.#endOf(fall);
			if (end === undefined) {
				return;
			}

			if (!this.#byProgram) {
				// What a fall is measured from. A program's start leaves it: a leaking Python test that ran
				// a 21-MiB child every second, read with one in seven samples in a row, fell each time the
				// children stopped, and the start-up walked along with the leak ("+968 KiB" for 40 MiB).
				// Such a program's exit is seen as a fall back near where the command began.
				const step = fall[end]!.rss - fall[0]!.rss;
				this.#scale = Math.max(this.#scale, step);
				this.#exec = fall[0]!.rss;
				this.#level = fall[end]!.rss;
				this.#high = Math.max(...fall.slice(end).map(p => p.rss));
				this.#gradual = end === 0;
				this.#programBelow = this.#level + (Math.max(step, STEP_FLOOR) / 2);
			}

			this.#latest = {began: fall[0]!.t, level: fall[end]!.rss, step: fall[end]!.rss - fall[0]!.rss, file: fall[end]!.file};
			this.#fileHigh = fall.at(-1)!.file === undefined ? undefined : Math.max(...fall.slice(end).map(p => p.file ?? 0));
			this.#unmapped = fall[end];
			this.#settled.push({fall, end});
			if (this.#settled.length > MAX_RESTARTS) {
				this.#settled.shift();
			}
		}
	}

	/**
	Where the step of a start-up's samples ended; undefined for one a program began where no step
	followed, or where the level did not hold (a sample after the step more than half the step below
	its top: a helper that ran and exited, seen in one sample beside a test that leaks, is no step).
	*/
	#endOf(fall: readonly P[]): number | undefined {
		const end = startupEndOf(fall);
		if (!this.#byProgram) {
			return end;
		}

		if (end === 0) {
			return undefined;
		}

		const top = fall[end]!.rss;
		const low = Math.min(...fall.slice(end + 1).map(p => p.rss));
		return low >= top - ((top - fall[0]!.rss) / 2) ? end : undefined;
	}

	/**
	The first sample past the latest start-up that began again before `before` (seconds: where the
	workload said it was running, --ops-pattern's first count; a fall after that is the workload's
	own), and by then at the latest; undefined where none did.
	*/
	loaded(before = Number.POSITIVE_INFINITY): P | undefined {
		const current = this.#fall;
		if (current !== undefined && current.length >= 4 && current[0]!.t < before) {
			const end = this.#endOf(current);
			if (end !== undefined) {
				return loadedBy(current, end, before);
			}
		}

		for (let i = this.#settled.length - 1; i >= 0; i--) {
			const {fall, end} = this.#settled[i]!;
			if (fall[0]!.t < before) {
				return loadedBy(fall, end, before);
			}
		}

		return undefined;
	}
}

/** The sample where a fall's start-up step ended, or the first from `before` on where that is sooner. */
function loadedBy<P extends {readonly t: number}>(fall: readonly P[], end: number, before: number): P {
	const by = fall.findIndex(p => p.t >= before);
	return fall[by >= 0 ? Math.min(end, by) : end]!;
}
