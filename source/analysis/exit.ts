/**
A program freeing its memory on its way out: the last samples of a run, or of a process, fall far
below the level its work reached. On a CI runner given a tenth of a core a test's Node took five
samples at 100 ms to free the 60 MiB it kept as it exited, and an end level taken over them read
+4.1 MiB for 60.
*/

/** A fall in the last this many seconds… */
const EXIT_SECONDS = 2;

/** …where each level is at most this much above the one before (a few pages as it waits to be reaped)… */
const EXIT_JITTER = 256 * 1024;

/** …and that falls by more than this in all: a walk of a few pages each way is no exit. */
const EXIT_FALL = 1024 * 1024;

/**
How many of `n` levels (oldest first; `level(i)`, taken at `time(i)` seconds) come before a fall on
the way out: the last ones within EXIT_SECONDS of `end`, each to or below the one
before give or take EXIT_JITTER, by more than EXIT_FALL in all, from a level no lower than the one
before it. `n` where there is none.
*/
export function beforeExit(n: number, level: (i: number) => number, time: (i: number) => number, end: number): number {
	let keep = n;
	while (keep >= 2 && level(keep - 1) <= level(keep - 2) + EXIT_JITTER && end - time(keep - 1) <= EXIT_SECONDS) {
		keep--;
	}

	// From a level the work reached, not one it was already falling to (a fall that began earlier is where it went).
	const fromWork = keep >= 2 && level(keep - 1) >= level(keep - 2) - EXIT_JITTER;
	return keep < n && fromWork && level(keep - 1) - level(n - 1) > EXIT_FALL ? keep : n;
}

/** How many of the last readings the end level is the median of, where that is higher than the last… */
const RECENT = 3;

/** …before a fall on the way out (the last 2 s: 20 readings at 100 ms). */
export const EXIT_READINGS = 20;

/** The readings `levelAtEnd` looks at: the last this many. */
export const END_READINGS = RECENT + EXIT_READINGS;

/**
The level a process, or the tree, ended at: its last reading, or the median of the RECENT before a
fall on its way out (`beforeExit`), where higher — one read as it exits, freeing, is not its level.
`readings`: the last ones (END_READINGS are enough), oldest first; `end`: when the last was taken.
*/
export function levelAtEnd(readings: ReadonlyArray<{readonly t: number; readonly rss: number}>, end: number): number {
	const kept = beforeExit(readings.length, i => readings[i]!.rss, i => readings[i]!.t, end);
	const sorted = readings.slice(0, kept).slice(-RECENT).map(reading => reading.rss).sort((a, b) => a - b);
	return Math.max(readings.at(-1)!.rss, sorted[sorted.length >> 1]!);
}

/** A process as processes.csv keeps it: enough to tell where the work ended. */
export type EndedProcess = {readonly pid: number; readonly name: string; readonly firstSeconds: number; readonly lastSeconds: number; readonly lastRss: number};

/** Where the work ended: the process whose exit took most of the tree with it, when it was last read, and where its level counted from (its program loaded). */
export type WorkEnd = {readonly t: number; readonly pid: number; readonly name: string; readonly from: number};

/**
Where the work ended, when it ended before the run did: the latest process to end (read last
before `latest`, by default the latest reading any process has) that held at least half the tree's RSS (`treeAt`, the
tree's level at a time) at its last reading. A command that goes on after its workload
(`sh -c 'node test.js; sleep 100'`) is back at the shell's level by the end, and growth to that
level read "PASS −42.8 MiB" for a test whose Node kept 60. Whether it was the work (its program
loaded as the run's start-up ended) and the tree stayed idle after it is for the caller (gates.ts
totalGrowth).
*/
export function workEndOf(processes: readonly EndedProcess[], treeAt: (t: number) => number | undefined, latest = Math.max(...processes.map(process => process.lastSeconds))): WorkEnd | undefined {
	let found: WorkEnd | undefined;
	for (const {pid, name, firstSeconds, lastSeconds, lastRss} of processes) {
		const tree = lastSeconds < latest && (found === undefined || lastSeconds > found.t) ? treeAt(lastSeconds) : undefined;
		if (tree !== undefined && lastRss >= tree / 2) {
			found = {t: lastSeconds, pid, name, from: firstSeconds};
		}
	}

	return found;
}
