/**
The CI gates a run is held to — `--max-growth` (total growth, from the first sample, the end of a
spawned command's start-up step or the level after a warm-up that levelled off, to the level before
the target began to exit), `--max-rate`
(the verdict's bounds against a limit), `--baseline-tolerance` (the cleanup check over marked
phases) and the verdict itself — each pass, fail or undecided with the number behind it.
*/
import {formatBytes, formatDelta, formatDuration, formatRate, formatRateRange} from '../units.js';
import {phaseEndLevel, type SeriesStore} from '../series.js';
import {beforeExit, END_READINGS, levelAtEnd, type WorkEnd} from './exit.js';
import {scratch} from './scratch.js';
import {leastSquaresRate, RunningLine} from './least-squares.js';
import {HEAD_SECONDS} from './startup.js';
import {medianInPlace} from './theil-sen.js';
import type {AnalysisConfig, Growth} from './types.js';

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

/**
The buckets whose centre lies in [from, to], as indexes [first, end). Buckets are in time order, so
are their centres: the first is found by bisection and only the buckets inside are read (every
frame calls this a few times; a pass over all 512 buckets was ~7% of the live view's CPU,
unoptimised).
*/
function bucketsBetween(store: SeriesStore, from: number, to: number): [number, number] {
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

	let end = low;
	while (end < buckets.length && buckets[end]!.sumT / buckets[end]!.n <= to) {
		end++;
	}

	return [low, end];
}

/** Mean RSS of the buckets whose centre lies in [from, to]. */
function levelBetween(store: SeriesStore, from: number, to: number): number | undefined {
	const [first, end] = bucketsBetween(store, from, to);
	let sum = 0;
	let n = 0;
	for (let i = first; i < end; i++) {
		sum += store.buckets[i]!.sum;
		n += store.buckets[i]!.n;
	}

	return n > 0 ? sum / n : undefined;
}

/**
The level at `to` of a run still rising there. The mean of the samples in [from, to] is the level
at their mean time, behind the end by half the window: a 3-s test keeping 20 MiB a second counted
46 of its 60 MiB by the mean of its last second. The mean is carried on to `to` by the lesser of
the rise within the window and the run's rise to it from `start` (a sawtooth's ramp inside the
window is not a trend), and never past the window's highest sample.
*/
function levelRisenTo(store: SeriesStore, from: number, to: number, start: {readonly t: number; readonly rss: number}): number | undefined {
	const buckets = store.buckets;
	const [first, end] = bucketsBetween(store, from, to);
	let sum = 0;
	let sumT = 0;
	let n = 0;
	for (let i = first; i < end; i++) {
		sum += buckets[i]!.sum;
		sumT += buckets[i]!.sumT;
		n += buckets[i]!.n;
	}

	if (n === 0) {
		return undefined;
	}

	const level = sum / n;
	const centre = sumT / n;
	// The rise within the window: over its buckets, or over its samples where it holds few buckets
	// (a short run's last second is one).
	const line = new RunningLine();
	let highest = Number.NEGATIVE_INFINITY;
	if (end - first >= 3) {
		for (let i = first; i < end; i++) {
			line.add(buckets[i]!.sumT / buckets[i]!.n, buckets[i]!.sum / buckets[i]!.n);
			highest = Math.max(highest, buckets[i]!.max);
		}
	} else {
		const recent = store.recent();
		for (const [i, t] of recent.t.entries()) {
			if (t >= from && t <= to) {
				line.add(t, recent.y[i]!);
				highest = Math.max(highest, recent.y[i]!);
			}
		}
	}

	const within = (leastSquaresRate(line.sums) ?? 0) / 3600;
	const overall = centre > start.t ? (level - start.rss) / (centre - start.t) : 0;
	const rise = Math.min(within, overall);
	return rise > 0 && highest > level ? Math.min(level + (rise * (to - centre)), highest) : level;
}

/** What total growth counts from: the first sample, the end of a spawned command's start-up step, or the end of a warm-up. */
export type GrowthSince = 'first sample' | 'start-up' | 'warm-up';

/**
Where total growth counts from, in words: "since the first sample", "since start-up ended at
200ms", "since the warm-up's end at 6m 31s", or, while the warm-up's end is not found (`open`),
"since 6m 31s, the warm-up's end so far (it may not be over)"; and where it counts to, when the
work ended before the run did: ", until node (PID 3256) ended at 3.0s".
*/
export function growthBasis({growthFrom, growthSince, growth, growthUntil}: {readonly growthFrom: number | undefined; readonly growthSince?: GrowthSince | undefined; readonly growth?: Pick<Growth, 'warmupOpen'>; readonly growthUntil?: WorkEnd | undefined}): string {
	const until = growthUntil ? `, until ${growthUntil.name} (PID ${growthUntil.pid}) ended at ${formatDuration(growthUntil.t * 1000)}` : '';
	if (!growthFrom) {
		return `since the first sample${until}`;
	}

	const at = formatDuration(growthFrom * 1000);
	return (growthSince === 'start-up' ? `since start-up ended at ${at}` : growth?.warmupOpen ? `since ${at}, the warm-up's end so far (it may not be over)` : `since the warm-up's end at ${at}`) + until;
}

/**
The operations growth per 100K counts, in words: "30,000 operations", "29,000 operations since the
first count at 120ms", or "27,000 operations since the warm-up's end at 2.1s".
*/
export function operationsBasis(per: PerOperations): string {
	const count = `${per.operations.toLocaleString('en-US')} operations`;
	if (per.fromSeconds === undefined) {
		return count;
	}

	const at = formatDuration(per.fromSeconds * 1000);
	return per.since === 'warm-up' ? `${count} since the warm-up's end at ${at}` : per.since === 'start-up' ? `${count} since start-up ended at ${at}` : `${count} since the first count at ${at}`;
}

/** Why the rate gate does not judge the bounds yet, by the verdict's reason for being undecided. */
const WITHHELD: Record<Exclude<NonNullable<Growth['reason']>, 'wide'>, string> = {
	'few-points': 'too few points',
	young: 'rising — warm-up or leak?',
	settling: 'still settling',
	step: 'a step in the data',
	short: 'flat for too short a time',
	confirming: 'the verdict has not held long enough',
	'heap-sizing': 'the JVM\'s heap is growing into its room, or filling before an old collection',
};

/** Fewer samples than this are too few to judge total growth by. */
export const MIN_GROWTH_SAMPLES = 5;

/** An automatic warm-up cut counts only this many buckets or more after the start-up's end. */
const MIN_WARMUP_BUCKETS = 3;

/**
Total growth: the level at the end minus the level right after warm-up, or the level where the run
started: the first sample's, or for a spawned command the first past its start-up step
(analysis/startup.ts). An automatic warm-up cut counts only where the data show a warm-up: growth
from that start to the cut at least twice as fast as after it, over at least MIN_WARMUP_BUCKETS
buckets, and not mostly given back by the end. A straight line is not a warm-up, and all of its growth counts.
`from`: elapsed seconds it counts from (0 for the first sample); `since`: what it counts from.
*/
export function totalGrowth(store: SeriesStore, warmupEnd: number, rateAfter: number | undefined, automatic: boolean): {bytes: number; from: number; since: GrowthSince; end: number; until: WorkEnd | undefined} | undefined {
	const first = store.first;
	const last = store.last;
	if (!first || !last || !store.afterStartup || store.count < MIN_GROWTH_SAMPLES) {
		return undefined;
	}

	// Where the work's largest process ended before the run did, and the tree stayed idle after it,
	// growth is the work's: from its start-up, to the level before it ended. (Its exit, and the shell's
	// `sleep` starting after it, can look like a start-up beginning again: on Node 24 the test's Node
	// left at 3.3 s and "±0 B since start-up ended at 3.5s" passed a test that kept 55 MiB.)
	const until = workEndIn(store);
	const start = until ? store.afterStartupBefore(until.t)! : store.afterStartup;
	const endT = until?.t ?? last.t;
	const span = endT - first.t;
	const edge = Math.max(store.bucketWidth, span * 0.05);
	const started = start.t - first.t;
	// The mean of the last 5% follows a leak to its last sample; the median over at least five
	// buckets does not fall with a program freeing its memory on the way out. The higher of the two.
	const end = Math.max(levelRisenTo(store, endT - edge, endT, start) ?? store.levelAt(endT) ?? last.rss, endLevel(store, endT - edge, until?.t), until ? levelUntil(store, until.t) ?? wholeBucketsUntil(store, until.t, edge, start) ?? 0 : 0);

	let baseline = start.rss;
	let from = started;
	let since: GrowthSince = started > 0 ? 'start-up' : 'first sample';
	// Where the work ended first, the verdict's rate (and its warm-up cut) read the idle tree after it
	// too: a straight leak's "warm-up" then rose faster than the flat after it, and growth of 99 MiB
	// read 61.6 "since the warm-up's end at 15s". A warm-up of the work ends before the work did, and
	// the rate after it is the work's own, to its end.
	const worked = endT - first.t;
	if (warmupEnd > started && (!until || warmupEnd < worked)) {
		const settled = levelBetween(store, first.t + warmupEnd, first.t + warmupEnd + edge) ?? start.rss;
		const before = levelBetween(store, start.t, start.t + edge) ?? start.rss;
		const rateBefore = (settled - before) / (warmupEnd - started) * 3600;
		const after = until ? (end - settled) / (worked - warmupEnd) * 3600 : rateAfter;
		// A rise the run gave back, more than half of it by the end, was no warm-up: a server that
		// held a client's 60 MiB for half a minute and freed it read "−60.0 MiB since the warm-up's
		// end" for a run from 13.8 to 13.9 MiB.
		const givenBack = settled > before && end - before < (settled - before) / 2;
		// A cut within a few buckets of the start-up's end has no rise of its own to measure: its two
		// levels share most of their samples, and a sample 20 ms after another (a timer late on a loaded
		// CI runner) made a straight 20-MiB/s leak's rate before the cut read 90: "since 2.8s, the
		// warm-up's end so far" for a test whose Node had loaded at 2.7.
		const measurable = warmupEnd - started >= MIN_WARMUP_BUCKETS * store.bucketWidth;
		if (!automatic || (measurable && after !== undefined && rateBefore >= 2 * Math.max(after, 0) && !givenBack)) {
			baseline = settled;
			from = warmupEnd;
			since = 'warm-up';
		}
	}

	return {bytes: end - baseline, from, since, end, until};
}

/**
The level the tree ended its work at (`until`), from the samples before it as a process's row reads
them (analysis/exit.ts levelAtEnd), where the store still has them: buckets straddle the exit.
*/
function levelUntil(store: SeriesStore, until: number): number | undefined {
	const {t, y} = store.recent();
	let n = t.length;
	while (n > 0 && t[n - 1]! > until) {
		n--;
	}

	const readings = [];
	for (let i = Math.max(0, n - END_READINGS); i < n; i++) {
		readings.push({t: t[i]!, rss: y[i]!});
	}

	return readings.length > 0 ? levelAtEnd(readings, until) : undefined;
}

/**
The level the work ended at (`until`) from the buckets that ended before it, where the samples
around its exit have left the store's recent ones: a work of minutes, then hours of idle tree. The
bucket that straddles the exit holds the idle tree's levels too, and the last 5% of the work, a
bucket or two, was read through it: 123 MiB for a test that kept 150, then 2 idle hours (16-s
buckets). Their level carried on to the exit by their own rise, at most to the highest the work
was read at (the straddling bucket's highest included).
*/
function wholeBucketsUntil(store: SeriesStore, until: number, edge: number, start: {readonly t: number; readonly rss: number}): number | undefined {
	const buckets = store.buckets;
	let n = 0;
	while (n < buckets.length && buckets[n]!.tLast <= until) {
		n++;
	}

	if (n === 0) {
		return undefined;
	}

	const last = buckets[n - 1]!;
	const straddling = n < buckets.length && buckets[n]!.tFirst <= until ? buckets[n]!.max : Number.NEGATIVE_INFINITY;
	const level = levelRisenTo(store, Math.min(until - edge, last.tFirst - (2 * store.bucketWidth)), last.tLast, start);
	if (level === undefined) {
		return undefined;
	}

	const centre = last.sumT / last.n;
	const before = buckets.slice(Math.max(0, n - 3), n);
	const rise = before.length >= 2 ? Math.max(0, ((last.sum / last.n) - (before[0]!.sum / before[0]!.n)) / (centre - (before[0]!.sumT / before[0]!.n))) : 0;
	return Math.min(level + (rise * (until - last.tLast)), Math.max(straddling, ...before.map(bucket => bucket.max)));
}

/** After the work ended, the tree may rise by this much, or a quarter of what the exit took, and still be idle: a shell, a `sleep`, a script that collects results. */
const IDLE_RISE = 8 * 1024 * 1024;

/** A program that loaded after the work ended grows by more than this (and more than the work) to be the work: a few pages as it settles are not growth. */
const NEXT_JITTER = 1024 * 1024;

/**
The store's work end (analysis/exit.ts workEndOf) where growth is to stop at it: a process whose
program loaded within HEAD_SECONDS of the end of the start-up in effect then, ending after it (a
build step that ended before the workload loaded is not the work) and before the last sample, and
followed by an idle tree (a program that grew after it is the work again). Also where that tail is
short: given a tenth of a core, a test's Node ended 1.3 s before a 7-s run did, the shell's `sleep`
started after it (no fall on the way out, then: the level rose again), and "PASS 0 B since start-up
ended at 6s" passed a test that kept 60 MiB.
*/
export function workEndIn(store: SeriesStore): WorkEnd | undefined {
	const work = store.workEnd;
	const exited = work === undefined ? undefined : store.levelAt(work.t);
	const started = work === undefined ? undefined : store.afterStartupBefore(work.t)?.t;
	if (!work || exited === undefined || started === undefined || work.t <= started || work.t >= store.last!.t) {
		return undefined;
	}

	// The work's own program: loaded as the start-up ended. A server's child that held most of the tree
	// for a minute, started long after, is not the work: its memory was not the server's growth.
	if (work.from > started + HEAD_SECONDS) {
		return undefined;
	}

	let low = Number.POSITIVE_INFINITY;
	let high = Number.NEGATIVE_INFINITY;
	for (const bucket of store.buckets) {
		if (bucket.tFirst > work.t) {
			low = Math.min(low, bucket.min);
			high = Math.max(high, bucket.max);
		}
	}

	if (!(high - low <= Math.max(IDLE_RISE, (exited - low) / 4) || low > high)) {
		return undefined;
	}

	// A program that loaded after it (a start-up that began again) and then grew by more than the work
	// had (and by more than NEXT_JITTER) is the work: a leak gate judges the larger growth. A build that
	// held 300 MiB from its loading to its exit, then the test, which kept 0.7 MiB a second: the quarter
	// of what the build's exit took (75 MiB) let "PASS 80 KiB since start-up ended at 401ms, until node
	// ended at 4.2s" stand while the test had grown by 32. (A `sleep`, or a script collecting results,
	// loads and stays, or grows by less than the test it follows.)
	const next = store.afterStartup;
	if (next !== undefined && next.t > work.t) {
		let top = next.rss;
		for (const bucket of store.buckets) {
			if (bucket.tFirst >= next.t) {
				top = Math.max(top, bucket.max);
			}
		}

		const workGrew = (levelUntil(store, work.t) ?? exited) - store.afterStartupBefore(work.t)!.rss;
		if (top - next.rss > Math.max(NEXT_JITTER, workGrew)) {
			return undefined;
		}
	}

	return work;
}

/** A count `--ops-pattern` read, and the elapsed seconds of the sample taken right after it. */
export type OperationsFrom = {readonly t: number; readonly count: number};

/**
Growth per 100K operations, the operations it counts, and where they count from: the first count
line, or the start-up's or warm-up's end where growth counts from one that came later.
*/
export type PerOperations = {readonly bytes: number | undefined; readonly operations: number; readonly fromSeconds: number | undefined; readonly since?: 'first count' | 'start-up' | 'warm-up'};

/**
Growth per 100K operations. Where the workload printed its count (`first`: its first line and the
sample right after it), the operations count from that line, and so does the growth — from that
sample's level to the end. A runtime is loaded by the time it prints, so its start-up never counts,
even where startup.ts could not tell it from the workload (a loaded machine slows Node's loading
into the workload's pace: 460–530 MiB per 100K for a workload keeping ~437).
Where total growth starts later (a start-up or warm-up that ended after the first line), it is that
growth over the operations done since then, read off the counts (`counts`, as the lines came, each
at the sample after it): the same span for both. (Growth since a warm-up's end over every operation
since the first line read 124 MiB per 100K for a workload keeping 390.)
Without a count line: total growth over all the operations.
*/
export function perOperations(store: SeriesStore, total: {bytes: number; from: number; since?: GrowthSince; end: number} | undefined, operations: number | undefined, first: OperationsFrom | undefined, counts: readonly OperationsFrom[] = []): PerOperations | undefined {
	if (!operations) {
		return undefined;
	}

	if (total && first && operations > first.count) {
		const origin = store.first?.t ?? 0;
		const at = first.t - origin;
		if (at < total.from) {
			// Growth counts from later than the first line: the operations too.
			const done = Math.round(countAt(counts, origin + total.from) ?? Number.NaN);
			if (operations > done) {
				return {bytes: total.bytes / (operations - done) * 100_000, operations: operations - done, fromSeconds: total.from, since: total.since === 'start-up' ? 'start-up' : 'warm-up'};
			}
		}

		// From the first line's level. Where the counts are not known at a later start of total growth
		// (a report written before they were kept), from the first line too: growth and operations over
		// the same span, rather than a later span's growth over all of them.
		// The sample itself where the store still has it: the first second's bucket mean, at 5 samples
		// a second, read a Rust test 6 MiB below its first count's level (19.3 MiB per 100K for 25).
		const half = store.bucketWidth / 2;
		const level = store.sampleAt(first.t) ?? levelBetween(store, first.t - half, first.t + half) ?? store.afterStartup?.rss;
		const bytes = level === undefined ? total.bytes : total.end - level;
		return {bytes: bytes / (operations - first.count) * 100_000, operations: operations - first.count, fromSeconds: at, since: 'first count'};
	}

	return {bytes: total === undefined ? undefined : total.bytes / operations * 100_000, operations, fromSeconds: undefined};
}

/**
The operations done at elapsed time `t` (store time), by straight lines between the counts read
(sorted by time); undefined before the first or without counts.
*/
function countAt(counts: readonly OperationsFrom[], t: number): number | undefined {
	if (counts.length === 0 || t < counts[0]!.t) {
		return undefined;
	}

	for (let i = 1; i < counts.length; i++) {
		const [a, b] = [counts[i - 1]!, counts[i]!];
		if (t <= b.t) {
			return b.t === a.t ? b.count : a.count + ((b.count - a.count) * (t - a.t) / (b.t - a.t));
		}
	}

	return counts.at(-1)!.count;
}

/** Counts kept for `countAt`: past this many, the one whose neighbours are closest goes. */
export const MAX_OPERATION_COUNTS = 256;

/**
Keep `point` in `counts` (in place): at most MAX_OPERATION_COUNTS, the first and the latest always,
the rest about evenly over the run (one kept a sample is 256 for a minute's run, as for a day's).
*/
export function keepOperationCount(counts: OperationsFrom[], point: OperationsFrom): void {
	if (counts.length > 0 && counts.at(-1)!.count === point.count) {
		return;
	}

	counts.push(point);
	if (counts.length > MAX_OPERATION_COUNTS) {
		let drop = 1;
		for (let i = 2; i < counts.length - 1; i++) {
			if (counts[i + 1]!.t - counts[i - 1]!.t < counts[drop + 1]!.t - counts[drop - 1]!.t) {
				drop = i;
			}
		}

		counts.splice(drop, 1);
	}
}

/** The end level counts at least this many buckets (samples, in a short run). */
const END_BUCKETS = 5;

/**
The median of the bucket means from `from` on, over at least END_BUCKETS buckets: a program that
frees its memory on the way out leaves a sample or two at the very end far below the level its
work reached (a 29-s test that grew 85 MiB read 55 MiB by the mean of its last 5% alone). Where
the last buckets are such a fall (analysis/exit.ts), the median is of the buckets before it; with
`until`, of the buckets up to where the work ended.
*/
function endLevel(store: SeriesStore, from: number, until?: number): number {
	const buckets = store.buckets;
	const mean = (i: number): number => buckets[i]!.sum / buckets[i]!.n;
	let n = buckets.length;
	while (until !== undefined && n > 1 && buckets[n - 1]!.tFirst > until) {
		n--;
	}

	let end = beforeExit(n, mean, i => buckets[i]!.tFirst, until ?? store.last!.t);
	if (end < END_BUCKETS) {
		end = n;
	}

	let start = end;
	while (start > 0 && (end - start < END_BUCKETS || buckets[start - 1]!.sumT / buckets[start - 1]!.n >= from)) {
		start--;
	}

	const means = scratch('end.means', end - start);
	for (let i = start; i < end; i++) {
		means[i - start] = mean(i);
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

export function thresholdsFor(config: AnalysisConfig, growth: Growth, growthTotal: {bytes: number; from: number; since: GrowthSince; until?: WorkEnd | undefined} | undefined, store: SeriesStore): Threshold[] {
	const total = growthTotal?.bytes;
	const result: Threshold[] = [];
	if (config.maxGrowth !== undefined) {
		result.push({
			name: 'growth',
			status: total === undefined ? 'undecided' : total <= config.maxGrowth ? 'pass' : 'fail',
			limit: `≤ ${formatBytes(config.maxGrowth)}`,
			value: total === undefined ? `fewer than ${MIN_GROWTH_SAMPLES} samples: too few to judge; use a shorter --interval` : `${total < 0 ? formatDelta(total) : formatBytes(total)} ${growthBasis({growthFrom: growthTotal!.from, growthSince: growthTotal!.since, growth, growthUntil: growthTotal!.until})}`,
			limitValue: config.maxGrowth,
			actualValue: total,
		});
	}

	if (config.maxRate !== undefined) {
		const {low, high, rate} = growth;
		// The rate after stabilisation is what the limit is for: while the verdict cannot tell a
		// warm-up from a leak (or a step from a trend, or calls flat too soon), its bounds are not
		// judged — a healthy server still sizing its heap grows faster than 1 MiB/h for certain.
		const withheld = growth.reason === undefined || growth.reason === 'wide' ? undefined : WITHHELD[growth.reason];
		let status: Threshold['status'] = 'undecided';
		if (low !== undefined && high !== undefined && withheld === undefined) {
			status = low > config.maxRate ? 'fail' : high <= config.maxRate ? 'pass' : 'undecided';
		}

		// A bound that ran off the data is said as such ("95%: — … —" before).
		const bounds = low === undefined || high === undefined ? 'not yet known' : `${formatRate(rate)} (95%: ${formatRateRange(low, high)})`;
		result.push({
			name: 'rate',
			status,
			limit: `≤ ${formatRate(config.maxRate)}`,
			value: withheld === undefined || bounds === 'not yet known' ? bounds : `${bounds}, not judged yet: ${withheld}`,
			limitValue: config.maxRate,
			actualValue: rate,
		});
	}

	if (config.baselineTolerance !== undefined) {
		result.push(baselineThreshold(store, config.baselineTolerance));
	}

	// The verdict is a gate when asked for, or when no explicit threshold is.
	if (config.verdictGate ?? result.length === 0) {
		// Undecided says why, and, where the verdict is the only gate, what gates a short test: a
		// test of a minute leaking 100 MiB is "rising — warm-up or leak?" and exits 0.
		const why = growth.reason === undefined ? undefined : growth.reason === 'wide' ? 'its bounds cross a band\'s edge' : WITHHELD[growth.reason];
		const hint = result.length === 0 ? '; --max-growth SIZE gates a test\'s total growth' : '';
		result.push({
			name: 'verdict',
			status: growth.verdict === 'failure' || growth.verdict === 'leak' ? 'fail' : growth.verdict === 'undecided' ? 'undecided' : 'pass',
			limit: 'acceptable or warning',
			value: growth.verdict === 'undecided' && why !== undefined ? `undecided: ${why}${hint}` : growth.verdict,
		});
	}

	return result;
}

