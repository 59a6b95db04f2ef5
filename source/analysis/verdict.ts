/**
The verdict from a series of levels (bucket minima or GC floors):

  warm-up cut (MSER-linear, ×1.5 margin, at most half)
    → Theil–Sen rate, Mann–Kendall with autocorrelation-inflated variance, Sen bounds
      (union over pair-averaged levels down to 16 points, and over eight block medians' bounds —
      alone on a side the inflated variance leaves unbounded: robust-rate.ts, shape.ts), and
      eight pages of drift across the window
    → recent half disagrees at 99%? report it ("accelerating"/"decelerating"); its estimate outside
      the bounds? stretch them to it
    → a one-off step explains it far better than a line and the level after it is flat? not a leak
    → bands: U < 1 acceptable · L > 5 failure · 1 < L, U ≤ 5 warning · L > 1, U > 5 leak · else undecided
      with "need ~X more" from half-width ∝ W^(−3/2)
    → not yet: growth steady for under 25 min, flat for under 10, still slowing down, or stalled
      for the last 15 min (shape.ts); flat again after a rise for under 1.5× the flat before it
    → undecided or acceptable, but flat for 10+ min and then a line for 8+ min? the line's verdict
*/
import type {Bands, UndecidedReason, Verdict} from './types.js';
import {MIN_POINTS, robustRate, UNION_MIN_POINTS, Z95, Z99, type RateEstimate} from './robust-rate.js';
import {blockBounds, concentratedRise, decelerating, netRate, stalled} from './shape.js';
import {stepVsLine} from './step.js';
import {mserLinear} from './warmup.js';
import {leastSquaresRate, RunningLine} from './least-squares.js';

/** The verdict from one-sided bounds (bytes per hour). */
export function verdictFromBounds(low: number, high: number, bands: Bands): Verdict {
	if (high < bands[0]) {
		return 'acceptable';
	}

	if (low > bands[1]) {
		return 'failure';
	}

	if (low > bands[0] && high <= bands[1]) {
		return 'warning';
	}

	if (low > bands[0]) {
		return 'leak';
	}

	return 'undecided';
}

/** What the pipeline found. Rates in bytes per hour, times in seconds. */
export type PipelineResult = {
	readonly verdict: Verdict;
	readonly rate: number | undefined;
	readonly low: number | undefined;
	readonly high: number | undefined;
	readonly p: number | undefined;
	/** Elapsed seconds where the analysed window starts (0: no warm-up). */
	readonly warmupEnd: number | undefined;
	/** True when the warm-up cut hit its cap: the series may not have stabilised. */
	readonly notStabilised: boolean;
	/** True when the warm-up's end was not found (the rise goes on): `warmupEnd` is how long it has lasted so far. */
	readonly warmupOpen: boolean;
	readonly pattern: string;
	readonly accelerating: 'accelerating' | 'decelerating' | undefined;
	readonly step: {readonly size: number; readonly at: number} | undefined;
	/** Elapsed seconds where growth began after a settled stretch, when the verdict is called from there. */
	readonly onsetAt?: number | undefined;
	/** Seconds more until the bounds are expected to clear a band edge. */
	readonly needMore: number | undefined;
	/**
	The shortest `needMore` can turn out, where it counts the warm-up's estimate moving on with the
	run (at its cap, steady growth gains half a second a second): the wait should the end be found now.
	*/
	readonly needMoreLeast?: number | undefined;
	readonly points: number;
	/** Why the verdict is undecided (undefined when it is decided). */
	readonly reason: UndecidedReason | undefined;
	/** Before the bounds were widened for warm-up and steps, what the window alone said. */
	readonly tentative: Verdict;
};

/** Options of the pipeline. */
export type PipelineOptions = {
	readonly bands: Bands;
	/** A fixed warm-up in seconds from the start, or `auto`. */
	readonly warmup: number | 'auto';
	/** Spacing of the points, seconds (bucket width or GC period). */
	readonly width: number;
	/** Elapsed seconds of the first sample. */
	readonly start: number;
	readonly basePattern: string;
	/**
	Where finer levels put the warm-up's end (seconds, on the clock of `t`) and whether that cut sat
	at its cap: GC floors, a point a cycle, are too few to find a warm-up of their own (`levels` in
	index.ts).
	*/
	readonly settled?: {readonly t: number; readonly capped: boolean; readonly open: boolean} | undefined;
	/** Seconds a GC cycle lasts, where the levels are bucket minima of a sawtooth (too few floors yet). */
	readonly cycle?: number | undefined;
};

/**
Growth seen at a steady rate for less than this long (after the warm-up's estimated end) is not
called a leak unless it began after a settled stretch:
real warm-ups (heap sizing, JIT, allocator arenas, caches and keyspaces filling, slab allocators up
to their limit) rise for 10–45 minutes, some of it in a straight line, and in those minutes a
healthy process and a leaking one look alike. 25 minutes, with the display's confirmation
(VerdictHold) on top: a healthy Node job worker on Node 20–26 grows its heap in steps at 60–90
MiB/h for 25–45 minutes, and with 15 minutes two of four were shown FAILURE (minutes 26–29 and
59–60; bench/real/nodes/), with 20 one; on the other sets 20 and 25 minutes decided fewer minutes
at the same precision, 12 minutes let three wrong minutes through.
*/
export const MIN_GROWTH_SECONDS = 25 * 60;

/**
A flat stretch shorter than this is not called acceptable: a few minutes of flat RSS say little of
a slow leak (a leak that arrives in steps, or that the allocator first serves from freed memory).
*/
export const MIN_FLAT_SECONDS = 10 * 60;

const undecided = (pattern: string, points: number, reason: UndecidedReason = 'few-points'): PipelineResult => ({
	verdict: 'undecided', rate: undefined, low: undefined, high: undefined, p: undefined, warmupEnd: undefined, notStabilised: false, warmupOpen: false, pattern, accelerating: undefined, step: undefined, needMore: undefined, points, reason, tentative: 'undecided',
});

/**
The warm-up cut: an index into the points, where the estimate put it (`raw`), whether it sits at
its cap, and whether the warm-up's end was not found at all (`open`: the best cut is the last one
tried, half the run — the rise goes on; a cut at the cap only through the ×1.5 margin has an end).
*/
export type Cut = {readonly cut: number; readonly raw: number; readonly capped: boolean; readonly open: boolean};

function warmupCut(t: Float64Array, y: Float64Array, options: PipelineOptions): Cut {
	const m = t.length;
	if (options.warmup !== 'auto') {
		const until = options.start + options.warmup;
		let cut = 0;
		while (cut < m && t[cut]! < until) {
			cut++;
		}

		return {cut, raw: cut, capped: false, open: false};
	}

	const own = autoCut(t, y);
	const {settled} = options;
	if (!settled) {
		return own;
	}

	// Floors before the end the finer levels found are warm-up too, and the floors' own cut may
	// reach further; never so far that too few points are left.
	let at = 0;
	while (at < m && t[at]! < settled.t) {
		at++;
	}

	const cut = Math.min(Math.max(own.cut, at), m - MIN_POINTS);
	return {cut, raw: Math.min(Math.max(own.raw, at), cut), capped: settled.capped || (own.capped && own.cut >= at), open: own.cut >= at ? own.open : settled.open};
}

/** The warm-up cut MSER-linear puts in levels `y` at times `t`, with its ×1.5 margin and its cap. */
export function autoCut(t: Float64Array, y: Float64Array): Cut {
	const m = t.length;
	const mser = mserLinear(t, y);
	// Never so much that too few points are left: a verdict that had enough points must not fall
	// back to "need more points" because the warm-up estimate moved.
	const cut = Math.max(0, Math.min(Math.round(1.5 * mser.cut), Math.floor(m / 2), m - MIN_POINTS));
	// The ×1.5 margin keeps the warm-up's tail out of the rate; how long growth has been steady
	// counts from where the warm-up was estimated to end, or before it where the rate has held
	// (steadySince). A cut at the cap (the transient took a third of the data or more) means "not
	// settled".
	return {cut, raw: Math.min(mser.cut, cut), capped: mser.capped || cut >= Math.floor(m / 2), open: mser.capped};
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
const HELD_RATIO = 1.5;
/**
How far back steady growth may yet be found to reach, for the floor of a rise's wait: the demo's
leak eased from 126 to 100 MiB/h over its first 20 minutes, its warm-up cut moved from 4 minutes
to 1 at minute 23–24, and steady growth counted from there passed its gate 2–3 minutes before the
floor said (×1.5, the verdict's own ratio: 3 such minutes on the real recordings; ×2: 0, but two
minutes of a live run of it; ×2.5: none, the floor at a median 1.20 of the wait, 1.18 at ×1.5).
*/
const FLOOR_RATIO = 2.5;

function steadySince(t: Float64Array, y: Float64Array, cut: number, ratio = HELD_RATIO): number {
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

/**
The window's rate: the whole window's, or its recent half's when the two disagree at 99%
(accelerating or decelerating) — then the window is that half. `onset`: the growth began after a
settled stretch, a leak's onset rather than a warm-up's.
*/
function windowRate(tw: Float64Array, yw: Float64Array, bands: Bands): {estimate: RateEstimate; tw: Float64Array; yw: Float64Array; accelerating: PipelineResult['accelerating']; onset: boolean} {
	const whole = robustRate(tw, yw, Z95, Z99);
	const half = Math.floor(tw.length / 2);
	if (tw.length - half >= MIN_POINTS) {
		// The two estimates share half their data: compare them at 99% so chance does not switch.
		const recent = robustRate(tw.subarray(half), yw.subarray(half), Z95, Z99);
		if (recent.extra!.low > whole.extra!.high || recent.extra!.high < whole.extra!.low) {
			const accelerating = recent.extra!.low > whole.extra!.high ? 'accelerating' : 'decelerating';
			const onset = accelerating === 'accelerating' && half >= MIN_POINTS && robustRate(tw.subarray(0, half), yw.subarray(0, half)).high * 3600 < bands[0];
			return {estimate: recent, tw: tw.subarray(half), yw: yw.subarray(half), accelerating, onset};
		}
	}

	return {estimate: whole, tw, yw, accelerating: undefined, onset: false};
}

/** The estimate's bounds (per second), widened for what a line's rank bounds miss. */
function widenedBounds(estimate: RateEstimate, tw: Float64Array, yw: Float64Array, capped: boolean, bands: Bands): {low: number; high: number} {
	// Steps and curves move the window's net rate while the line's median slope may not (a run of
	// flat stretches between steps has a median slope of 0): no "acceptable" above it.
	let low = estimate.low;
	let high = Math.max(estimate.high, netRate(tw, yw));
	// Slow wander (allocator arenas given back and taken again, big blocks mapped and unmapped)
	// is correlated over minutes, which the bounds above treat as noise that averages out: the
	// bounds also take in those of the window's eight block medians. Where the autocorrelation
	// correction leaves a side unbounded — a leak that grows in steps (Python's arenas, a vector
	// doubling) correlates its residuals over whole steps, and the inflated variance then exceeds
	// what any rank can bound — the block medians, whose steps average out within each block,
	// bound that side on their own (with the window's net rate as a floor under the upper bound).
	const blocks = blockBounds(tw, yw);
	if (blocks) {
		low = Number.isFinite(low) ? Math.min(low, blocks.low) : blocks.low;
		high = Number.isFinite(high) ? Math.max(high, blocks.high) : Math.max(blocks.high, netRate(tw, yw));
	}

	// Where the warm-up cut hit its cap, the warm-up may still be going, and its tail puts the
	// window's rate above a leak's under it: the lower bound is then no higher than the last third's
	// own, so a leak's band is called from what the data show now.
	// On a line as clean as a tight test loop's leak, the autocorrelation correction bounds nothing
	// there either (the residuals are the allocation's own rhythm): the last third's block medians
	// bound it then, as for the whole window.
	const third = Math.floor(tw.length / 3);
	if (capped && low * 3600 > bands[0] && third >= UNION_MIN_POINTS) {
		const lastT = tw.subarray(tw.length - third);
		const lastY = yw.subarray(tw.length - third);
		const recent = robustRate(lastT, lastY).low;
		low = Math.min(low, Number.isFinite(recent) ? recent : blockBounds(lastT, lastY)?.low ?? low);
	}

	const resolution = levelResolution(tw);
	return {low: low - resolution, high: high + resolution};
}

/**
RSS moves in pages, and allocators take and give back runs of them: a level that ends a window a
few pages higher or lower than it began says nothing of a long-run rate. Leak-free processes crept
so — a fixed-keyspace redis "+0.04 … +0.38 MiB/h" after 80 minutes, a Python sqlite cache
"+0.07 … +0.21" and PHP's cache "+0.23 … +0.54" in their first quarter hour — and the bounds,
which take such a drift for a line, excluded their long-run 0. The bounds take in a change of
LEVEL_RESOLUTION (eight pages) across the window: ±0.19 MiB/h over 10 minutes, ±0.03 over an hour,
nothing a day's rate notices.
*/
const LEVEL_RESOLUTION = 32 * 1024;

function levelResolution(tw: Float64Array): number {
	const span = tw[tw.length - 1]! - tw[0]!;
	return span > 0 ? LEVEL_RESOLUTION / span : 0;
}

/** A verdict with its rate and bounds (per hour), and why it is undecided or the step it found. */
type Called = {verdict: Verdict; rate: number; low: number; high: number; reason?: UndecidedReason | undefined; step?: PipelineResult['step']};

/**
A one-off step that explains the window far better than a line: acceptable when the level after it
is flat, undecided while too little follows it. Half the window's rise in a tenth of its time is a
jump too (an arena mapped, a heap resized), not a leak's steady rate.
*/
function judgeSteps(called: Called, tw: Float64Array, yw: Float64Array, options: PipelineOptions): Called {
	const perHour = (v: number): number => v * 3600;
	let result = called;
	if (result.verdict !== 'acceptable') {
		const {ratio, split} = stepVsLine(tw, yw);
		if (split !== undefined && ratio < 0.5) {
			const postT = tw.subarray(split);
			const postY = yw.subarray(split);
			result = {...result, verdict: 'undecided', reason: 'step'};
			if (postT.length >= Math.max(MIN_POINTS, Math.floor(tw.length / 4))) {
				const post = robustRate(postT, postY);
				const resolution = levelResolution(postT);
				const postHigh = Math.max(post.high, netRate(postT, postY)) + resolution;
				if (perHour(postHigh) < options.bands[0]) {
					result = {
						verdict: 'acceptable', rate: perHour(post.slope), low: perHour(post.low - resolution), high: perHour(postHigh),
						step: {size: mean(postY) - mean(yw.subarray(0, split)), at: postT[0]! - options.start},
					};
				}
			}
		}
	}

	return isLeaky(result.verdict) && concentratedRise(tw, yw) ? {...result, verdict: 'undecided', reason: 'step'} : result;
}

/**
The window's recent half is one step between two flats (the best two-level split leaves under half
the line's squared error): a heap that grows in a few big steps between long flats, whatever the
line through the whole window says. A healthy Node 24 job worker rose 58 -> 92 MiB in 25 minutes,
held for 15, stepped 25 MiB at minute 41 and held again; its warm-up cut fell to 0 (a line over a
late step fits no suffix better than the whole), the window's line read +55 … +70 MiB/h with a
lower bound above 5 MiB/h, and minutes 43-56 read FAILURE and LEAK by turns — the turns alone kept
the screen from showing it. A leak rises through the recent half, in a line or in many steps.
*/
function recentHalfStep(tw: Float64Array, yw: Float64Array): boolean {
	const half = Math.floor(tw.length / 2);
	const {ratio, split} = stepVsLine(tw.subarray(half), yw.subarray(half));
	return split !== undefined && ratio < 0.5;
}

const isLeaky = (v: Verdict): boolean => v === 'warning' || v === 'failure' || v === 'leak';

/**
A flat stretch says nothing of a leak that arrives in steps until it has lasted longer than the
flat stretch the run already saw end in a rise: an Erlang node leaking 15 MiB/h showed it as
4 MiB steps 11–13 minutes apart (the runtime taking memory from the system a few MiB at a time),
and after the first step, 6 minutes of flat read "acceptable" — as did the 12 minutes after the
warm-up cut moved past that step. Where the run is best explained as flat, a rise, flat again (a step explains it far
better than a line, and the stretch before it rose by under a quarter of the step), the flat after
the rise must last FLAT_AFTER_STEP times the flat before it, or FLAT_AFTER_STEP_ENOUGH: a day's
run that rose once at its 14th hour and stayed flat for ten is a one-off step, not a leak's.
Checked on the run, not the window (the warm-up cut may sit just past the step, and the window then
be flat), past its first twentieth (start-up would be the step) or from `from`, a fixed warm-up's
end. Seconds still to wait, or undefined.
*/
const FLAT_AFTER_STEP = 1.5;
const FLAT_AFTER_STEP_ENOUGH = 30 * 60;

function flatAfterStepWait(tr: Float64Array, yr: Float64Array, options: PipelineOptions, from: number | undefined): number | undefined {
	let start = from ?? 0;
	if (from === undefined) {
		while (tr[start]! < tr[0]! + ((tr[tr.length - 1]! - tr[0]!) / 20)) {
			start++;
		}
	}

	const t = tr.subarray(start);
	const y = yr.subarray(start);
	const {ratio, split} = stepVsLine(t, y);
	if (split === undefined || ratio >= 0.5 || split < MIN_POINTS) {
		return undefined;
	}

	// A rise, and flat before it: what that stretch rose by itself is small beside the step.
	const jump = mean(y.subarray(split)) - mean(y.subarray(0, split));
	if (jump <= 0 || netRate(t.subarray(0, split), y.subarray(0, split)) * (t[split - 1]! - t[0]!) >= jump / 4) {
		return undefined;
	}

	const before = t[split - 1]! - t[0]! + options.width;
	const after = t[t.length - 1]! - t[split]! + options.width;
	const wait = Math.min(FLAT_AFTER_STEP * before, FLAT_AFTER_STEP_ENOUGH) - after;
	return wait > 0 ? wait : undefined;
}

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

/** Run the pipeline on levels `y` (bytes) at times `t` (seconds). */
export function evaluatePipeline(t: Float64Array, y: Float64Array, options: PipelineOptions): PipelineResult {
	const m = t.length;
	if (m < MIN_POINTS) {
		return undecided(options.basePattern, m);
	}

	const {cut, raw: rawCut, capped, open} = warmupCut(t, y, options);
	let warmupEnd = cut > 0 ? t[cut]! - options.start : 0;
	if (m - cut < MIN_POINTS) {
		return {...undecided(options.basePattern, m - cut), warmupEnd};
	}

	const {estimate, tw, yw, accelerating, onset} = windowRate(t.subarray(cut), y.subarray(cut), options.bands);
	const bounds = widenedBounds(estimate, tw, yw, capped, options.bands);
	const perHour = (v: number): number => v * 3600;
	const tentative = verdictFromBounds(perHour(estimate.low), perHour(estimate.high), options.bands);
	const low0 = perHour(bounds.low);
	const high0 = perHour(bounds.high);
	const called = judgeSteps({verdict: verdictFromBounds(low0, high0, options.bands), rate: perHour(estimate.slope), low: low0, high: high0}, tw, yw, options);
	const {step} = called;
	let {verdict, reason, rate, low, high} = called;

	// Rising at a steady rate for less time than a warm-up can last (the window after the warm-up
	// cut: a heap that grew fast, then steadily for ten minutes, may still stop), and not after a
	// settled stretch: can't tell yet. Later, a rise still slowing down is a warm-up's tail.
	const age = t[m - 1]! - t[0]! + options.width;
	const from = options.warmup === 'auto' ? steadySince(t, y, rawCut) : cut;
	const steadyFor = t[m - 1]! - t[from]! + options.width;
	if (isLeaky(verdict) && !onset && steadyFor < MIN_GROWTH_SECONDS) {
		verdict = 'undecided';
		reason = 'young';
	} else if (verdict === 'acceptable' && age < MIN_FLAT_SECONDS) {
		verdict = 'undecided';
		reason = 'short';
	} else if (isLeaky(verdict) && !onset && (decelerating(tw, yw) || decelerating(t, y))) {
		verdict = 'undecided';
		reason = 'settling';
	} else if (isLeaky(verdict) && stalled(t, y, rate / 3600, options.cycle)) {
		verdict = 'undecided';
		reason = 'settling';
	} else if (isLeaky(verdict) && !onset && recentHalfStep(tw, yw)) {
		verdict = 'undecided';
		reason = 'step';
	}

	const stepWait = verdict === 'acceptable' ? flatAfterStepWait(t, y, options, options.warmup === 'auto' ? undefined : cut) : undefined;
	if (stepWait !== undefined) {
		verdict = 'undecided';
		reason = 'step';
	}

	// Undecided, or flat by the whole window's bounds, while the run shows a leak that began after it
	// settled: called from that onset. A line over the last tenth of a day is a few percent of the
	// window's slopes and of its last fifth's levels: a soak flat for 22 hours that then grew 60 MiB
	// in two read "acceptable +0.00 (−0.00 … +0.68)" at its end.
	const late = (verdict === 'undecided' || verdict === 'acceptable') && options.warmup === 'auto' ? onsetAfterFlat(t, y, options.bands) : undefined;
	if (late) {
		({verdict, rate, low, high} = late);
		reason = undefined;
		// The warm-up ended where the flat stretch began.
		warmupEnd = late.settled - options.start;
	}

	if (verdict === 'undecided' && reason === undefined) {
		reason = 'wide';
	}

	// While the warm-up cut sits at its cap (half the run) and steady growth counts from it, the cut
	// moves on with the run, and steady growth gains only half a second a second: `needMore` counts
	// that, `needMoreLeast` the wait should the cut stop now (the screen's "at least N min more").
	const growthWait = (MIN_GROWTH_SECONDS - steadyFor) * (capped && from === rawCut ? 2 : 1);
	let needMore: number | undefined;
	let needMoreLeast: number | undefined;
	if (reason === 'young') {
		needMore = growthWait;
		// The floor: steady growth may yet be found to reach back further, where the rate held within a
		// looser ratio (FLOOR_RATIO).
		const loose = options.warmup === 'auto' ? t[m - 1]! - t[steadySince(t, y, rawCut, FLOOR_RATIO)]! + options.width : steadyFor;
		needMoreLeast = MIN_GROWTH_SECONDS - Math.max(steadyFor, loose);
	} else if (reason === 'short') {
		needMore = MIN_FLAT_SECONDS - age;
	} else if (stepWait !== undefined) {
		needMore = stepWait;
	} else if (verdict === 'undecided' && reason !== 'settling' && reason !== 'step' && Number.isFinite(low) && Number.isFinite(high) && high > low) {
		const window = (tw[tw.length - 1]! - tw[0]!) + options.width;
		const halfWidth = (high - low) / 2;
		const gap = Math.min(Math.abs(rate - options.bands[0]), Math.abs(rate - options.bands[1]));
		if (gap > 0) {
			const need = window * ((halfWidth / gap) ** (2 / 3));
			// No sooner than the verdict it leans to can be given at all.
			const earliest = rate < options.bands[0] ? MIN_FLAT_SECONDS - age : onset ? 0 : growthWait;
			needMore = Math.max(0, need - window, earliest);
		}
	}

	const pattern = [options.basePattern, accelerating, step ? 'step' : '', late ? 'onset' : '', reason ?? '', capped && !late ? 'not-stabilised?' : ''].filter(Boolean).join(' ');
	return {
		verdict, rate, low, high, p: estimate.p, warmupEnd, notStabilised: capped && !late, warmupOpen: open && warmupEnd > 0 && !late, pattern, accelerating, step, onsetAt: late ? late.at - options.start : undefined, needMore, needMoreLeast: needMoreLeast === needMore ? undefined : needMoreLeast, points: tw.length, reason, tentative,
	};
}

function mean(values: Float64Array): number {
	let sum = 0;
	for (const value of values) {
		sum += value;
	}

	return sum / values.length;
}
