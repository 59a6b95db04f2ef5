/**
A spawned command's start-up step. memmon takes its first sample as the command execs, before its
runtime has loaded: Node reads 12–20 MiB there and 40–50 MiB a tenth of a second later, a JVM
8 MiB then 37, Python 3 then 14 over two samples. That step is the runtime, not the workload, yet
"growth since the first sample" counted it: a Node test that kept 20 MiB read +38 MiB, a JVM's
+58, and a 50 MB gate failed a test that grew by half of it.
*/
import {medianInPlace} from './theil-sen.js';

/** How many leading samples the start-up is looked for in (the store keeps them). */
export const STARTUP_HEAD = 16;

/** At most this many leading rises are start-up. */
const MAX_STEPS = 4;

/** A start-up rise is more than this many times the typical rise after it… */
const STEP_RATIO = 4;

/** …and more than this, bytes: a few pages of jitter are no step. */
const STEP_FLOOR = 256 * 1024;

/**
The index of the first sample past the start-up step, in the leading samples `rss` (at most
STARTUP_HEAD): the leading rises each more than STEP_RATIO times the median rise between the
samples after the first (as large as the step when the run is mostly start-up, so then none is
one) and more than STEP_FLOOR. 0 when there is none, and with fewer than four samples.
*/
export function startupEnd(rss: ArrayLike<number>): number {
	const n = Math.min(rss.length, STARTUP_HEAD);
	if (n < 4) {
		return 0;
	}

	const rises = new Float64Array(n - 2);
	for (let i = 1; i < n - 1; i++) {
		rises[i - 1] = Math.abs(rss[i + 1]! - rss[i]!);
	}

	const typical = medianInPlace(rises);
	let end = 0;
	while (end < Math.min(MAX_STEPS, n - 3) && rss[end + 1]! - rss[end]! > Math.max(STEP_RATIO * typical, STEP_FLOOR)) {
		end++;
	}

	return end;
}
