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
