/**
The verdict from a series of levels (bucket minima or GC floors):

  warm-up cut (MSER-linear, ×1.5 margin, at most half)
    → Theil–Sen rate, Mann–Kendall with autocorrelation-inflated variance, Sen bounds
      (union over pair-averaged levels down to 16 points, and over eight block medians' bounds —
      alone on a side the inflated variance leaves unbounded: robust-rate.ts, shape.ts), and
      eight pages of drift across the window (bounds.ts)
    → recent half disagrees at 99%? report it ("accelerating"/"decelerating"); its estimate outside
      the bounds? stretch them to it
    → a one-off step explains it far better than a line and the level after it is flat? not a leak
    → bands: U < 1 acceptable · L > 5 failure · 1 < L, U ≤ 5 warning · L > 1, U > 5 leak · else undecided
      with "need ~X more" from half-width ∝ W^(−3/2), beyond the share for a rate's drift
    → not yet: growth steady for under 25 min, flat for under 10, still slowing down, or stalled
      for the last 15 min (shape.ts); flat again after a rise for under 1.5× the flat before it
    → undecided or acceptable, but flat for 10+ min and then a line for 8+ min? the line's verdict
      (onset.ts)
*/
import type {Bands, UndecidedReason, Verdict} from './types.js';
import {type Called, isLeaky, levelResolution, RATE_DRIFT, verdictFromBounds, widenedBounds} from './bounds.js';
import {onsetAfterFlat} from './onset.js';
import {MIN_POINTS, robustRate, Z95, Z99, type RateEstimate} from './robust-rate.js';
import {concentratedRise, decelerating, netRate, stalled, steadySince} from './shape.js';
import {stepVsLine} from './step.js';
import {mserLinear} from './warmup.js';

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
How far back steady growth may yet be found to reach, for the floor of a rise's wait: the demo's
leak eased from 126 to 100 MiB/h over its first 20 minutes, its warm-up cut moved from 4 minutes
to 1 at minute 23–24, and steady growth counted from there passed its gate 2–3 minutes before the
floor said (×1.5, the verdict's own ratio: 3 such minutes on the real recordings; ×2: 0, but two
minutes of a live run of it; ×2.5: none, the floor at a median 1.20 of the wait, 1.18 at ×1.5).
*/
const FLOOR_RATIO = 2.5;

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
/**
How many steps in a row are looked at. A Python batch job whose every batch (each 10 minutes) left
1 MiB behind rose 5.5 MiB at its first and 1 MiB at each later one: the first step was the run's
best split, the flat after it long enough, and the 1-MiB step within that flat read as a one-off
("acceptable −0.3 … +0.3 MiB/h" for minutes 26–31 of a 5.8 MiB/h staircase).
*/
const MAX_STAIRS = 8;

function flatAfterStepWait(tr: Float64Array, yr: Float64Array, options: PipelineOptions, from: number | undefined): number | undefined {
	let start = from ?? 0;
	if (from === undefined) {
		while (tr[start]! < tr[0]! + ((tr[tr.length - 1]! - tr[0]!) / 20)) {
			start++;
		}
	}

	// Each step's flat after it is measured against the flat before it, from the run's best split on:
	// the flat after it may hold a step of its own (a staircase).
	let t = tr.subarray(start);
	let y = yr.subarray(start);
	let wait: number | undefined;
	for (let steps = 0; steps < MAX_STAIRS; steps++) {
		const {ratio, split} = stepVsLine(t, y);
		if (split === undefined || ratio >= 0.5 || split < MIN_POINTS) {
			break;
		}

		// A rise, and flat before it: what that stretch rose by itself is small beside the step.
		const jump = mean(y.subarray(split)) - mean(y.subarray(0, split));
		if (jump <= 0 || netRate(t.subarray(0, split), y.subarray(0, split)) * (t[split - 1]! - t[0]!) >= jump / 4) {
			break;
		}

		const before = t[split - 1]! - t[0]! + options.width;
		const after = t[t.length - 1]! - t[split]! + options.width;
		const still = Math.min(FLAT_AFTER_STEP * before, FLAT_AFTER_STEP_ENOUGH) - after;
		if (still > 0) {
			wait = Math.max(wait ?? 0, still);
		}

		t = t.subarray(split);
		y = y.subarray(split);
	}

	return wait;
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
		// The bounds' share for a leak's drift (RATE_DRIFT) does not narrow with the window: only the
		// rest does, and a rate within it of a band's edge is told from that edge by no run's length.
		const drift = RATE_DRIFT * Math.abs(rate);
		const room = Math.sqrt(Math.max(0, (gap ** 2) - (drift ** 2)));
		if (room > 0) {
			const need = window * ((Math.sqrt(Math.max(0, (halfWidth ** 2) - (drift ** 2))) / room) ** (2 / 3));
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
