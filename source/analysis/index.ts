/**
Everything the screen and the reports say about growth, computed from the series store: the
memory-test plan's quarters and the least-squares slope for comparison, the robust verdict with its bounds
(verdict.ts) and the pattern and note in words; the CI gates (gates.ts) and the display's hold
(hold.ts) are re-exported from here.
*/
import {count, formatBytes, formatDuration, formatMinutes, formatRate} from '../units.js';
import type {SeriesStore} from '../series.js';
import {leastSquaresRate} from './least-squares.js';
import type {QuarterSummary} from './quarters.js';
import {scratch} from './scratch.js';
import {DEFAULT_BANDS, type AnalysisConfig, type Band, type Bands, type Growth} from './types.js';
import {autoCut, evaluatePipeline, type PipelineResult} from './verdict.js';
import {MIN_POINTS} from './robust-rate.js';
import {thresholdsFor, totalGrowth, workEndIn, type GrowthSince, type Threshold} from './gates.js';
import {confirmMs} from './hold.js';
import type {WorkEnd} from './exit.js';
import {heapSizing, type HeapSizing} from './heap-sizing.js';

export {DEFAULT_BANDS, type AnalysisConfig, type Band, type Bands, type Growth, type UndecidedReason, type Verdict} from './types.js';
export {confirmMs, VerdictHold} from './hold.js';
export {growthBasis, keepOperationCount, MIN_GROWTH_SAMPLES, operationsBasis, perOperations, type GrowthSince, type OperationsFrom, type PerOperations, type Threshold} from './gates.js';
export {GAP_NOTE} from './quarters.js';
export {workEndOf, type WorkEnd} from './exit.js';

/** The defaults: bands 1 and 5 MiB/h, automatic warm-up, no thresholds. */
export const DEFAULT_ANALYSIS: AnalysisConfig = {bands: DEFAULT_BANDS, warmup: 'auto'};

/** The whole assessment of a run so far. */
export type Assessment = {
	readonly quarters: QuarterSummary | undefined;
	/** Least-squares slope over all samples, bytes per hour. */
	readonly leastSquares: number | undefined;
	readonly growth: Growth;
	readonly bands: Bands;
	/** Growth to the end from the level after a warm-up that levelled off, or from the first sample; bytes. */
	readonly totalGrowth: number | undefined;
	/** Where `totalGrowth` counts from: elapsed seconds of the warm-up's or start-up's end, or 0 for the first sample. */
	readonly growthFrom: number | undefined;
	/** What `totalGrowth` counts from. */
	readonly growthSince: GrowthSince | undefined;
	/** The level `totalGrowth` counts to (the end's), bytes. */
	readonly growthEnd?: number | undefined;
	/** Where `totalGrowth` counts to when the work ended before the run did: the process that ended, and when (exit.ts). */
	readonly growthUntil?: WorkEnd | undefined;
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
GC floors a sawtooth needs after its warm-up before they replace the bucket minima: twice the
points a rate needs. A dozen floors, a point a GC cycle, bound a rate several times wider than the
hundreds of bucket minima they replace: a Node server leaking 8.7 MiB/h (node-http-leak-8, a GC
cycle every ~5 minutes) was shown FAILURE from minute 59 on its bucket minima, 13 floors took
over at minute 66 and read "−1.7 … +15.6", then the warm-up's rise as a step, and the FAILURE was
taken back for the hour after. With 24 it stays (a leak-free job worker's acceptable came 4
minutes later, past its recording's end; on the generated grid 1.2 points more undecided,
coverage 0.5 points higher).
*/
const FLOOR_POINTS = 2 * MIN_POINTS;

/**
The levels the pipeline analyses: GC floors for a sawtooth, otherwise bucket minima. In scratch
slots: valid until the next call.
Floors only once there are FLOOR_POINTS of them after the warm-up the bucket minima show (or a
fixed one), and that warm-up is then cut from them too: a point a GC cycle is too few to find one.
*/
export function levels(store: SeriesStore, warmup: AnalysisConfig['warmup'] = 'auto'): {t: Float64Array; y: Float64Array; width: number; pattern: string; settled?: {t: number; capped: boolean; open: boolean}} {
	const buckets = store.buckets;
	const t0 = store.first?.t ?? 0;
	const width = store.bucketWidth;
	const t = fill('levels.t', buckets, bucket => t0 + ((bucket.index + 0.5) * width));
	const y = fill('levels.y', buckets, bucket => bucket.min);
	const floors = store.floors;
	const list = floors.isSawtooth ? floors.floors() : [];
	if (list.length >= MIN_POINTS) {
		let settled = {t: t0 + (warmup === 'auto' ? 0 : warmup), capped: false, open: false};
		if (warmup === 'auto' && t.length >= MIN_POINTS) {
			const {cut, capped, open} = autoCut(t, y);
			settled = {t: t[cut]!, capped, open};
		}

		if (list.filter(floor => floor.t >= settled.t).length >= FLOOR_POINTS) {
			const period = floors.period ?? store.bucketWidth;
			return {
				t: fill('levels.t', list, floor => floor.t),
				y: fill('levels.y', list, floor => floor.value),
				width: period,
				pattern: `sawtooth ~${formatDuration(period * 1000)}`,
				settled,
			};
		}
	}

	return {t, y, width, pattern: ''};
}

/**
The levels the verdict judges (`levels`), and the time of the last: the run's, or where the work
ended before the run did (gates.ts workEndIn: its largest process ended, and the tree stayed idle
after it) — the work's. `sh -c 'node test.js; sleep 200'` with a test that kept 50 MiB in 20 s:
over the whole run the test's rise was cut as a warm-up and the shell's sleep judged, "flat so
far — too soon to call", and ten minutes of it would have read ACCEPTABLE beside a growth gate's
FAIL 50.2 MiB. (`workEnded`: what the verdict cannot tell yet, a longer run of the work may.)
*/
function judged(store: SeriesStore, warmup: AnalysisConfig['warmup']): ReturnType<typeof levels> & {last: number | undefined; workEnded: boolean} {
	const all = levels(store, warmup);
	const until = workEndIn(store);
	if (until === undefined) {
		return {...all, last: store.last?.t, workEnded: false};
	}

	// Whole buckets only: one that straddles the end holds the idle tree's level too, no level of the
	// work's. (A sawtooth's levels are its floors, each at its own time.) And from the work's
	// start-up's end, as its growth counts: the bucket the command exec'd in holds its level before
	// the runtime loaded, and among a short work's few buckets it read as a step (a test of a minute,
	// then 25 idle, in 4-s buckets: "a step in the data").
	const half = all.pattern.startsWith('sawtooth') ? 0 : all.width / 2;
	const loaded = store.afterStartupBefore(until.t)?.t ?? Number.NEGATIVE_INFINITY;
	let from = 0;
	while (from < all.t.length && all.t[from]! - half < loaded - 1e-9) {
		from++;
	}

	let n = all.t.length;
	while (n > from && all.t[n - 1]! + half > until.t + 1e-9) {
		n--;
	}

	// (A sawtooth's settling found past the work's end is the idle tree's: the levels are its buckets'.)
	const settled = all.settled && all.settled.t <= until.t ? all.settled : undefined;
	return {...all, t: all.t.subarray(from, n), y: all.y.subarray(from, n), settled, last: until.t, workEnded: true};
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
		parts.push(result.onsetAt === undefined ? 'linear growth' : `linear growth since ${formatDuration(result.onsetAt * 1000)}, flat before`);
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
Assess the run so far. With `reuse`, the robust verdict (the costly part, ~5 ms on 512 points)
is taken from an earlier assessment and only the cheap figures are recomputed.
*/
export function assess(store: SeriesStore, config: AnalysisConfig = DEFAULT_ANALYSIS, reuse?: Growth): Assessment {
	const q = store.quarters();
	const leastSquares = leastSquaresRate(store.line);
	if (reuse) {
		const total = totalGrowth(store, reuse.warmupEnd ?? 0, reuse.rate, config.warmup === 'auto');
		return {quarters: q, leastSquares, growth: reuse, bands: config.bands, totalGrowth: total?.bytes, growthFrom: total?.from, growthSince: total?.since, growthEnd: total?.end, growthUntil: total?.until, thresholds: thresholdsFor(config, reuse, total, store)};
	}

	const {t, y, width, pattern, settled, last, workEnded} = judged(store, config.warmup);
	const result = evaluatePipeline(t, y, {
		bands: config.bands, warmup: config.warmup, width, start: store.first?.t ?? 0, basePattern: pattern, settled,
		cycle: store.floors.drops >= 4 && !pattern.startsWith('sawtooth') ? store.floors.period : undefined,
	});
	const sizing = sizingOf(store, result, last);
	const note = sizing ? sizingNote(sizing) : result.verdict === 'undecided' ? undecidedNote(result, pattern.startsWith('sawtooth'), (last ?? 0) - (store.first?.t ?? 0), workEnded) : undefined;
	const growth: Growth = sizing ? {
		method: 'Theil–Sen after warm-up',
		rate: result.rate,
		low: result.low,
		high: result.high,
		verdict: 'undecided',
		note,
		reason: 'heap-sizing',
		warmupEnd: result.warmupEnd,
		warmupOpen: result.warmupOpen || undefined,
		pattern: sizing.kind === 'room' ? 'a JVM heap growing into its room: RSS may rise to its maximum' : 'a JVM heap filling before its first old collection: RSS may rise to its maximum',
		p: result.p,
	} : {
		method: 'Theil–Sen after warm-up',
		rate: result.rate,
		low: result.low,
		high: result.high,
		verdict: result.verdict,
		note,
		reason: result.reason,
		needMore: result.needMore,
		needMoreLeast: result.needMoreLeast,
		workEnded: workEnded || undefined,
		warmupEnd: result.warmupEnd,
		warmupOpen: result.warmupOpen || undefined,
		pattern: result.rate === undefined ? undefined : describePattern(result),
		p: result.p,
		step: result.step,
	};
	const total = totalGrowth(store, result.warmupEnd ?? 0, result.rate, config.warmup === 'auto');
	return {quarters: q, leastSquares, growth, bands: config.bands, totalGrowth: total?.bytes, growthFrom: total?.from, growthSince: total?.since, growthEnd: total?.end, growthUntil: total?.until, thresholds: thresholdsFor(config, growth, total, store)};
}

/**
A warning, failure or leak that is a managed heap's own growth (heap-sizing.ts: growing into its
room, its objects flat; or filling before an old collection can tell its objects from garbage):
read over the stretch the rate was, from the warm-up's end to the last sample.
*/
function sizingOf(store: SeriesStore, result: PipelineResult, last: number | undefined): HeapSizing | undefined {
	const {verdict, rate} = result;
	if (!store.heap || rate === undefined || last === undefined || (verdict !== 'warning' && verdict !== 'failure' && verdict !== 'leak')) {
		return undefined;
	}

	return heapSizing(store.heap, result.warmupEnd ?? store.first?.t ?? 0, last, rate);
}

/** What an undecided verdict says when the growth is a managed heap's own: short enough for the gauge's line at 120 columns (the pattern says the rest). */
function sizingNote(sizing: HeapSizing): string {
	return sizing.kind === 'room'
		? `JVM heap growing into its room (${formatBytes(sizing.committed)} of ${formatBytes(sizing.max)}), objects ${formatRate(sizing.usedRate)}: not a leak of objects; test with -Xmx`
		: `JVM heap not yet collected in full: objects ${formatRate(sizing.usedRate)}, live or garbage; an old GC will tell (a smaller -Xmx, sooner)`;
}

/** The assessment with another growth verdict (held or confirmed): the gates follow it. */
export function withGrowth(assessment: Assessment, growth: Growth, store: SeriesStore, config: AnalysisConfig): Assessment {
	const total = assessment.totalGrowth === undefined ? undefined : {bytes: assessment.totalGrowth, from: assessment.growthFrom ?? 0, since: assessment.growthSince ?? 'first sample', until: assessment.growthUntil};
	return {...assessment, growth, thresholds: thresholdsFor(config, growth, total, store)};
}

/**
Earlier moments at which a run's final verdict must also have been the pipeline's: as often as the
live view evaluates it (every END_EVERY seconds), at most END_CHECKS times. Near a band's edge the
pipeline can flicker — a healthy Node 24 job worker's lower bound went 4 → 14 → 4 MiB/h across 5
within a minute, "leak" one evaluation in four — and five checks found "failure" at all five, so
a run stopped at minute 54 ended FAILURE while its screen, whose hold saw every flicker, had never
shown it.
*/
const END_EVERY = 5;
const END_CHECKS = 24;

/**
The assessment at a run's end — the final reports, `memmon analyze`, the exit code. The pipeline's
verdict stands when it also held over the last tenth of the run (one to ten minutes, as a verdict
must hold before the screen shows it): the levels up to earlier moments in that stretch, every
5 s of it and at most 24, give the same verdict. Otherwise the run ends undecided, saying what the
verdict looked like. A run stopped at a moment when a warm-up first looked like a leak does not
end in a failure: on the real recordings, a run ended at any minute read the pipeline's verdict
wrongly in 56 of 496 decided minutes (a healthy Node job worker FAILURE at 25 minutes, a JVM at
23), this way in 0 of 244 (`node dist-bench/bench/real.js`, "had the run ended at that minute").
*/
export function assessAtEnd(store: SeriesStore, config: AnalysisConfig = DEFAULT_ANALYSIS): Assessment {
	const assessment = assess(store, config);
	const {growth} = assessment;
	const first = store.first?.t;
	const {t, y, width, pattern, settled, last} = judged(store, config.warmup);
	if (growth.verdict === 'undecided' && growth.reason !== 'heap-sizing' && growth.rate !== undefined && growth.note !== undefined && first !== undefined && last !== undefined) {
		return {...assessment, growth: {...growth, note: undecidedNote({rate: growth.rate, reason: growth.reason, needMore: growth.needMore, needMoreLeast: growth.needMoreLeast, points: 0}, false, last - first, true)}};
	}

	if (growth.verdict === 'undecided' || first === undefined || last === undefined) {
		return assessment;
	}

	const window = confirmMs((last - first) * 1000) / 1000;
	const checks = Math.min(END_CHECKS, Math.max(1, Math.floor(window / END_EVERY)));
	let n = t.length;
	for (let k = 1; k <= checks; k++) {
		const until = last - (window * k / checks);
		const before = n;
		while (n > 0 && t[n - 1]! > until) {
			n--;
		}

		if (n === before && k > 1) {
			continue;
		}

		const earlier = evaluatePipeline(t.subarray(0, n), y.subarray(0, n), {bands: config.bands, warmup: config.warmup, width, start: first, basePattern: pattern, settled}).verdict;
		if (earlier !== growth.verdict) {
			const held = formatDuration(window * 1000);
			return withGrowth(assessment, {...growth, verdict: 'undecided', reason: 'confirming', needMore: undefined, note: `looked ${growth.verdict} at the end, but not over the last ${held}: not confirmed, run longer to tell`}, store, config);
		}
	}

	return assessment;
}

/**
A live run's final assessment: the end's own (assessAtEnd), or, where that cannot tell while the
screen shows a verdict (`shown`, the display's hold), the screen's. The hold confirmed that verdict
over a tenth of the run and keeps it through a flicker; the end check reads only the last tenth,
and a flicker there ended undecided what the screen had said: a Python server leaking 20 MiB/h
shown LEAK from minute 36 ended "looked failure at the end, but not over the last 3m 51s", exit
0. On the real recordings, runs stopped at any minute end decided in 53 more minutes this way,
every one right. `memmon analyze` has no screen to go by: it reads assessAtEnd alone.
*/
export function asShownAtEnd(end: Assessment, shown: Assessment): Assessment {
	// A JVM's heap growing (heap-sizing.ts) is a fact at the end, not an end that cannot tell.
	return end.growth.verdict === 'undecided' && end.growth.reason !== 'heap-sizing' && shown.growth.verdict !== 'undecided' ? shown : end;
}

/**
Why the verdict is undecided, and about how much longer the run needs, in words. The wait for
bounds to narrow is an extrapolation: past twice the run so far (`age`, seconds) it swings from an
hour to days between evaluations (a rate near a band's edge), so it is said as that.
A rise's wait is a floor, said as one: "at least N min more if it keeps rising" (N the least of
the gate's wait, should the warm-up's end be found now). A leak is called only after that much
steady growth, and then only where the bounds and the checks for slowing growth and steps allow;
a rise that stops can be called acceptable sooner. Said as "about N" (or "about A–B"), on the
real recordings the verdict came within ×½…×2 of N in a third of such minutes decided later, and
most (984) were never decided before the recording ended. As a floor, a leak came sooner in 1 of
408 (by 11 minutes: a rise after a flat stretch, called from its onset).
*/
function undecidedNote({rate, reason, needMore, needMoreLeast, points}: Pick<PipelineResult, 'rate' | 'reason' | 'needMore' | 'needMoreLeast' | 'points'>, sawtooth: boolean, age = 0, ended = false): string {
	const beyond = pastTwiceTheRun({reason, needMore}, age);
	const rising = reason === 'young';
	const wait = needMore === undefined ? '' : rising ? formatMinutes(needMoreLeast ?? needMore, true) : formatMinutes(needMore);
	const about = rising ? 'at least' : 'about';
	// A run that has ended has no "more": what a longer one may tell.
	const more = needMore === undefined ? '' : ended ? (beyond ? '; a run three times as long may tell' : `; a run ${about} ${wait} longer may tell`) : (beyond ? ', more than twice the run so far' : `, ${about} ${wait} more${rising ? ' if it keeps rising' : ''}`);
	const yet = ended ? '' : ' yet';
	if (rate === undefined) {
		const missing = 12 - Math.min(11, points);
		return sawtooth ? `need ${count(missing, 'more GC cycle')}` : `need ${count(missing, 'more point')} of data`;
	}

	switch (reason) {
		case 'young': {
			return `rising — warm-up or leak? can't tell${yet}${more}`;
		}

		case 'short': {
			return `flat so far — too soon to call${more}`;
		}

		case 'settling': {
			return `rising more slowly of late — a warm-up's tail or a leak under it? can't tell${yet}${more}`;
		}

		case 'step': {
			return `a step in the data; need more after it${more}`;
		}

		default: {
			return `can't tell${yet}${more}`;
		}
	}
}

/** Whether "about N min more" is said as "more than twice the run so far" (`age`, seconds): a wait for bounds to narrow past it. */
export function pastTwiceTheRun({reason, needMore}: Partial<Pick<PipelineResult, 'reason' | 'needMore'>>, age: number): boolean {
	return reason === 'wide' && needMore !== undefined && needMore > 2 * age;
}

/**
An undecided verdict waiting on a time gate (rising, flat, or flat again after a step for too
short a time) whose wait ("at least N min more", "about N min more") also counts `seconds` more:
the time a verdict, once the pipeline gives it, must hold before a screen shows it. A gate's wait is a floor the pipeline knows; the wait for bounds to narrow
(`wide`) is an estimate that does not run short on real processes (on the corpus, verdicts came at
a median 0.45 of the wait it said while the warm-up estimate was free, 1.0 while at its cap), so it
is left as it is.
*/
export function laterBy(growth: Growth, seconds: number, leastSeconds = seconds): Growth {
	if (growth.verdict !== 'undecided' || growth.needMore === undefined || growth.rate === undefined || (growth.reason !== 'young' && growth.reason !== 'short' && growth.reason !== 'step')) {
		return growth;
	}

	const needMore = growth.needMore + seconds;
	const needMoreLeast = growth.needMoreLeast === undefined ? undefined : growth.needMoreLeast + leastSeconds;
	return {...growth, needMore, needMoreLeast, note: undecidedNote({rate: growth.rate, reason: growth.reason, needMore, needMoreLeast, points: 0}, false, 0, growth.workEnded === true)};
}

/**
The growth as a screen says it at `elapsedMs` of run time: a time gate's wait also
counts the hold's wait, since a verdict the pipeline gives then is shown once it has held for a
tenth of the run.
*/
export function withHoldWait(growth: Growth, elapsedMs: number): Growth {
	if (growth.needMore === undefined) {
		return growth;
	}

	const hold = (wait: number): number => confirmMs(elapsedMs + (wait * 1000)) / 1000;
	return laterBy(growth, hold(growth.needMore), growth.needMoreLeast === undefined ? undefined : hold(growth.needMoreLeast));
}
