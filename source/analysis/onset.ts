/**
A leak that begins after the process settled: a flat stretch, then a line (the pipeline, verdict.ts,
calls the run from there when its window alone cannot).
*/
import type {Bands} from './types.js';
import {type Called, isLeaky, LEVEL_RESOLUTION, levelResolution, verdictFromBounds, widenedBounds} from './bounds.js';
import {leastSquaresRate, RunningLine} from './least-squares.js';
import {MIN_POINTS, robustRate} from './robust-rate.js';
import {concentratedRise, decelerating, HELD_RATIO} from './shape.js';
import {stepVsLine} from './step.js';

/**
A leak that begins after the process has settled is not a warm-up, and waits for no warm-up's
gate: a Python worker flat at 30 MiB for 20 minutes that began to leak 20 MiB/h was still "warm-up
or leak?" 20 minutes later, the warm-up estimate having followed the rise (a flat stretch before a
line fits worse than the line alone) and steady growth counting from there (`MIN_GROWTH_SECONDS`).
Growth "after stabilisation" is what the memory-test plan asks about. The run is split where
growth began: the latest point whose ONSET_FLAT_SECONDS before it were flat (least-squares rate
under half the low band, then the stretch reaching back a minute at a time while it stays so, its
95% upper bound under the low band with eight pages of drift), followed by at least
ONSET_RISE_SECONDS of a rise that is a line — not slowing down, not one jump, not better explained
as a step, not starting with a drop below the flat level, its halves at rates within HELD_RATIO of
each other, its last third still rising for certain — whose own bounds give a leaky verdict. Also
where the whole window reads flat: a day's soak flat for 20 hours that then leaked 10 MiB/h read
"acceptable" at hour 23 (the rise a few percent of the window's slopes and of its last fifth's
levels); a rise needs points for its thirds, so in a day's buckets it is judged after 2–3 hours.
5 minutes of rise called a healthy Node server
(minutes 100–110 of node-http-cachefill-long: after 35 flat minutes, a 3 MiB ramp, then 9 minutes
of a line at 8.4 MiB/h) a failure at the recording's end, unshown; 6, 8, 10 and 12 change no
verdict on the six real sets; with 5, 8, 10 and 12 that Python leak is shown FAILURE from minutes
30, 33, 36 and 38. Without the drop check a healthy Node stream server's regrowth after giving
back 27 MiB read as a failure for an evaluation (node-stream-long, minute 85).
*/
const ONSET_FLAT_SECONDS = 10 * 60;
const ONSET_RISE_SECONDS = 8 * 60;
const ONSET_CANDIDATES = 48;
/**
A flat stretch counts as settled only where memmon saw the process get there (growth, or a drop,
before it), or where it lasted this long from the run's start. Flat from the start, the process
may have been idle: a user starts memmon, then the load test, and the warm-up that work brings is
a line for as long as a leak's. A memcached started 12 minutes before its load was shown FAILURE
for minutes 23–24 of a 40-minute run (bench/real/idle/); 12 idle minutes put before every leak-free
recording of the other sets gave 30 wrong minutes in 6 of 55, and 4 in 1 with this rule (that
Node stream server's own 25-minute gate). Late leaks after a warm-up memmon saw are called as
before: no verdict on the other sets changed. A soak flat for hours is settled by then.
*/
const IDLE_START_SECONDS = 60 * 60;

/** Where the flat stretch began (`settled`) and growth after it (`at`), with the verdict from the rise; undefined when the run does not show one. */
export function onsetAfterFlat(t: Float64Array, y: Float64Array, bands: Bands): (Called & {settled: number; at: number}) | undefined {
	const m = t.length;
	const end = t[m - 1]!;
	// Eight minutes of rise, and in thirds of at least the points a rate needs.
	let last = m - 1;
	while (last > 0 && (end - t[last]! < ONSET_RISE_SECONDS || m - last < 3 * MIN_POINTS)) {
		last--;
	}

	// Ten minutes, and at least the points a rate needs (a day's buckets are minutes wide).
	let first = 0;
	while (first < m && (t[first]! - t[0]! < ONSET_FLAT_SECONDS || first < MIN_POINTS)) {
		first++;
	}

	if (first >= last) {
		return undefined;
	}

	// The latest candidate whose ten minutes before it are flat by least squares: later ones have
	// some of the rise in those ten minutes.
	const stride = Math.max(1, Math.ceil((last - first) / ONSET_CANDIDATES));
	let at: number | undefined;
	let from = 0;
	for (let s = last; s >= first && at === undefined; s -= stride) {
		from = s;
		while (from > 0 && (t[from - 1]! >= t[s]! - ONSET_FLAT_SECONDS || s - from < MIN_POINTS)) {
			from--;
		}

		const line = new RunningLine();
		for (let i = from; i < s; i++) {
			line.add(t[i]!, y[i]!);
		}

		const rate = leastSquaresRate(line.sums);
		if (rate !== undefined && Math.abs(rate) < bands[0] / 2) {
			at = s;
		}
	}

	if (at === undefined || at === last || at - from < MIN_POINTS) {
		return undefined;
	}

	// The flat stretch reaches back, a minute at a time, as far as it stays flat (past the run's
	// first twentieth, where start-up is): the longer it is, the tighter its bound.
	const line = new RunningLine();
	for (let i = from; i < at; i++) {
		line.add(t[i]!, y[i]!);
	}

	const earliest = t[0]! + ((end - t[0]!) / 20);
	let grewBefore = false;
	for (let back = from; back > 0 && t[back - 1]! >= earliest;) {
		const to = back;
		while (back > 0 && t[back - 1]! >= earliest && t[back - 1]! >= t[to]! - 60) {
			back--;
			line.add(t[back]!, y[back]!);
		}

		const rate = leastSquaresRate(line.sums);
		if (back === to || rate === undefined || Math.abs(rate) >= bands[0] / 2) {
			grewBefore = back !== to && rate !== undefined;
			break;
		}

		from = back;
	}

	// Flat since memmon began, for less than an hour: the process may have been idle, waiting for
	// the load a user starts after memmon, and the rise that work's warm-up (IDLE_START_SECONDS).
	if (!grewBefore && t[at]! - t[0]! < IDLE_START_SECONDS) {
		return undefined;
	}

	const preT = t.subarray(from, at);
	const preY = y.subarray(from, at);
	if ((robustRate(preT, preY).high + levelResolution(preT)) * 3600 >= bands[0]) {
		return undefined;
	}

	// A leak rises from the flat level; it does not begin with a drop below it (a Node stream
	// server, flat at 96 MiB, gave back 27 MiB at minute 73 and grew again from there).
	const postT = t.subarray(at);
	const postY = y.subarray(at);
	if (Math.min(...postY) < Math.min(...preY) - LEVEL_RESOLUTION) {
		return undefined;
	}

	if (decelerating(postT, postY) || concentratedRise(postT, postY) || stepVsLine(postT, postY).ratio < 0.5) {
		return undefined;
	}

	// A leak holds its rate: its halves within HELD_RATIO of each other, its last third still rising.
	const half = Math.floor(postT.length / 2);
	const third = Math.floor(postT.length / 3);
	if (third < MIN_POINTS) {
		return undefined;
	}

	const early = robustRate(postT.subarray(0, half), postY.subarray(0, half)).slope;
	const recent = robustRate(postT.subarray(half), postY.subarray(half)).slope;
	if (!(early > 0 && recent > 0 && early <= recent * HELD_RATIO && recent <= early * HELD_RATIO)
		|| !(robustRate(postT.subarray(postT.length - third), postY.subarray(postT.length - third)).low > 0)) {
		return undefined;
	}

	const estimate = robustRate(postT, postY);
	const bounds = widenedBounds(estimate, postT, postY, false, bands);
	const low = bounds.low * 3600;
	const high = bounds.high * 3600;
	const verdict = verdictFromBounds(low, high, bands);
	return isLeaky(verdict) ? {verdict, rate: estimate.slope * 3600, low, high, settled: t[from]!, at: t[at]!} : undefined;
}
