/**
A JVM's heap over a run, from its performance counters (sampler/jvm-perf.ts): read every few
seconds while the run goes on, one line each in the run folder's `jvm-heap.csv`
(`t_seconds,pid,used_bytes,committed_bytes,max_bytes,young_gcs,old_gcs,collector,heap_rss_bytes`), and summed
up for the screen and the reports.

RSS cannot tell a JVM's objects that stay from its collector growing into the heap it has
committed (or committing more, up to -Xmx): a JVM started without -Xmx on a 24 GiB machine rose at
220 MiB/h for half an hour while its objects did not (bench/README.md). The heap's occupancy can,
at its lowest: right after a collection what is left is what the program keeps (and, until an old
collection has run, what it promoted and dropped). So each end of the run is the lowest reading
of its quarter, as for a Node heap (record/js-heap.ts).
*/
import fs from 'node:fs';
import path from 'node:path';
import type {JvmHeapReading} from '../sampler/jvm-perf.js';
import {formatBytes, formatBytesChange, formatDelta, formatDuration} from '../units.js';

/** One reading, at `t` seconds since the run started, of the JVM with this PID. */
export type JvmHeapPoint = JvmHeapReading & {
	readonly t: number;
	readonly pid: number;
	/** RSS of the heap's reservation (sampler/jvm-perf.ts heapReservationRss), where found. */
	readonly heapRss?: number | undefined;
};

/** What a run's readings say: each end's level, the heap's bounds, the collections between. */
export type JvmHeap = {
	/** The JVM read (the tree's largest; the last one read, where it changed). */
	readonly pid: number;
	readonly collector: string;
	readonly readings: number;
	readonly fromSeconds: number;
	readonly toSeconds: number;
	/** The heap's occupancy at its lowest in the first and in the last quarter of the readings' span. */
	readonly used: {readonly first: number; readonly last: number};
	readonly committed: {readonly first: number; readonly last: number};
	readonly max: number;
	/** Collections between the first reading and the last. */
	readonly youngGcs: number;
	readonly oldGcs: number;
};

const FILE = 'jvm-heap.csv';
const HEADER = 't_seconds,pid,used_bytes,committed_bytes,max_bytes,young_gcs,old_gcs,collector,heap_rss_bytes';

/** Kept points: past this many, neighbours merge (the lower occupancy, the later rest): bounded for a run of any length. */
const MAX_POINTS = 2048;

/** The readings of a run: appended to its folder as they come, summed up on demand. */
export class JvmHeapLog {
	#points: JvmHeapPoint[] = [];
	readonly #file: string | undefined;

	/** `runDir`: where `jvm-heap.csv` is written (and read back first, for a resumed run); none: kept in memory only. */
	constructor(runDir?: string) {
		this.#file = runDir === undefined ? undefined : path.join(runDir, FILE);
		if (this.#file) {
			this.#points = readPoints(this.#file);
		}
	}

	/** Add a reading; a JVM other than the last one read starts the record again (the summary is of one JVM). */
	add(point: JvmHeapPoint): void {
		const last = this.#points.at(-1);
		if (last && last.pid !== point.pid) {
			this.#points = [];
		}

		if (this.#file) {
			try {
				if (!fs.existsSync(this.#file)) {
					fs.writeFileSync(this.#file, `${HEADER}\n`);
				}

				fs.appendFileSync(this.#file, `${line(point)}\n`);
			} catch {
				// The folder gone or full: the screen still shows the heap; the reports lose it.
			}
		}

		this.#points.push(point);
		if (this.#points.length > MAX_POINTS) {
			this.#points = halved(this.#points);
		}
	}

	summary(): JvmHeap | undefined {
		return summarize(this.#points);
	}

	/** The readings kept (at most MAX_POINTS): what the verdict weighs (analysis/heap-sizing.ts). */
	get points(): readonly JvmHeapPoint[] {
		return this.#points;
	}
}

function line(point: JvmHeapPoint): string {
	return [point.t.toFixed(3), point.pid, point.used, point.committed, point.max, point.youngGcs, point.oldGcs, point.collector.replaceAll(/[,\n]/g, ' '), point.heapRss ?? ''].join(',');
}

/**
Pairs of neighbours as one: the lower occupancy (what the quarters look for), the later counts.
The first and the last reading stay as they were: the summary counts from one to the other.
*/
function halved(points: readonly JvmHeapPoint[]): JvmHeapPoint[] {
	const merged: JvmHeapPoint[] = points.slice(0, 1);
	for (let i = 1; i < points.length - 1; i += 2) {
		const a = points[i]!;
		const b = points[i + 1]!;
		merged.push(i + 1 === points.length - 1 ? a : {...b, used: Math.min(a.used, b.used)});
	}

	merged.push(points.at(-1)!);
	return merged;
}

function readPoints(file: string): JvmHeapPoint[] {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch {
		return [];
	}

	let points: JvmHeapPoint[] = [];
	for (const row of text.split('\n').slice(1)) {
		const [t, pid, used, committed, max, young, old, collector, heapRss] = row.split(',');
		const numbers = [t, pid, used, committed, max, young, old].map(Number);
		if (collector === undefined || numbers.some(value => !Number.isFinite(value))) {
			continue;
		}

		const point: JvmHeapPoint = {t: numbers[0]!, pid: numbers[1]!, used: numbers[2]!, committed: numbers[3]!, max: numbers[4]!, youngGcs: numbers[5]!, oldGcs: numbers[6]!, collector, heapRss: heapRss ? Number(heapRss) : undefined};
		if (points.at(-1)?.pid !== point.pid) {
			points = [];
		}

		points.push(point);
		if (points.length > MAX_POINTS) {
			points = halved(points);
		}
	}

	return points;
}

/** The readings summed up: each end the lowest occupancy of its quarter of the span, the counts between the first and the last. */
export function summarize(points: readonly JvmHeapPoint[]): JvmHeap | undefined {
	const first = points[0];
	const last = points.at(-1);
	if (!first || !last) {
		return undefined;
	}

	const quarter = (last.t - first.t) / 4;
	const lowest = (from: number, to: number): number => Math.min(...points.filter(point => point.t >= from && point.t <= to).map(point => point.used));
	return {
		pid: last.pid,
		collector: last.collector,
		readings: points.length,
		fromSeconds: first.t,
		toSeconds: last.t,
		used: {first: lowest(first.t, first.t + quarter), last: lowest(last.t - quarter, last.t)},
		committed: {first: first.committed, last: last.committed},
		max: last.max,
		youngGcs: last.youngGcs - first.youngGcs,
		oldGcs: last.oldGcs - first.oldGcs,
	};
}

/** The JVM heap recorded in a run folder; undefined where none was (not a JVM, or one without counters). */
export function readJvmHeap(runDir: string): JvmHeap | undefined {
	return summarize(readPoints(path.join(runDir, FILE)));
}

/** The readings recorded in a run folder, or in any file of jvm-heap.csv's columns; none where there is none. */
export function readJvmHeapPoints(file: string): readonly JvmHeapPoint[] {
	return readPoints(fs.existsSync(file) && fs.statSync(file).isDirectory() ? path.join(file, FILE) : file);
}

/** "12 old GCs": the collections that reach the old generation, which are what make the lowest occupancy the live objects. */
function oldPhrase(heap: JvmHeap): string {
	return heap.oldGcs === 0 ? 'no old GC yet' : `${heap.oldGcs} old GC${heap.oldGcs === 1 ? '' : 's'}`;
}

/** The screen's line: the heap's lowest occupancy first → last (what survived a collection: "after GC"), and what is committed of the most it may take. */
export function jvmHeapLine(heap: JvmHeap): string {
	const committed = heap.committed.first === heap.committed.last ? formatBytes(heap.committed.last) : formatBytesChange(heap.committed.first, heap.committed.last);
	const bounds = `committed ${committed} of ${formatBytes(heap.max)} max`;
	if (heap.readings === 1 || heap.toSeconds === heap.fromSeconds) {
		return `JVM heap  after GC ${formatBytes(heap.used.last)} · ${bounds}`;
	}

	const span = formatDuration((heap.toSeconds - heap.fromSeconds) * 1000);
	return `JVM heap  after GC ${formatBytesChange(heap.used.first, heap.used.last)} (${formatDelta(heap.used.last - heap.used.first)} in ${span}, ${oldPhrase(heap)}) · ${bounds}`;
}

/** The reports' rows: a row saying what they are, then occupancy at its lowest and the committed heap, first → last. */
export function jvmHeapRows(heap: JvmHeap | undefined): Array<[string, string, string]> {
	if (!heap) {
		return [];
	}

	const span = `${formatDuration(heap.fromSeconds * 1000)} → ${formatDuration(heap.toSeconds * 1000)}`;
	return [
		['JVM heap (its counters)', '', `PID ${heap.pid}, ${heap.collector}; ${span}; ${heap.youngGcs} young GCs, ${oldPhrase(heap)}`],
		['  after GC, lowest', `${formatBytes(heap.used.first)} → ${formatBytes(heap.used.last)}`, formatDelta(heap.used.last - heap.used.first)],
		['  committed', `${formatBytes(heap.committed.first)} → ${formatBytes(heap.committed.last)}`, `${formatDelta(heap.committed.last - heap.committed.first)}; its maximum ${formatBytes(heap.max)}`],
	];
}
