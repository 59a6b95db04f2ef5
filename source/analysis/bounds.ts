/**
A verdict from a rate's bounds: the bands, and the bounds widened for what a line's rank bounds
miss (steps and curves, slow wander, a warm-up's tail at the cut's cap), for RSS moving in pages
and for a leak's rate drifting over hours.
*/
import type {Bands, UndecidedReason, Verdict} from './types.js';
import {robustRate, UNION_MIN_POINTS, type RateEstimate} from './robust-rate.js';
import {blockBounds, netRate} from './shape.js';

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

/** The estimate's bounds (per second), widened for what a line's rank bounds miss. */
export function widenedBounds(estimate: RateEstimate, tw: Float64Array, yw: Float64Array, capped: boolean, bands: Bands): {low: number; high: number} {
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
	// A leak's rate drifting over hours (RATE_DRIFT): another uncertainty, added in quadrature.
	const rate = estimate.slope;
	if (!Number.isFinite(rate)) {
		return {low: low - resolution, high: high + resolution};
	}

	const drift = RATE_DRIFT * Math.abs(rate);
	const below = Number.isFinite(low) ? Math.max(0, rate - low) : Number.POSITIVE_INFINITY;
	const above = Number.isFinite(high) ? Math.max(0, high - rate) : Number.POSITIVE_INFINITY;
	return {low: Math.min(low, rate - Math.hypot(below, drift)) - resolution, high: Math.max(high, rate + Math.hypot(above, drift)) + resolution};
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
export const LEVEL_RESOLUTION = 32 * 1024;

/**
A leak's rate is not one number for hours, and the bounds are a line's over the window: the demo's
leak eased from 113 to 101 MiB/h within 45 minutes; over their second hour a Node server's leak
read 9.7 MiB/h and a Python server's 3.3, against 8.68 and 3.0 calibrated beside a leak-free twin;
a pre-fork server's 12.9 against 11.99. Of the corpus's 310 decided minutes, the bounds excluded
the long-run rate in 40, all but two of them such leaks'. The bounds take in a tenth of the rate,
added to each side's half-width in quadrature (a second uncertainty, not one on top of the other:
where the window alone bounds the rate loosely, the tenth adds little). Scored side by side, the
corpus's bounds then held the long-run rate in 312 of 314 decided minutes; with the tenth added
outright, 322 of 322, but on the generated grid 44.7% of verdicts were left undecided, against
44.0% without it and 43.9% in quadrature (bench/README.md). No verdict that was right without it
went wrong.
*/
export const RATE_DRIFT = 0.1;

export function levelResolution(tw: Float64Array): number {
	const span = tw[tw.length - 1]! - tw[0]!;
	return span > 0 ? LEVEL_RESOLUTION / span : 0;
}

/** A verdict with its rate and bounds (per hour), and why it is undecided or the step it found. */
export type Called = {verdict: Verdict; rate: number; low: number; high: number; reason?: UndecidedReason | undefined; step?: {readonly size: number; readonly at: number} | undefined};

export const isLeaky = (v: Verdict): boolean => v === 'warning' || v === 'failure' || v === 'leak';
