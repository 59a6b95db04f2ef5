/** The words of a verdict, the bands behind them, and what an analysis is asked and answers: shared by the pipeline (verdict.ts), the gates and their callers. */
import {MIB} from '../units.js';

/** The band a rate falls in. */
export type Band = 'acceptable' | 'warning' | 'failure';

/** What memmon says about growth: a band, `leak` (at least warning), or not yet known. */
export type Verdict = Band | 'leak' | 'undecided';

/** Band limits in bytes per hour: below the first is acceptable, above the second a failure. */
export type Bands = readonly [number, number];

/** The default bands: 1 and 5 MiB/h. */
export const DEFAULT_BANDS: Bands = [1 * MIB, 5 * MIB];

/** Why a verdict is undecided. */
export type UndecidedReason =
	/** Too few points after the warm-up to estimate a rate. */
	| 'few-points'
	/** Rising, but for too short a time to tell a warm-up from a leak. */
	| 'young'
	/** Rising, but more slowly of late: a warm-up's tail, or a leak under it. */
	| 'settling'
	/** A level shift in the window, with too little data after it. */
	| 'step'
	/** Flat so far, but for too short a time to say so of the run. */
	| 'short'
	/** The bounds straddle a band edge: more data will tell. */
	| 'wide'
	/** Decided, but not yet for long enough to be shown (the display's hold: `VerdictHold`). */
	| 'confirming'
	/** Rising, but as a managed heap (a JVM's) growing into its room, its objects flat, or filling before an old collection (heap-sizing.ts). */
	| 'heap-sizing';

/** How to analyse: bands, warm-up, thresholds. */
export type AnalysisConfig = {
	readonly bands: Bands;
	/** Seconds of warm-up to drop, or `auto` (MSER). */
	readonly warmup: number | 'auto';
	/** Fail when total growth after warm-up exceeds this many bytes. */
	readonly maxGrowth?: number | undefined;
	/** Fail when the growth rate is above this many bytes per hour (its lower bound is). */
	readonly maxRate?: number | undefined;
	/** Cleanup check: the last phase must end within this many bytes of the first phase's level. */
	readonly baselineTolerance?: number | undefined;
	/**
	Whether the verdict (failure, or leak) fails the run. By default it does only when no explicit
	threshold is given: the gates a user asked for are the gates.
	*/
	readonly verdictGate?: boolean | undefined;
};

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
	/** Why it is undecided, for machines (rising too briefly, settling, a step, flat too briefly, bounds too wide). */
	readonly reason?: UndecidedReason | 'few-points' | undefined;
	/** Seconds more until a verdict is expected. */
	readonly needMore?: number | undefined;
	/** The shortest that wait can be, where it is longer than `needMore` says only by a warm-up estimate that may yet settle. */
	readonly needMoreLeast?: number | undefined;
	/** The work ended before the run did (gates.ts workEndIn): the verdict judged its samples, and a wait is for a longer run of it, not more of this one. */
	readonly workEnded?: boolean | undefined;
	/** Elapsed seconds where the analysed window starts. */
	readonly warmupEnd?: number | undefined;
	/**
	The warm-up's end was not found: its estimate sits at its cap, half the points (about half the
	run; less where the points are GC floors or began late), and moves on with the run (a rise
	still slowing down, or no warm-up at all). `warmupEnd` is then how long the
	warm-up has lasted so far, not where it ended.
	*/
	readonly warmupOpen?: boolean | undefined;
	/** steady, warm-up then flat, linear growth, one-off step…, sawtooth…; with accelerating etc. */
	readonly pattern?: string | undefined;
	/** Mann–Kendall p-value (autocorrelation-corrected). */
	readonly p?: number | undefined;
	readonly step?: {readonly size: number; readonly at: number} | undefined;
};
