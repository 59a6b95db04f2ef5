/**
Everything the screen and the reports say about growth, computed from the series store: the
memory-test plan's quarters and the least-squares slope for comparison, the robust verdict with its bounds
(verdict.ts), the pattern in words, and the CI thresholds.
*/
import {count, formatBytes, formatDelta, formatDuration, formatMinutes, formatRate} from '../units.js';
import {phaseEndLevel, type SeriesStore} from '../series.js';
import {leastSquaresRate} from './least-squares.js';
import type {QuarterSummary} from './quarters.js';
import {scratch} from './scratch.js';
import {medianInPlace} from './theil-sen.js';
import {DEFAULT_BANDS, type Band, type Bands, type Verdict} from './types.js';
import {evaluatePipeline, type PipelineResult, type UndecidedReason} from './verdict.js';

export {DEFAULT_BANDS, type Band, type Bands, type Verdict} from './types.js';

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

/** The defaults: bands 1 and 5 MiB/h, automatic warm-up, no thresholds. */
export const DEFAULT_ANALYSIS: AnalysisConfig = {bands: DEFAULT_BANDS, warmup: 'auto'};

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
	/** Elapsed seconds where the analysed window starts. */
	readonly warmupEnd?: number | undefined;
	/** steady, warm-up then flat, linear growth, one-off step…, sawtooth…; with accelerating etc. */
	readonly pattern?: string | undefined;
	/** Mann–Kendall p-value (autocorrelation-corrected). */
	readonly p?: number | undefined;
	readonly step?: {readonly size: number; readonly at: number} | undefined;
};

/** One CI threshold and how the run fares against it. */
export type Threshold = {
	readonly name: 'growth' | 'rate' | 'verdict' | 'baseline';
	readonly status: 'pass' | 'fail' | 'undecided';
	/** The limit, in words. */
	readonly limit: string;
	/** The number behind the status, in words. */
	readonly value: string;
	/** Raw numbers for machines (bytes, bytes per hour). */
	readonly limitValue?: number | undefined;
	readonly actualValue?: number | undefined;
};

/** The whole assessment of a run so far. */
export type Assessment = {
	readonly quarters: QuarterSummary | undefined;
	/** Least-squares slope over all samples, bytes per hour. */
	readonly leastSquares: number | undefined;
	readonly growth: Growth;
	readonly bands: Bands;
	/** Growth to the end from the level after a warm-up that levelled off, or from the first sample; bytes. */
	readonly totalGrowth: number | undefined;
	readonly thresholds: readonly Threshold[];
};

/** The band of a point estimate. */
export function bandOf(rate: number, bands: Bands): Band {
	if (rate < bands[0]) {
		return 'acceptable';
	}

	return rate <= bands[1] ? 'warning' : 'failure';
}

/** `map` of each item, in the scratch slot `name`. */
function fill<T>(name: string, items: readonly T[], map: (item: T) => number): Float64Array {
	const values = scratch(name, items.length);
	// Indexed: memmon's once-a-second code mostly runs unoptimised, where `entries()` makes an
	// iterator result and a pair for every item.
	for (let i = 0; i < items.length; i++) {
		values[i] = map(items[i]!);
	}

	return values;
}

/**
The levels the pipeline analyses: GC floors for a sawtooth, otherwise bucket minima. In scratch
slots: valid until the next call.
*/
export function levels(store: SeriesStore): {t: Float64Array; y: Float64Array; width: number; pattern: string} {
	const floors = store.floors;
	if (floors.isSawtooth) {
		const list = floors.floors();
		const period = floors.period ?? store.bucketWidth;
		return {
			t: fill('levels.t', list, floor => floor.t),
			y: fill('levels.y', list, floor => floor.value),
			width: period,
			pattern: `sawtooth ~${formatDuration(period * 1000)}`,
		};
	}

	const buckets = store.buckets;
	const t0 = store.first?.t ?? 0;
	const width = store.bucketWidth;
	return {
		t: fill('levels.t', buckets, bucket => t0 + ((bucket.index + 0.5) * width)),
		y: fill('levels.y', buckets, bucket => bucket.min),
		width,
		pattern: '',
	};
}

function describePattern(result: PipelineResult): string {
	const parts: string[] = [];
	if (result.pattern.startsWith('sawtooth')) {
		parts.push(result.pattern.split(' ').slice(0, 2).join(' '));
	}

	if (result.step) {
		parts.push(`one-off step ${formatBytes(result.step.size).replace(/^(?=\d)/, '+')} at ${formatDuration(result.step.at * 1000)}`);
	} else if (result.verdict === 'acceptable') {
		parts.push(result.warmupEnd ? 'warm-up then flat' : 'steady');
	} else if (result.verdict === 'undecided') {
		parts.push(result.reason === 'step' ? 'possible step' : result.reason === 'settling' ? 'still settling' : result.reason === 'young' ? 'rising' : result.reason === 'short' ? 'flat so far' : 'unclear yet');
	} else {
		parts.push('linear growth');
	}

	if (result.accelerating) {
		parts.push(result.accelerating);
	}

	if (result.notStabilised) {
		parts.push('not stabilised?');
	}

	return parts.join(', ');
}

/**
Mean RSS of the buckets whose centre lies in [from, to]. Buckets are in time order, so are their
centres: the first is found by bisection and only the buckets inside are read (every frame calls
this twice; a pass over all 512 buckets was ~7% of the live view's CPU, unoptimised).
*/
function levelBetween(store: SeriesStore, from: number, to: number): number | undefined {
	const buckets = store.buckets;
	let low = 0;
	let high = buckets.length;
	while (low < high) {
		const mid = (low + high) >>> 1;
		const bucket = buckets[mid]!;
		if (bucket.sumT / bucket.n < from) {
			low = mid + 1;
		} else {
			high = mid;
		}
	}

	let sum = 0;
	let n = 0;
	for (let i = low; i < buckets.length; i++) {
		const bucket = buckets[i]!;
		if (bucket.sumT / bucket.n > to) {
			break;
		}

		sum += bucket.sum;
		n += bucket.n;
	}

	return n > 0 ? sum / n : undefined;
}

/** Fewer samples than this are too few to judge total growth by. */
export const MIN_GROWTH_SAMPLES = 5;

/**
Total growth: the level at the end minus the level right after warm-up, or the first sample's.
An automatic warm-up cut counts only where the data show a warm-up: growth before the cut at least
twice as fast as after it. A straight line is not a warm-up, and all of its growth counts.
*/
function totalGrowth(store: SeriesStore, warmupEnd: number, rateAfter: number | undefined, automatic: boolean): {bytes: number; afterWarmup: boolean} | undefined {
	const first = store.first;
	const last = store.last;
	if (!first || !last || store.count < MIN_GROWTH_SAMPLES) {
		return undefined;
	}

	const span = last.t - first.t;
	const edge = Math.max(store.bucketWidth, span * 0.05);
	let baseline = first.rss;
	let afterWarmup = false;
	if (warmupEnd > 0) {
		const settled = levelBetween(store, first.t + warmupEnd, first.t + warmupEnd + edge) ?? first.rss;
		const rateBefore = (settled - (levelBetween(store, first.t, first.t + edge) ?? first.rss)) / warmupEnd * 3600;
		if (!automatic || (rateAfter !== undefined && rateBefore >= 2 * Math.max(rateAfter, 0))) {
			baseline = settled;
			afterWarmup = true;
		}
	}

	// The mean of the last 5% follows a leak to its last sample; the median over at least five
	// buckets does not fall with a program freeing its memory on the way out. The higher of the two.
	const end = Math.max(levelBetween(store, last.t - edge, last.t) ?? last.rss, endLevel(store, last.t - edge));
	return {bytes: end - baseline, afterWarmup};
}

/** The end level counts at least this many buckets (samples, in a short run). */
const END_BUCKETS = 5;

/**
The median of the bucket means from `from` on, over at least END_BUCKETS buckets: a program that
frees its memory on the way out leaves a sample or two at the very end far below the level its
work reached (a 29-s test that grew 85 MiB read 55 MiB by the mean of its last 5% alone).
*/
function endLevel(store: SeriesStore, from: number): number {
	const buckets = store.buckets;
	let start = buckets.length;
	while (start > 0 && (buckets.length - start < END_BUCKETS || buckets[start - 1]!.sumT / buckets[start - 1]!.n >= from)) {
		start--;
	}

	const means = scratch('end.means', buckets.length - start);
	for (let i = start; i < buckets.length; i++) {
		means[i - start] = buckets[i]!.sum / buckets[i]!.n;
	}

	return means.length > 0 ? medianInPlace(means) : store.last!.rss;
}

function baselineThreshold(store: SeriesStore, tolerance: number): Threshold {
	// The time before the first mark is `start`. When it is only the workload's start-up (shorter than
	// 3 s or 5% of the run, as when the workload marks its own phases), the first marked phase is the
	// baseline.
	let phases = store.phases;
	const span = (store.last?.t ?? 0) - (store.first?.t ?? 0);
	if (phases[0]?.label === 'start' && phases.length >= 3 && phases[0].end - phases[0].start < Math.max(3, 0.05 * span)) {
		phases = phases.slice(1);
	}

	const first = phases[0];
	const last = phases.at(-1);
	if (!first || !last || phases.length < 2) {
		return {name: 'baseline', status: 'undecided', limit: `at most ${formatBytes(tolerance)} above the first phase`, value: 'no phases yet: mark them with m, SIGUSR2 or --mark-pattern', limitValue: tolerance};
	}

	const difference = phaseEndLevel(last) - phaseEndLevel(first);
	return {
		name: 'baseline',
		// One-sided: back down to the baseline (or below) is clean; only memory left over fails.
		status: difference <= tolerance ? 'pass' : 'fail',
		limit: `at most ${formatBytes(tolerance)} above ${first.label}`,
		value: `${last.label} ends ${formatDelta(difference)} from ${first.label} (${formatBytes(phaseEndLevel(first))} → ${formatBytes(phaseEndLevel(last))})`,
		limitValue: tolerance,
		actualValue: difference,
	};
}

function thresholdsFor(config: AnalysisConfig, growth: Growth, growthTotal: ReturnType<typeof totalGrowth>, store: SeriesStore): Threshold[] {
	const total = growthTotal?.bytes;
	const result: Threshold[] = [];
	if (config.maxGrowth !== undefined) {
		result.push({
			name: 'growth',
			status: total === undefined ? 'undecided' : total <= config.maxGrowth ? 'pass' : 'fail',
			limit: `≤ ${formatBytes(config.maxGrowth)}`,
			value: total === undefined ? `fewer than ${MIN_GROWTH_SAMPLES} samples: too few to judge; use a shorter --interval` : `${formatBytes(total)} ${growthTotal!.afterWarmup ? 'after warm-up' : 'since the first sample'}`,
			limitValue: config.maxGrowth,
			actualValue: total,
		});
	}

	if (config.maxRate !== undefined) {
		const {low, high, rate} = growth;
		let status: Threshold['status'] = 'undecided';
		if (low !== undefined && high !== undefined) {
			status = low > config.maxRate ? 'fail' : high <= config.maxRate ? 'pass' : 'undecided';
		}

		result.push({
			name: 'rate',
			status,
			limit: `≤ ${formatRate(config.maxRate)}`,
			value: low === undefined || high === undefined ? 'not yet known' : `${formatRate(rate)} (95%: ${formatRate(low)} … ${formatRate(high)})`,
			limitValue: config.maxRate,
			actualValue: rate,
		});
	}

	if (config.baselineTolerance !== undefined) {
		result.push(baselineThreshold(store, config.baselineTolerance));
	}

	// The verdict is a gate when asked for, or when no explicit threshold is.
	if (config.verdictGate ?? result.length === 0) {
		result.push({
			name: 'verdict',
			status: growth.verdict === 'failure' || growth.verdict === 'leak' ? 'fail' : growth.verdict === 'undecided' ? 'undecided' : 'pass',
			limit: 'not failure or leak',
			value: growth.verdict,
		});
	}

	return result;
}

/**
Assess the run so far. With `reuse`, the robust verdict (the costly part, ~5 ms on 512 points)
is taken from an earlier assessment and only the cheap figures are recomputed.
*/
export function assess(store: SeriesStore, config: AnalysisConfig = DEFAULT_ANALYSIS, reuse?: Growth): Assessment {
	const q = store.quarters();
	const leastSquares = leastSquaresRate(store.line);
	if (reuse) {
		const total = totalGrowth(store, reuse.warmupEnd ?? 0, reuse.rate, config.warmup === 'auto');
		return {quarters: q, leastSquares, growth: reuse, bands: config.bands, totalGrowth: total?.bytes, thresholds: thresholdsFor(config, reuse, total, store)};
	}

	const {t, y, width, pattern} = levels(store);
	const result = evaluatePipeline(t, y, {
		bands: config.bands, warmup: config.warmup, width, start: store.first?.t ?? 0, basePattern: pattern,
	});
	let note: string | undefined;
	if (result.verdict === 'undecided') {
		const more = result.needMore === undefined ? '' : `, about ${formatMinutes(result.needMore)} more`;
		if (result.rate === undefined) {
			const missing = 12 - Math.min(11, result.points);
			note = pattern.startsWith('sawtooth') ? `need ${count(missing, 'more GC cycle')}` : `need ${count(missing, 'more point')} of data`;
		} else if (result.reason === 'young') {
			note = `rising — warm-up or leak? can't tell yet${more}`;
		} else if (result.reason === 'short') {
			note = `flat so far — too soon to call${more}`;
		} else if (result.reason === 'settling') {
			note = `rising more slowly of late — a warm-up's tail or a leak under it? can't tell yet${more}`;
		} else if (result.reason === 'step') {
			note = 'a step in the data; need more after it';
		} else {
			note = `can't tell yet${more}`;
		}
	}

	const growth: Growth = {
		method: 'Theil–Sen after warm-up',
		rate: result.rate,
		low: result.low,
		high: result.high,
		verdict: result.verdict,
		note,
		reason: result.reason,
		needMore: result.needMore,
		warmupEnd: result.warmupEnd,
		pattern: result.rate === undefined ? undefined : describePattern(result),
		p: result.p,
		step: result.step,
	};
	const total = totalGrowth(store, result.warmupEnd ?? 0, result.rate, config.warmup === 'auto');
	return {quarters: q, leastSquares, growth, bands: config.bands, totalGrowth: total?.bytes, thresholds: thresholdsFor(config, growth, total, store)};
}

/**
How long a decided verdict must hold before it is shown: a tenth of the run so far, between one
and ten minutes. A verdict that flickers on for a minute or two and off again tells a user
nothing true (on the real corpus: 88 verdict changes and 35 wrong minutes without it, 20 and 1
with it), and a verdict worth acting on in an hour's run has held for six minutes.
*/
export function confirmMs(atMs: number): number {
	return Math.min(10 * 60_000, Math.max(60_000, 0.1 * atMs));
}

/**
What the screen, partial reports, `--json` and metrics show. A decided verdict is shown only once
it has held for `needed` consecutive evaluations (or twice, 30 s or more apart, when evaluations
are read rarely) and for `confirm(run time)` since it first appeared; until then the screen says
"looks X, confirming". It is taken back at the first evaluation that does not bear it out, so a
shown verdict never outlives its evidence (`dropped` then says which it was). The final report
reads the pipeline directly: a run's end needs no confirmation.
*/
export class VerdictHold {
	readonly needed: number;
	readonly #holdMs: number;
	readonly #confirm: (atMs: number) => number;
	#candidate: Verdict = 'undecided';
	#count = 0;
	#since = 0;
	#at = 0;
	#shown: Verdict = 'undecided';
	#dropped: Verdict | undefined;

	/** `holdMs`: a verdict seen at least twice over this much run time also counts as held (evaluations read rarely, as by `--print-every 5m`). */
	constructor(needed = 3, holdMs = 30_000, confirm: (atMs: number) => number = confirmMs) {
		this.needed = needed;
		this.#holdMs = holdMs;
		this.#confirm = confirm;
	}

	/** Feed a fresh verdict (at `atMs` of run time); returns the one to show. */
	update(verdict: Verdict, atMs = 0): Verdict {
		this.#at = atMs;
		if (verdict === this.#candidate) {
			this.#count++;
		} else {
			this.#candidate = verdict;
			this.#count = 1;
			this.#since = atMs;
		}

		if (verdict !== this.#shown && this.#shown !== 'undecided') {
			this.#dropped = this.#shown;
			this.#shown = 'undecided';
		}

		const held = (this.#count >= this.needed || (this.#count >= 2 && atMs - this.#since >= this.#holdMs)) && atMs - this.#since >= this.#confirm(atMs);
		if (verdict === 'undecided' || held) {
			if (verdict !== 'undecided') {
				this.#dropped = undefined;
			}

			this.#shown = verdict;
		}

		return this.#shown;
	}

	get shown(): Verdict {
		return this.#shown;
	}

	/** The decided verdict that was taken back most recently, until another is shown. */
	get dropped(): Verdict | undefined {
		return this.#dropped;
	}

	/** While a decided verdict is being confirmed: it, and about how long it still has to hold (ms). */
	get confirming(): {verdict: Verdict; remainingMs: number} | undefined {
		if (this.#candidate === 'undecided' || this.#candidate === this.#shown) {
			return undefined;
		}

		return {verdict: this.#candidate, remainingMs: Math.max(0, this.#confirm(this.#at) - (this.#at - this.#since))};
	}
}
