/**
Shapes in a window of levels that a straight line's rate misses: the net rise between its ends,
a rise still slowing down (a warm-up's tail), slow wander (bounds from block medians), a rise
concentrated in a tenth of the time (a jump, not a leak), and where steady growth began.
*/
import {leastSquaresRate, RunningLine} from './least-squares.js';
import {MIN_POINTS, senLevel, Z95} from './robust-rate.js';
import {scratch, scratchCopy} from './scratch.js';
import {medianInPlace} from './theil-sen.js';

/** The rate between the medians of a window's first and last fifth (per second): blind to the line's shape, so steps and curves show in it. */
export function netRate(t: Float64Array, y: Float64Array): number {
	const k = Math.max(1, Math.floor(t.length / 5));
	const head = scratchCopy('net.head', y.subarray(0, k));
	const tail = scratchCopy('net.tail', y.subarray(t.length - k));
	const dt = ((t[t.length - 1]! + t[t.length - k]!) - (t[k - 1]! + t[0]!)) / 2;
	return dt > 0 ? (medianInPlace(tail) - medianInPlace(head)) / dt : 0;
}

/**
A rise still slowing down: the last third rises at under 3/4 of the rate of the third before it,
even at its upper 95% bound.
A leak holds its rate (a ratio near 1); a warm-up — a heap growing to its size, a cache or
keyspace filling — keeps slowing until it is flat (growth like log t gives ~0.58, an exponential
less). Checked on the analysed window and on the whole run, whose early thirds the warm-up cut
may have dropped.
*/
const DECELERATION = 0.75;

export function decelerating(t: Float64Array, y: Float64Array): boolean {
	const n = t.length;
	const third = Math.floor(n / 3);
	if (third < MIN_POINTS) {
		return false;
	}

	const before = senLevel(t.subarray(n - (2 * third), n - third), y.subarray(n - (2 * third), n - third));
	return upperSlope(t.subarray(n - third), y.subarray(n - third)) < DECELERATION * before.slope;
}

/** Blocks for the wander guard: few enough that neighbours' noise is nearly independent. */
const BLOCKS = 8;

/** Theil–Sen bounds (per second) over the medians of BLOCKS equal blocks of the window, at their mean times. */
export function blockBounds(t: Float64Array, y: Float64Array): {low: number; high: number} | undefined {
	const n = t.length;
	if (n < BLOCKS * 4) {
		return undefined;
	}

	const bt = scratch('blocks.t', BLOCKS);
	const by = scratch('blocks.y', BLOCKS);
	for (let b = 0; b < BLOCKS; b++) {
		const from = Math.floor(b * n / BLOCKS);
		const to = Math.floor((b + 1) * n / BLOCKS);
		let sum = 0;
		for (let i = from; i < to; i++) {
			sum += t[i]!;
		}

		bt[b] = sum / (to - from);
		by[b] = medianInPlace(scratchCopy('blocks.part', y.subarray(from, to)));
	}

	// Blocks are as good as independent: no autocorrelation inflation, which eight points cannot estimate.
	const {low, high} = senLevel(bt, by, Z95, undefined, false);
	return {low, high};
}

/** True when at least half of the window's net rise happens within a tenth of its time. */
export function concentratedRise(t: Float64Array, y: Float64Array): boolean {
	const n = t.length;
	const k = Math.max(1, Math.floor(n / 10));
	const net = netRate(t, y) * (t[n - 1]! - t[0]!);
	if (n < MIN_POINTS || net <= 0) {
		return false;
	}

	// The largest rise from the median of one tenth to the median of the next.
	let largest = 0;
	let previous: number | undefined;
	for (let from = 0; from + k <= n; from += k) {
		const level = medianInPlace(scratchCopy('jump.part', y.subarray(from, from + k)));
		if (previous !== undefined) {
			largest = Math.max(largest, level - previous);
		}

		previous = level;
	}

	return largest >= 0.5 * net;
}

/**
A rise that has stopped: over the last STALL_SECONDS the levels rise at under STALL_FRACTION of
the window's rate (`rate`, per second), even at their upper 95% bound, in a run at least twice
that long. A leak keeps its rate; a heap that grew in steps for most of an hour and then stopped
does not (a healthy Node job worker on Node 24: 58 → 120 MiB over 45 minutes, flat since, read
+65 MiB/h as a whole). Checked on the whole run: the warm-up cut may sit anywhere. In runs so
long that 15 minutes hold fewer than MIN_POINTS levels (buckets of 128 s, a run over about 9 hours)
it does not apply; the slowing-down check (`decelerating`) still does.
Where the levels are bucket minima of a GC sawtooth (`cycle`: its period, seconds, too few floors
yet to read), each cycle's ramp rises on its own, and a slow cycle's ramps keep the last 15
minutes' upper bound high while the floors hold: a healthy Node 26 job worker, its heap stepped
25 MiB at minute 42 and level after, its 6.7-minute sawtooth rising 1 MiB a minute, read
+60 MiB/h to minute 68 and would have ended FAILURE at 65. So the check is also made on the
lowest level over the cycle before each point, which does not ramp.
*/
const STALL_SECONDS = 15 * 60;
const STALL_FRACTION = 0.25;

export function stalled(t: Float64Array, y: Float64Array, rate: number, cycle?: number): boolean {
	const n = t.length;
	if (n === 0 || t[n - 1]! - t[0]! < 2 * STALL_SECONDS) {
		return false;
	}

	let from = n;
	while (from > 0 && t[from - 1]! >= t[n - 1]! - STALL_SECONDS) {
		from--;
	}

	if (n - from < MIN_POINTS) {
		return false;
	}

	if (upperSlope(t.subarray(from), y.subarray(from)) < STALL_FRACTION * rate) {
		return true;
	}

	if (cycle === undefined || cycle <= 0 || cycle > STALL_SECONDS / 2) {
		return false;
	}

	// A sawtooth's ramps rise within each cycle: the lowest level over the cycle before each point.
	const floor = scratch('stall.floor', n - from);
	let start = 0;
	while (start < n && t[start]! < t[from]! - cycle) {
		start++;
	}

	for (let i = from; i < n; i++) {
		while (t[start]! < t[i]! - cycle) {
			start++;
		}

		let low = Number.POSITIVE_INFINITY;
		for (let j = start; j <= i; j++) {
			low = Math.min(low, y[j]!);
		}

		floor[i - from] = low;
	}

	return upperSlope(t.subarray(from), floor) < STALL_FRACTION * rate;
}

/**
The upper 95% bound of a stretch's slope (per second). Where the autocorrelation correction bounds
nothing (a very clean series), the stretch's block medians bound it.
*/
function upperSlope(t: Float64Array, y: Float64Array): number {
	const {high} = senLevel(t, y);
	return Number.isFinite(high) ? high : blockBounds(t, y)?.high ?? high;
}

/**
A warm-up rises faster than what follows it. Where the stretch before the warm-up cut rose at about
the rate after it (within ×1.5 either way), it was no warm-up: the cut moved because a leak's rate
changed a little — the demo's 100 MiB/h leak ran at 113 for its first 20 minutes, then 101; the cut
jumped from 2 to 21 minutes, and a FAILURE shown for twelve minutes went back to "warm-up or leak?".
Steady growth then counts from where the rate has held: back from the cut in whole minutes, from
five on (a shorter stretch's slope is mostly noise), while the stretch's least-squares rate stays
within the ratio. A healthy Node worker's first minutes rise several times faster than its later
steps, so its count still starts at the cut.
*/
export const HELD_RATIO = 1.5;

/** Where growth at the rate after `cut` began: the index from which the rate held within `ratio`. */
export function steadySince(t: Float64Array, y: Float64Array, cut: number, ratio = HELD_RATIO): number {
	const after = new RunningLine();
	for (let i = cut; i < t.length; i++) {
		after.add(t[i]!, y[i]!);
	}

	const rate = leastSquaresRate(after.sums);
	if (rate === undefined || rate <= 0) {
		return cut;
	}

	const before = new RunningLine();
	let from = cut;
	let i = cut;
	for (let minutes = 5; i > 0; minutes++) {
		const at = t[cut]! - (minutes * 60);
		while (i > 0 && t[i - 1]! >= at) {
			i--;
			before.add(t[i]!, y[i]!);
		}

		const held = leastSquaresRate(before.sums);
		if (held === undefined || held > rate * ratio || held < rate / ratio) {
			break;
		}

		from = i;
	}

	return from;
}
