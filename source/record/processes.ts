/**
Each process of the tree from its first reading to its last: which one grew. `npm run test` is npm
and the test's Node, a server its master and workers, a shell its commands; the tree's RSS says
how much grew, this says where. Kept in the run folder's `processes.csv`, rewritten with the
reports (a checkpoint, the end), so `memmon analyze` and `--resume` read the same.

A process's level counts from where its program had loaded: a program is first read as it execs,
before its runtime has loaded (Node 20 MiB, then 45). With four readings or more in its first
second (SETTLE_SECONDS; memmon samples every 200 ms in the run's first ten) that is where its
start-up step ended in its first HEAD_SECONDS (analysis/startup.ts, looked for from where its code
had been mapped; its first reading where it had none: a test that keeps 20 MiB a second counted
from a second in read +32 MiB for 61); with fewer, its reading a second in.
An exec starts it again. Each sample the largest TRACKED_PER_SAMPLE processes join, and each one
joined is followed to its end; at most MAX_PROCESSES are kept, an ended one that moved least making
room for a new one.
*/
import fs from 'node:fs';
import path from 'node:path';
import {END_READINGS, levelAtEnd} from '../analysis/exit.js';
import {HEAD_SECONDS, MAX_HEAD, startupEndOf} from '../analysis/startup.js';
import type {ProcessMemory} from '../sampler/types.js';
import {writeAtomic} from './run-dir.js';

const FILE = 'processes.csv';
const HEADER = 'pid,name,first_seconds,first_rss_bytes,last_seconds,last_rss_bytes,peak_rss_bytes';
const SETTLE_SECONDS = 1;

export const TRACKED_PER_SAMPLE = 64;
const MAX_PROCESSES = 256;

/** One process over the run (seconds are elapsed run time). */
export type ProcessSpan = {
	readonly pid: number;
	/** Its name as last read (an exec changes it). */
	readonly name: string;
	/** Where its level counts from: where its program had loaded (a second in at most), or where it ended sooner. */
	readonly firstSeconds: number;
	readonly firstRss: number;
	readonly lastSeconds: number;
	/** Its level at the end (analysis/exit.ts levelAtEnd: one read as it exits, freeing, is not its level). */
	readonly lastRss: number;
	readonly peakRss: number;
};

type Entry = {-readonly [K in keyof ProcessSpan]: ProcessSpan[K]} & {seenSeconds: number; settled: boolean; head: Array<{t: number; rss: number; file?: number | undefined}>; recent: Array<{t: number; rss: number}>};

/** The tree's processes over a run, bounded. */
export class ProcessTracker {
	readonly #entries = new Map<number, Entry>();
	/** When the reading before the current one came: a process not seen since has ended. */
	#previous = Number.NEGATIVE_INFINITY;
	#current = Number.NEGATIVE_INFINITY;

	/** Seed with what a run folder's processes.csv held (`--resume`). */
	constructor(earlier: readonly ProcessSpan[] = []) {
		for (const span of earlier.slice(-MAX_PROCESSES)) {
			this.#entries.set(span.pid, {...span, seenSeconds: span.firstSeconds, settled: true, head: [], recent: [{t: span.lastSeconds, rss: span.lastRss}]});
		}
	}

	/** One reading's processes (largest first), at `t` seconds. */
	add(t: number, processes: readonly ProcessMemory[]): void {
		this.#previous = this.#current;
		this.#current = t;
		// The largest join; every one already followed is followed on, also where it is no longer among
		// the largest (with 1,500 processes, one that fell out of the 64 read "ended at 0s" while running).
		for (const [i, process] of processes.entries()) {
			const entry = this.#entries.get(process.pid);
			if (!entry) {
				if (i >= TRACKED_PER_SAMPLE) {
					continue;
				}

				if (this.#entries.size >= MAX_PROCESSES) {
					this.#evict();
				}

				this.#entries.set(process.pid, {pid: process.pid, name: process.name, seenSeconds: t, settled: false, firstSeconds: t, firstRss: process.rss, lastSeconds: t, lastRss: process.rss, peakRss: process.rss, head: [{t, rss: process.rss, file: process.file}], recent: [{t, rss: process.rss}]});
				continue;
			}

			if (entry.name !== process.name) {
				// An exec: the new program loads from here (`sh -c "sleep 5; exec node test.js"`).
				// Its readings as the program before are none of this one's end level.
				Object.assign(entry, {name: process.name, seenSeconds: t, settled: false, firstSeconds: t, firstRss: process.rss, head: [], recent: []});
			}

			entry.lastSeconds = t;
			entry.lastRss = process.rss;
			entry.peakRss = Math.max(entry.peakRss, process.rss);
			entry.recent.push({t, rss: process.rss});
			if (entry.recent.length > END_READINGS) {
				entry.recent.shift();
			}

			if (!entry.settled) {
				entry.head.push({t, rss: process.rss, file: process.file});
				const seconds = t - entry.seenSeconds;
				const sparse = entry.head.length < 4;
				if ((seconds >= SETTLE_SECONDS - 1e-9 && sparse) || seconds >= HEAD_SECONDS - 1e-9 || entry.head.length >= MAX_HEAD) {
					// With four readings or more in its first second, read for HEAD_SECONDS: on a loaded CI runner a
					// test's Node was read as it exec'd (20.1 MiB) and not again loaded for over a second, and its
					// row, counted from its first second, read +81 MiB for a test that kept 60.
					const from = sparse ? {t, rss: process.rss} : loadedIn(entry.head);
					Object.assign(entry, {settled: true, firstSeconds: from.t, firstRss: from.rss, head: []});
				}
			}
		}
	}

	/**
	Make room: of the processes the last reading no longer had, the one that moved least (none: of all).
	Not "not yet seen in this reading": the ones after the new one in it have not been.
	*/
	#evict(): void {
		const gone = (entry: Entry): boolean => entry.lastSeconds < this.#previous;
		let drop: Entry | undefined;
		for (const entry of this.#entries.values()) {
			const ended = gone(entry);
			const dropEnded = drop !== undefined && gone(drop);
			if (!drop || (ended && !dropEnded) || (ended === dropEnded && Math.abs(entry.lastRss - entry.firstRss) < Math.abs(drop.lastRss - drop.firstRss))) {
				drop = entry;
			}
		}

		this.#entries.delete(drop!.pid);
	}

	/** The processes the latest reading no longer had, that the one before did: those that ended in it (most readings: none). */
	get ended(): ProcessSpan[] {
		const ended: ProcessSpan[] = [];
		for (const entry of this.#entries.values()) {
			if (entry.lastSeconds === this.#previous) {
				ended.push(spanOf(entry));
			}
		}

		return ended;
	}

	/** A process's level a second after it started (where it has been followed that long), by PID. */
	firstOf(pid: number): number | undefined {
		const entry = this.#entries.get(pid);
		return entry?.settled ? entry.firstRss : undefined;
	}

	/** The processes, in the order first seen. */
	get spans(): ProcessSpan[] {
		return [...this.#entries.values()].map(entry => spanOf(entry));
	}
}

/** A followed process as a row. */
function spanOf({pid, name, firstSeconds, firstRss, lastSeconds, peakRss, recent, settled, head}: Entry): ProcessSpan {
	// One still in its first seconds, or ended in them: from where its readings so far show it had loaded.
	const from = !settled && head.length >= 4 ? loadedIn(head) : {t: firstSeconds, rss: firstRss};
	// Before a fall on its way out (analysis/exit.ts): on a loaded runner a test's Node took six
	// readings to free its 60 MiB as it exited, and its row read "39.1 → 38.3 MiB −816 KiB".
	return {pid, name, firstSeconds: from.t, firstRss: from.rss, lastSeconds, lastRss: levelAtEnd(recent, lastSeconds), peakRss};
}

type HeadPoint = {t: number; rss: number; file?: number | undefined};

/** The reading where a process's first readings show its program had loaded: where its start-up step ended (analysis/startup.ts), its first reading where it had none. */
function loadedIn(head: readonly HeadPoint[]): HeadPoint {
	return head[startupEndOf(head)]!;
}

/** Rewrite the run folder's processes.csv. A write that fails is skipped: samples.csv is what must not be lost. */
export function writeProcesses(runDir: string, spans: readonly ProcessSpan[]): void {
	if (spans.length === 0) {
		return;
	}

	const rows = spans.map(span => [span.pid, span.name.replaceAll(/[,"\r\n]/g, ' '), span.firstSeconds, span.firstRss, span.lastSeconds, span.lastRss, span.peakRss].join(','));
	try {
		writeAtomic(path.join(runDir, FILE), `${[HEADER, ...rows].join('\n')}\n`);
	} catch {}
}

/** What a run folder's processes.csv holds; empty where there is none (another platform, an older memmon). */
export function readProcesses(runDir: string): ProcessSpan[] {
	let text: string;
	try {
		text = fs.readFileSync(path.join(runDir, FILE), 'utf8');
	} catch {
		return [];
	}

	const spans: ProcessSpan[] = [];
	for (const line of text.trim().split('\n').slice(1)) {
		const cells = line.split(',');
		const numbers = [cells[0], ...cells.slice(2)].map(Number);
		if (cells.length === 7 && numbers.every(Number.isFinite)) {
			const [pid, firstSeconds, firstRss, lastSeconds, lastRss, peakRss] = numbers as [number, number, number, number, number, number];
			spans.push({pid, name: cells[1]!, firstSeconds, firstRss, lastSeconds, lastRss, peakRss});
		}
	}

	return spans;
}
