/**
The series store: what memmon keeps of a run, in memory that does not grow with its length.

- Buckets: at most `maxBuckets` (512) summaries (first/last time and value, n, min, max, sum,
  sum of squares). When they are full, neighbours are merged in pairs and the width doubles, so a
  24-hour run at 1 Hz costs the same as a 10-minute one. The analysis and the whole-run chart read
  these.
- Recent: a ring of the last `recentCapacity` raw points, for the zoomed-in chart.
- Totals: count, failed reads, first, last, min, max, peak (VmHWM), and the running sums of an
  ordinary least-squares line.
- Head: the first points (analysis/startup.ts headFull), where a spawned command's start-up step is found.

     width w            merge when full: width 2w
  |--b0--|--b1--|…|--b511--|   ──►   |----b0'----|----b1'----|…|--b255'--|(256 free)
*/

import {addToBucket, mergeInto, newBucket, type Bucket} from './bucket.js';
import {FloorTracker} from './analysis/floors.js';
import {RunningLine, type LineSums} from './analysis/least-squares.js';
import {QuarterIndex, type QuarterSummary} from './analysis/quarters.js';
import type {WorkEnd} from './analysis/exit.js';
import type {HeapPoint} from './analysis/heap-sizing.js';
import {headFull, startupEndOf, StartupRestarts} from './analysis/startup.js';
import {medianInPlace} from './analysis/theil-sen.js';
import {counted, kindMeans, startupLevel, type Count} from './counts.js';
import {Phases, type Phase} from './phases.js';
import {RecentRing} from './ring.js';

export type {Bucket} from './bucket.js';
export type {LineSums} from './analysis/least-squares.js';
export {COUNT_SETTLED_SECONDS, type Count} from './counts.js';
export {phaseEndLevel, phaseRate, type Phase} from './phases.js';

/** One sample as the store keeps it: elapsed seconds and bytes. */
export type Point = {
	readonly t: number;
	readonly rss: number;
	readonly hwm?: number | undefined;
	/** PSS and swap, on the samples where they were read (drawn in report.html). */
	readonly pss?: number | undefined;
	readonly swap?: number | undefined;
	/** Threads and open file descriptors of the tree, where known. */
	readonly threads?: number | undefined;
	readonly fds?: number | undefined;
	/** RSS by kind: anonymous, file-backed, shared memory (they add up to `rss`). */
	readonly anon?: number | undefined;
	readonly file?: number | undefined;
	readonly shmem?: number | undefined;
	/** The RSS of the programs that started in the tree since the sample before: new processes, and execs (StartupRestarts). */
	readonly started?: number | undefined;
};

/** Bytes each kind of memory moved by (from the first quarter of the run to the last). */
export type KindGrowth = {readonly anon: number; readonly file: number; readonly shmem: number};

/** RSS by kind over a run, where every sample's parts were read. */
export type Kinds = {readonly anon: Count; readonly file: Count; readonly shmem: Count};

/** A user's mark: a point in the run with a label. */
export type Mark = {readonly t: number; readonly label: string; readonly symbol?: string | undefined};

/** Options of the store. */
export type SeriesOptions = {
	/** Width of a bucket at the start, in seconds (the sampling interval). */
	readonly baseWidth: number;
	readonly maxBuckets?: number;
	readonly recentCapacity?: number;
	readonly maxMarks?: number;
	/** The first sample is a spawned command's, taken as it execs: its start-up step is not growth (afterStartup). */
	readonly spawned?: boolean | undefined;
};

/**
Where a start-up step's level held: `end`, or where the level after it mostly sat more than half
the step below its top (a child read beside the workload in its first samples, not its loading),
the first sample from there at or below their median. A Python test that ran a 21-MiB child each
second was first read with one beside it (36 MiB, then 14.7): "+17.0 MiB" for the 40 it kept.
*/
function heldFrom(head: readonly Point[], end: number): number {
	const after = head.slice(end);
	if (end === 0 || after.length < 4) {
		return end;
	}

	const median = medianInPlace(Float64Array.from(after, p => p.rss));
	const top = head[end]!.rss;
	if (median >= top - ((top - head[0]!.rss) / 2)) {
		return end;
	}

	return end + after.findIndex(p => p.rss <= median);
}

/** The bounded store of one run's samples. */
export class SeriesStore {
	readonly maxBuckets: number;
	/** GC cycle floors, fed with every sample. */
	readonly floors = new FloorTracker();
	readonly #buckets: Bucket[] = [];
	readonly #quarters = new QuarterIndex();
	#width: number;
	readonly #recent: RecentRing;
	readonly #marks: Mark[] = [];
	readonly #maxMarks: number;
	readonly #phases: Phases;
	#count = 0;
	#failed = 0;
	#first: Point | undefined;
	readonly #head: Point[] = [];
	readonly #spawned: boolean;
	#startupEnd: number | undefined;
	/** Start-ups that began again once the head was full: a build or setup step before the workload (StartupRestarts). */
	#restarts: StartupRestarts<Point> | undefined;
	/** When the workload said it was running (loadedBy): its start-up had ended by then. */
	#loadedAt = Number.POSITIVE_INFINITY;
	#last: Point | undefined;
	#min = Number.POSITIVE_INFINITY;
	/** The smallest RSS past the head (the head's own samples are looked at where start-up ends). */
	#minPastHead = Number.POSITIVE_INFINITY;
	#max = Number.NEGATIVE_INFINITY;
	#tMax = 0;
	#hwm: number | undefined;
	#threads: Count | undefined;
	#fds: Count | undefined;
	#kinds: Kinds | undefined;
	readonly #line = new RunningLine();

	constructor(options: SeriesOptions) {
		this.maxBuckets = options.maxBuckets ?? 512;
		this.#width = options.baseWidth;
		this.#recent = new RecentRing(options.recentCapacity ?? 4096);
		this.#maxMarks = options.maxMarks ?? 1000;
		this.#phases = new Phases(this.#maxMarks);
		this.#spawned = options.spawned ?? false;
	}

	/** Add a sample. Times must not go backwards. */
	add(point: Point): void {
		const {t, rss} = point;
		this.#first ??= point;
		if (!headFull(this.#head)) {
			this.#head.push(point);
		}

		this.#last = point;
		this.#count++;
		if (this.#spawned) {
			this.#followStartup(point);
		}

		if (this.#count > this.#head.length && rss < this.#minPastHead) {
			this.#minPastHead = rss;
		}

		if (rss < this.#min) {
			this.#min = rss;
		}

		if (rss > this.#max) {
			this.#max = rss;
			this.#tMax = t;
		}

		if (point.hwm !== undefined && (this.#hwm === undefined || point.hwm > this.#hwm)) {
			this.#hwm = point.hwm;
		}

		const settled = startupLevel(t - this.#first.t);
		this.#threads = counted(this.#threads, point.threads, settled);
		this.#fds = counted(this.#fds, point.fds, settled);
		if (point.anon !== undefined && point.file !== undefined && point.shmem !== undefined) {
			this.#kinds = {anon: counted(this.#kinds?.anon, point.anon, settled)!, file: counted(this.#kinds?.file, point.file, settled)!, shmem: counted(this.#kinds?.shmem, point.shmem, settled)!};
		}

		this.#line.add(t, rss);
		this.#addToBucket(point);
		this.floors.add(t, rss);
		this.#phases.add(t, rss);

		this.#recent.push(t, rss);
	}

	/** Count a sample that could not be read: a gap, not a zero. */
	addGap(): void {
		this.#failed++;
	}

	/** Once the head is full, its samples past the start-up step and every later one are watched for a start-up that begins again. */
	#followStartup(point: Point): void {
		if (this.#restarts) {
			this.#restarts.add(point);
		} else if (headFull(this.#head)) {
			const end = startupEndOf(this.#head);
			// The level once loaded: that sample's, or the median of the head from there where lower (a child
			// read beside the workload in its first samples is not its level; a workload rising from its
			// start is at its first).
			const level = Math.min(this.#head[end]!.rss, medianInPlace(Float64Array.from(this.#head.slice(end), p => p.rss)));
			this.#restarts = new StartupRestarts(this.#head[0]!, this.#head[end]!, level);
			for (const later of this.#head.slice(end + 1)) {
				this.#restarts.add(later);
			}
		}
	}

	/** Add a mark (the session samples at once for it); it starts a new phase with the next sample. Beyond `maxMarks` the oldest go. */
	mark(mark: Mark): void {
		this.#marks.push(mark);
		if (this.#marks.length > this.#maxMarks) {
			this.#marks.shift();
		}

		if (mark.symbol === undefined) {
			this.#phases.mark(mark.label);
		}
	}

	/** The phases, oldest first; the first is `start`. Do not mutate. */
	get phases(): readonly Phase[] {
		return this.#phases.list;
	}

	#addToBucket(point: Point): void {
		const {t, rss: y} = point;
		const t0 = this.#first!.t;
		let index = Math.floor((t - t0) / this.#width);
		let last = this.#buckets.at(-1);
		while (!last || index !== last.index) {
			if (last && index < last.index) {
				index = last.index; // Clock jitter: never open a bucket in the past.
				continue;
			}

			if (this.#buckets.length < this.maxBuckets && (!last || index > last.index)) {
				last = newBucket(index, t, y);
				this.#buckets.push(last);
				break;
			}

			this.#mergePairs();
			index = Math.floor((t - t0) / this.#width);
			last = this.#buckets.at(-1);
		}

		addToBucket(last, point);
	}

	#mergePairs(): void {
		this.#width *= 2;
		const merged: Bucket[] = [];
		for (const bucket of this.#buckets) {
			const index = Math.floor(bucket.index / 2);
			const previous = merged.at(-1);
			if (previous?.index === index) {
				mergeInto(previous, bucket);
			} else {
				bucket.index = index;
				merged.push(bucket);
			}
		}

		this.#buckets.length = 0;
		this.#buckets.push(...merged);
	}

	/** The buckets, oldest first. Do not mutate. */
	get buckets(): readonly Bucket[] {
		return this.#buckets;
	}

	/**
	The four quarter averages of the run so far (analysis/quarters.ts), in time independent of the
	run's length. A spawned command's "Initial" is its level once loaded: its first sample is taken
	as it execs (Python 0.6 MiB, then 14), and a footprint at start of 0.6 MiB with "Δ +13.6 MiB"
	after a quarter told of a runtime loading, not of the workload.
	*/
	quarters(): QuarterSummary | undefined {
		const summary = this.#quarters.summary(this.#buckets, this.#width);
		const loaded = this.afterStartup;
		const first = this.#first;
		// Only where it comes before the quarter mark (a run of a second is all start-up).
		if (!summary || !loaded || !first || loaded === first || loaded.t - first.t > (this.#last!.t - first.t) / 4) {
			return summary;
		}

		const [, ...after] = summary.milestones;
		return {...summary, milestones: [loaded.rss, ...after], initialAt: loaded.t - first.t};
	}

	/** Current bucket width in seconds. */
	get bucketWidth(): number {
		return this.#width;
	}

	/** Samples recorded (not counting failed reads). */
	get count(): number {
		return this.#count;
	}

	/** Reads that failed. */
	get failed(): number {
		return this.#failed;
	}

	get first(): Point | undefined {
		return this.#first;
	}

	get last(): Point | undefined {
		return this.#last;
	}

	/**
	The first sample past a spawned command's start-up step (analysis/startup.ts), or past the latest
	start-up that began again before the workload said it was running (StartupRestarts); the first
	sample otherwise.
	*/
	get afterStartup(): Point | undefined {
		if (!this.#spawned) {
			return this.#first;
		}

		return this.#restarts?.loaded(this.#loadedAt) ?? this.#head[this.#startupIndex()];
	}

	/** `afterStartup` as it stood before `t` (seconds, store time): a start-up that began again later is not counted. */
	afterStartupBefore(t: number): Point | undefined {
		if (!this.#spawned) {
			return this.#first;
		}

		return this.#restarts?.loaded(Math.min(this.#loadedAt, t)) ?? this.#head[this.#startupIndex()];
	}

	/**
	The workload said it was running at `t` (seconds, store time): its first operation count
	(--ops-pattern). Its runtime had loaded by then, so the start-up step ends at the first sample
	from `t` on at the latest: a Node workload keeping 4 KiB an operation from its first
	milliseconds looked like a start-up for 600 ms, and "Initial" counted 27,000 operations in.
	*/
	loadedBy(t: number): void {
		if (t < this.#loadedAt) {
			this.#loadedAt = t;
			this.#startupEnd = undefined;
		}
	}

	/**
	The RSS of the sample taken at `t` (store time), where the store still holds it as taken: one of
	the head's samples, or of the recent ones. (Older ones are in buckets: means over an
	interval; a test that began after a 5-s wait had its first count's level read as the mean of a
	second with the wait's 3.3 MiB and the test's 51: 52 MiB per 100K operations for 41.)
	*/
	sampleAt(t: number): number | undefined {
		return this.#head.find(point => point.t === t)?.rss ?? this.#recent.at(t);
	}

	/** The level at `t`: the sample taken then, where still kept, else the mean of the bucket it fell in. */
	levelAt(t: number): number | undefined {
		const sample = this.sampleAt(t);
		if (sample !== undefined) {
			return sample;
		}

		const bucket = this.#buckets.find(b => b.tFirst <= t && t <= b.tLast);
		return bucket ? bucket.sum / bucket.n : undefined;
	}

	/**
	Where the work ended, when its largest process ended before the run did (analysis/exit.ts
	workEndOf): set by the session from the processes it follows, and by `memmon analyze` from
	processes.csv.
	*/
	workEnd: WorkEnd | undefined;

	/**
	A managed heap's readings (a JVM's counters, analysis/heap-sizing.ts), where the target has
	one: set by the session as it reads them, and by `memmon analyze` from jvm-heap.csv.
	*/
	heap: readonly HeapPoint[] | undefined;

	/** The index in the head of the first sample past a spawned command's start-up step. */
	#startupIndex(): number {
		// Once the head is full the answer no longer changes (loadedBy clears it).
		if (this.#startupEnd !== undefined) {
			return this.#startupEnd;
		}

		let end = startupEndOf(this.#head);
		end = heldFrom(this.#head, end);
		const loaded = this.#head.findIndex(point => point.t >= this.#loadedAt);
		if (loaded >= 0) {
			end = Math.min(end, loaded);
		}

		if (headFull(this.#head)) {
			this.#startupEnd = end;
		}

		return end;
	}

	/**
	Smallest sampled RSS; for a spawned command, from where its start-up step ended (as it execs,
	before its runtime has loaded, Python reads 0.6 MiB: no minimum of the workload's).
	*/
	get min(): number | undefined {
		if (this.#count === 0) {
			return undefined;
		}

		if (!this.#spawned) {
			return this.#min;
		}

		let min = this.#minPastHead;
		for (let i = this.#startupIndex(); i < this.#head.length; i++) {
			min = Math.min(min, this.#head[i]!.rss);
		}

		return min;
	}

	/** Largest sampled RSS, and when. */
	get max(): {readonly value: number; readonly t: number} | undefined {
		return this.#count === 0 ? undefined : {value: this.#max, t: this.#tMax};
	}

	/** Threads of the tree over the run: a thread leak often comes with a memory leak. */
	get threads(): Count | undefined {
		return this.#threads;
	}

	/** RSS by kind over the run: which kind of memory grows. */
	get kinds(): Kinds | undefined {
		return this.#kinds;
	}

	/**
	How each kind of memory moved from the first quarter of the run to the last (the means of the
	buckets whose centres lie in each): it splits the quarters' Q1 → Q4 growth by kind, past the
	start-up. Undefined before there are kinds in both quarters.
	*/
	kindGrowth(): KindGrowth | undefined {
		const first = this.#first;
		const last = this.#last;
		if (!first || !last || last.t <= first.t) {
			return undefined;
		}

		const quarter = (last.t - first.t) / 4;
		const q1 = kindMeans(this.#buckets, first.t, first.t + quarter);
		const q4 = kindMeans(this.#buckets, last.t - quarter, last.t);
		return q1 && q4 ? {anon: q4.anon - q1.anon, file: q4.file - q1.file, shmem: q4.shmem - q1.shmem} : undefined;
	}

	/** Open file descriptors of the tree over the run. */
	get fds(): Count | undefined {
		return this.#fds;
	}

	/** Largest VmHWM seen: the kernel's peak of the root process. */
	get hwm(): number | undefined {
		return this.#hwm;
	}

	get marks(): readonly Mark[] {
		return this.#marks;
	}

	/** Running least-squares sums. */
	get line(): LineSums {
		return this.#line.sums;
	}

	/** The last `n` raw points (at most the ring's capacity), oldest first. */
	recent(n?: number): {t: number[]; y: number[]} {
		return this.#recent.last(n);
	}
}
