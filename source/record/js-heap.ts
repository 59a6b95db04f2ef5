/**
`--js-heap`: the JavaScript heap of a spawned Node workload after each full garbage collection,
as its processes wrote it (the preload of target/node-heap.ts: `js-heap/PID.gc.csv`, or PID.2…
for a later process with a PID used before in the run, and `PID-THREAD.gc.csv` for each worker
thread, whose heap is its own; `epoch_ms,start` as the thread starts, a line
`epoch_ms,live_bytes,heap_bytes,external_bytes` after a mark-compact, at most one a second, and
`epoch_ms,exit` when the process or thread exits). A heap
that is gone must say so, or its last reading is summed on as if still held: a terminated worker
thread's exit is written by the thread that made it, and a killed process's by the live view when
it finds the process gone (JsHeapLog.noteGone).

RSS cannot tell objects that stay from V8 sizing its heap: a healthy Node worker's RSS rose 60 MiB
over its first hour on Node 24 while its objects did not (bench/README.md). What is live right
after a full collection can: objects the program keeps are there, garbage is not. One reading can
still catch a batch in flight, so the level a part of the run held is the lowest of its readings.

First → last: each end is a quarter of the run's readings, and its level the sum over the heaps
alive in it, each for the share of that quarter it was (a pool that replaces its worker counts
one, a program that keeps starting workers more and more: summed over the heaps alive at the end,
each from its own first reading, a worker leak read level). A heap alive then without a reading
then counts at its nearest: a heap's first full collection comes when it comes (a small one's,
minutes in), and counted only from then on it would read as growth.

Read incrementally (each file from where the last read stopped, and a file whose exit was read no
more): the live view polls it every few seconds, a day of one collection a second is 86,400
lines, and a pool that recycles a worker every 5 s leaves 17,280 files a day.
*/
import fs from 'node:fs';
import path from 'node:path';
import {formatBytes, formatBytesChange, formatDelta, formatDuration} from '../units.js';

/** One heap (a Node process's main thread, or a worker thread) after one full collection. */
export type JsHeapPoint = {
	/** Seconds since the run started. */
	readonly t: number;
	/** Bytes of objects that survived it (every space but the young generation's). */
	readonly live: number;
	/** Bytes V8 had reserved for the heap. */
	readonly size: number;
	/** Bytes of memory outside the heap held by JavaScript objects (Buffers, ArrayBuffers). */
	readonly external: number;
};

/** What a run's full collections say: their first and last part's levels, and how many there were. */
export type JsHeap = {
	readonly collections: number;
	readonly processes: number;
	/**
	Heaps alive at the end that have had no full collection yet (an idle worker thread's may never
	have one): what they hold is in no sum.
	*/
	readonly uncollected: number;
	/**
	Each end's level: the first and the last quarter of the time the collections span, each heap at
	its lowest reading then, for the share of the quarter it was alive (JsHeapLog.summary).
	*/
	readonly live: {readonly first: number; readonly last: number};
	readonly size: {readonly first: number; readonly last: number};
	readonly external: {readonly first: number; readonly last: number};
	readonly fromSeconds: number;
	readonly toSeconds: number;
};

/**
Kept points: one a time bin (the lowest reading in it), the bins twice as wide whenever there are
more than this — bounded for a run of any length, and even in time.
*/
const MAX_POINTS = 1024;

/** A file's name: the process (PID, or PID.N for a reused PID), then the worker thread if any. */
const FILE = /^((\d+)(?:\.(\d+))?)(?:-\d+)?\.gc\.csv$/;

/** One heap's readings, kept in bins. */
class Heap {
	/** Seconds since the run started, when its thread started (a file without the line: see since). */
	startedAt: number | undefined;
	/** …and when it said it ended. */
	exitedAt: number | undefined;
	#points: JsHeapPoint[] = [];
	/** Seconds a point's bin spans. */
	#width = 1;

	/** A worker thread's (its file PID-THREAD), not a process's main thread. */
	readonly worker: boolean;

	constructor(worker: boolean) {
		this.worker = worker;
	}

	get points(): readonly JsHeapPoint[] {
		return this.#points;
	}

	/**
	Since when it counts: its start, or in a file without one (an older memmon's) a main thread's
	from the start, a worker's from its first reading (a pool's thousands would all count at once).
	*/
	get since(): number {
		return this.startedAt ?? (this.worker ? this.#points[0]?.t ?? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
	}

	add(reading: JsHeapPoint): void {
		const last = this.#points.at(-1);
		// A reading older than the last (its file came late to a poll) joins the last one's bin.
		const point = last && reading.t < last.t ? {...reading, t: last.t} : reading;
		if (last && Math.floor(last.t / this.#width) === Math.floor(point.t / this.#width)) {
			if (point.live < last.live) {
				this.#points[this.#points.length - 1] = point;
			}

			return;
		}

		this.#points.push(point);
		while (this.#points.length > MAX_POINTS) {
			this.#width *= 2;
			this.#points = binned(this.#points, this.#width);
		}
	}
}

/** The `--js-heap` files of a run's heap/ folder, read as they grow. */
export class JsHeapLog {
	readonly #dir: string;
	readonly #startedAtMs: number;
	/** Where reading each file that may still grow goes on, and its partial last line. */
	readonly #offsets = new Map<string, number>();
	readonly #partial = new Map<string, string>();
	/** The files whose heap said it ended: never written again, never read again. */
	readonly #ended = new Set<string>();
	/** The heaps there are, by file: alive, or ended after the first quarter's end. */
	readonly #heaps = new Map<string, Heap>();
	/** The ended ones, in the order they ended, to fold into #folded once the first quarter passes them. */
	#endedHeaps: Array<{readonly entry: string; readonly heap: Heap}> = [];
	/**
	Heaps that ended within the first quarter, whose part in its level no longer changes: their
	levels times the seconds of it they were alive.
	*/
	readonly #folded = {live: 0, size: 0, external: 0};
	/** When each process still writing started, as first seen: its PID may go to another later. */
	readonly #starts = new Map<string, number>();
	/** The processes (PID or PID.N) that had a heap with readings. */
	readonly #processes = new Set<string>();
	#collections = 0;
	#fromSeconds = Number.POSITIVE_INFINITY;
	#toSeconds = Number.NEGATIVE_INFINITY;

	constructor(dir: string, startedAtMs: number) {
		this.#dir = dir;
		this.#startedAtMs = startedAtMs;
	}

	/** Read what the workload wrote since the last call; true when there was something. */
	poll(): boolean {
		let entries: string[];
		try {
			entries = fs.readdirSync(this.#dir).filter(entry => FILE.test(entry) && !this.#ended.has(entry));
		} catch {
			return false;
		}

		for (const entry of entries) {
			if (!this.#offsets.has(entry)) {
				this.#offsets.set(entry, 0);
			}
		}

		// Every file's new lines, taken in time order: a heap's exit counts against the readings
		// of the other heaps that came after it, not before.
		const lines: Array<{entry: string; line: string; ms: number}> = [];
		for (const entry of entries) {
			const text = this.#readNew(entry);
			if (text === undefined) {
				continue;
			}

			const whole = (this.#partial.get(entry) ?? '') + text;
			const end = whole.lastIndexOf('\n');
			this.#partial.set(entry, whole.slice(end + 1));
			for (const line of whole.slice(0, Math.max(0, end)).split('\n')) {
				lines.push({entry, line, ms: Number(line.slice(0, line.indexOf(',')))});
			}
		}

		lines.sort((a, b) => a.ms - b.ms);
		let read = false;
		for (const {entry, line} of lines) {
			read = this.#line(entry, line) || read;
		}

		return read;
	}

	#readNew(entry: string): string | undefined {
		const file = path.join(this.#dir, entry);
		const offset = this.#offsets.get(entry)!;
		let fd: number | undefined;
		try {
			fd = fs.openSync(file, 'r');
			const size = fs.fstatSync(fd).size;
			if (size <= offset) {
				return undefined;
			}

			const buffer = Buffer.alloc(size - offset);
			const got = fs.readSync(fd, buffer, 0, buffer.length, offset);
			this.#offsets.set(entry, offset + got);
			return buffer.toString('utf8', 0, got);
		} catch {
			return undefined;
		} finally {
			if (fd !== undefined) {
				fs.closeSync(fd);
			}
		}
	}

	#line(entry: string, line: string): boolean {
		const [at, live, size, external] = line.split(',');
		const ms = Number(at);
		if (!Number.isFinite(ms)) {
			return false;
		}

		const t = (ms - this.#startedAtMs) / 1000;
		if (live === 'start') {
			const heap = this.#heaps.get(entry) ?? new Heap(entry.includes('-'));
			this.#heaps.set(entry, heap);
			heap.startedAt ??= t;
			return false;
		}

		if (live === 'exit') {
			const heap = this.#heaps.get(entry);
			if (heap && heap.exitedAt === undefined) {
				heap.exitedAt = t;
				this.#endedHeaps.push({entry, heap});
			}

			this.#ended.add(entry);
			this.#offsets.delete(entry);
			this.#partial.delete(entry);
			return false;
		}

		const values = [live, size, external].map(Number);
		if (values.some(value => !Number.isFinite(value) || value < 0)) {
			return false;
		}

		const heap = this.#heaps.get(entry) ?? new Heap(entry.includes('-'));
		this.#heaps.set(entry, heap);
		heap.add({t, live: values[0]!, size: values[1]!, external: values[2]!});
		this.#processes.add(FILE.exec(entry)![1]!);
		this.#collections++;
		this.#fromSeconds = Math.min(this.#fromSeconds, t);
		this.#toSeconds = Math.max(this.#toSeconds, t);
		this.#fold();
		return true;
	}

	/**
	Fold each heap that ended before the first quarter's end into #folded, and let it go (a pool
	may make thousands): its part in the first quarter's level is fixed from then on (the quarter
	only grows), and it has none in the last's.
	*/
	#fold(): void {
		const [from, firstEnd] = [this.#fromSeconds, this.#fromSeconds + ((this.#toSeconds - this.#fromSeconds) / 4)];
		let folded = 0;
		for (const {entry, heap} of this.#endedHeaps) {
			if (heap.exitedAt! >= firstEnd) {
				break;
			}

			folded++;
			const {points} = heap;
			if (points.length > 0) {
				const seconds = heap.exitedAt! - Math.max(heap.since, from);
				if (seconds > 0) {
					const level = lowest(points);
					this.#folded.live += level.live * seconds;
					this.#folded.size += points[0]!.size * seconds;
					this.#folded.external += level.external * seconds;
				}
			}

			if (this.#heaps.get(entry) === heap) {
				this.#heaps.delete(entry);
			}
		}

		if (folded > 0) {
			this.#endedHeaps = this.#endedHeaps.slice(folded);
		}
	}

	/**
	Note the end of each process that the last poll found still writing and that is gone, killed
	(no exit handler ran): an exit line at the end of each of its files, read by the next poll, so
	its heap is summed no longer. `startOf(pid)` is the start time of the process with that PID now,
	undefined when there is none; a process is gone when there is none, when another started with
	its PID since this one was first seen, or when a later Node process of the run has its PID (its
	files PID.N with a higher N).
	*/
	noteGone(startOf: (pid: number) => number | undefined, nowMs: number): void {
		const newest = new Map<number, number>();
		const files = [...this.#offsets.keys()].map(entry => {
			const [, key, pid, n = '1'] = FILE.exec(entry)!;
			const file = {entry, key: key!, pid: Number(pid), n: Number(n)};
			newest.set(file.pid, Math.max(newest.get(file.pid) ?? 0, file.n));
			return file;
		});
		const starts = new Map<string, number | undefined>();
		for (const {entry, key, pid, n} of files) {
			if (!starts.has(key)) {
				const start = startOf(pid);
				starts.set(key, start);
				if (!this.#starts.has(key) && start !== undefined && n === newest.get(pid)) {
					this.#starts.set(key, start);
				}
			}

			const start = starts.get(key);
			const file = path.join(this.#dir, entry);
			try {
				if ((start === undefined || start !== this.#starts.get(key) || n < newest.get(pid)!) && !/,exit\n$/.test(tail(file))) {
					fs.appendFileSync(file, `${nowMs},exit\n`);
				}
			} catch {}
		}

		for (const key of this.#starts.keys()) {
			if (!starts.has(key)) {
				this.#starts.delete(key);
			}
		}
	}

	/**
	The run's collections so far, or undefined before the first. Each end is a quarter of the time
	they span; its level is the sum over the heaps of each heap's level then (the lowest of its
	readings in that quarter; without one there, its nearest: a heap whose first full collection
	came late, at its first ones) times the share of that quarter it was alive. A pool that replaces
	its worker counts one worker at each end, a program that keeps starting workers more and more,
	and a heap that ended before the last quarter not at all.
	*/
	summary(): JsHeap | undefined {
		if (this.#collections === 0) {
			return undefined;
		}

		const from = this.#fromSeconds;
		const to = this.#toSeconds;
		const quarter = (to - from) / 4;
		const ends = {live: {first: 0, last: 0}, size: {first: 0, last: 0}, external: {first: 0, last: 0}};
		let uncollected = 0;
		for (const heap of this.#heaps.values()) {
			const {points} = heap;
			if (points.length === 0) {
				uncollected += heap.exitedAt === undefined ? 1 : 0;
				continue;
			}

			const alive = {from: heap.since, to: heap.exitedAt ?? Number.POSITIVE_INFINITY};
			const shareFirst = share(alive, from, from + quarter);
			if (shareFirst > 0) {
				const inside = points.filter(point => point.t <= from + quarter);
				// None yet in the first quarter: its first readings (the lowest of its own first quarter).
				const level = lowest(inside.length > 0 ? inside : points.filter(point => point.t <= points[0]!.t + ((points.at(-1)!.t - points[0]!.t) / 4)));
				ends.live.first += level.live * shareFirst;
				ends.size.first += (inside[0] ?? points[0]!).size * shareFirst;
				ends.external.first += level.external * shareFirst;
			}

			const shareLast = share(alive, to - quarter, to);
			if (shareLast > 0) {
				const inside = points.filter(point => point.t >= to - quarter);
				const level = inside.length > 0 ? lowest(inside) : points.at(-1)!;
				ends.live.last += level.live * shareLast;
				ends.size.last += points.at(-1)!.size * shareLast;
				ends.external.last += level.external * shareLast;
			}
		}

		if (quarter > 0) {
			ends.live.first += this.#folded.live / quarter;
			ends.size.first += this.#folded.size / quarter;
			ends.external.first += this.#folded.external / quarter;
		}

		return {
			collections: this.#collections,
			processes: this.#processes.size,
			uncollected,
			live: {first: Math.round(ends.live.first), last: Math.round(ends.live.last)},
			size: {first: Math.round(ends.size.first), last: Math.round(ends.size.last)},
			external: {first: Math.round(ends.external.first), last: Math.round(ends.external.last)},
			fromSeconds: from,
			toSeconds: to,
		};
	}
}

/**
The share of [from, to] that `alive` covers; when from = to (one moment), 1 if alive then. An end
at the last reading's moment (the workload's own) is alive to it.
*/
function share(alive: {readonly from: number; readonly to: number}, from: number, to: number): number {
	if (to <= from) {
		return alive.from <= to && alive.to >= to ? 1 : 0;
	}

	return Math.max(0, Math.min(alive.to, to) - Math.max(alive.from, from)) / (to - from);
}

/** The points in bins `width` seconds wide, each bin's lowest. */
function binned(points: readonly JsHeapPoint[], width: number): JsHeapPoint[] {
	const result: JsHeapPoint[] = [];
	for (const point of points) {
		const last = result.at(-1);
		if (last && Math.floor(last.t / width) === Math.floor(point.t / width)) {
			if (point.live < last.live) {
				result[result.length - 1] = point;
			}
		} else {
			result.push(point);
		}
	}

	return result;
}

/** The reading with the least live bytes. */
function lowest(points: readonly JsHeapPoint[]): JsHeapPoint {
	return points.reduce((low, point) => point.live < low.live ? point : low);
}

/** The last few bytes of a file. */
function tail(file: string): string {
	const fd = fs.openSync(file, 'r');
	try {
		const size = fs.fstatSync(fd).size;
		const buffer = Buffer.alloc(Math.min(size, 64));
		const got = fs.readSync(fd, buffer, 0, buffer.length, size - buffer.length);
		return buffer.toString('utf8', 0, got);
	} finally {
		fs.closeSync(fd);
	}
}

/** A run folder's `--js-heap` readings (its js-heap/ folder), or undefined when there are none. */
export function readJsHeap(runDir: string, startedAtMs: number): JsHeap | undefined {
	const log = new JsHeapLog(path.join(runDir, 'js-heap'), startedAtMs);
	log.poll();
	return log.summary();
}

/** A last full collection at least this long before now is said on the screen's line: its figures are that old. */
export const STALE_GC_SECONDS = 120;

/**
The screen's line, within 120 columns: "JS heap   live after full GC 6.0 → 9.0 MiB (+3.0 MiB in 58m 55s,
12 GCs) · V8 heap 40.0 → 80.0 MiB · Buffers 2.0 MiB" — over how long, or +3 MiB says nothing. At
`now` (elapsed seconds), a last full collection STALE_GC_SECONDS or more before is said in Buffers'
place, "full GC 21m 30s ago": a Node server whose V8 ran none after 7.3 minutes showed
"14.0 → 14.1 MiB" for half an hour while garbage filled its old generation and RSS rose 14 MiB/h.
*/
export function jsHeapLine(heap: JsHeap, now?: number): string {
	// Heaps with no full collection yet hold what no figure shows: said in Buffers' place (the
	// reports keep both), or the line ran past 120 columns.
	const age = now === undefined ? 0 : now - heap.toSeconds;
	const last = heap.uncollected > 0
		? uncollectedPhrase(heap.uncollected)
		: age >= STALE_GC_SECONDS ? `full GC ${formatDuration(age * 1000)} ago` : `Buffers ${formatBytes(heap.external.last)}`;
	if (heap.collections === 1) {
		const one = heap.uncollected === 0 && age >= STALE_GC_SECONDS ? `1 full GC, ${formatDuration(age * 1000)} ago` : `${last} · 1 full GC`;
		return `JS heap   live after full GC ${formatBytes(heap.live.last)} · V8 heap ${formatBytes(heap.size.last)} · ${one}`;
	}

	const span = formatDuration((heap.toSeconds - heap.fromSeconds) * 1000);
	const size = heap.size.first === heap.size.last ? formatBytes(heap.size.last) : formatBytesChange(heap.size.first, heap.size.last);
	return `JS heap   live after full GC ${formatBytesChange(heap.live.first, heap.live.last)} (${formatDelta(heap.live.last - heap.live.first)} in ${span}, ${heap.collections} GCs) · V8 heap ${size} · ${last}`;
}

/** "3 heaps await GC" (their first full collection): the screen's and the reports' words for JsHeap.uncollected. */
export function uncollectedPhrase(count: number): string {
	return count === 1 ? '1 heap awaits GC' : `${count} heaps await GC`;
}
