/**
Everything the screen and the reports say about growth, computed from the series store.
*/
import {MIB} from '../units.js';
import type {SeriesStore} from '../series.js';
import {leastSquaresRate} from './least-squares.js';
import {quarters, type QuarterSummary} from './quarters.js';

/** The band a rate falls in. */
export type Band = 'acceptable' | 'warning' | 'failure';

/** What memmon says about growth: a band, `leak` (at least warning), or not yet known. */
export type Verdict = Band | 'leak' | 'undecided';

/** Band limits in bytes per hour: below the first is acceptable, above the second a failure. */
export type Bands = readonly [number, number];

/** The default bands: 1 and 5 MiB/h. */
export const DEFAULT_BANDS: Bands = [1 * MIB, 5 * MIB];

/** The growth rate the gauge shows, with bounds when the method has them. */
export type Growth = {
	readonly method: string;
	/** Bytes per hour. */
	readonly rate: number | undefined;
	/** One-sided 95% bounds, bytes per hour, when known. */
	readonly low?: number | undefined;
	readonly high?: number | undefined;
	readonly verdict: Verdict;
	/** Why it is undecided, or how much longer to run. */
	readonly note?: string | undefined;
};

/** The whole assessment of a run so far. */
export type Assessment = {
	readonly quarters: QuarterSummary | undefined;
	/** Least-squares slope over all samples, bytes per hour. */
	readonly leastSquares: number | undefined;
	readonly growth: Growth;
	readonly bands: Bands;
};

/** The band of a point estimate. */
export function bandOf(rate: number, bands: Bands): Band {
	if (rate < bands[0]) {
		return 'acceptable';
	}

	return rate <= bands[1] ? 'warning' : 'failure';
}

/** Assess the run so far. */
export function assess(store: SeriesStore, bands: Bands = DEFAULT_BANDS): Assessment {
	const q = quarters(store.buckets);
	const leastSquares = leastSquaresRate(store.line);
	const growth: Growth = leastSquares === undefined
		? {method: 'least squares', rate: undefined, verdict: 'undecided', note: 'need more samples'}
		: {method: 'least squares', rate: leastSquares, verdict: bandOf(leastSquares, bands), note: 'point estimate, no bounds'};
	return {quarters: q, leastSquares, growth, bands};
}
