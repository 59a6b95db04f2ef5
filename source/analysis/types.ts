/** The words of a verdict and the bands behind them: shared by the pipeline (verdict.ts) and its callers. */
import {MIB} from '../units.js';

/** The band a rate falls in. */
export type Band = 'acceptable' | 'warning' | 'failure';

/** What memmon says about growth: a band, `leak` (at least warning), or not yet known. */
export type Verdict = Band | 'leak' | 'undecided';

/** Band limits in bytes per hour: below the first is acceptable, above the second a failure. */
export type Bands = readonly [number, number];

/** The default bands: 1 and 5 MiB/h. */
export const DEFAULT_BANDS: Bands = [1 * MIB, 5 * MIB];
