/**
A verdict from a rate's bounds: the bands, and the bounds widened for what a line's rank bounds
miss (steps and curves, slow wander, a warm-up's tail at the cut's cap) and for RSS moving in pages.
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
export const LEVEL_RESOLUTION = 32 * 1024;

export function levelResolution(tw: Float64Array): number {
	const span = tw[tw.length - 1]! - tw[0]!;
	return span > 0 ? LEVEL_RESOLUTION / span : 0;
}

/** A verdict with its rate and bounds (per hour), and why it is undecided or the step it found. */
export type Called = {verdict: Verdict; rate: number; low: number; high: number; reason?: UndecidedReason | undefined; step?: {readonly size: number; readonly at: number} | undefined};

export const isLeaky = (v: Verdict): boolean => v === 'warning' || v === 'failure' || v === 'leak';
