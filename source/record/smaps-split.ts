/**
The tree's RSS by mapping — the malloc heap (`[heap]`), the main stack, other anonymous memory,
files, shared memory — read from each process's /proc/PID/smaps on the PSS cadence, summed, and
kept in the run folder's `smaps.csv`, one line a read, beside the VmRSS of the same processes read
with it and how many they were. The reports give each
kind from the first read to the last; the live run and `memmon analyze` read the same file.
*/
import fs from 'node:fs';
import path from 'node:path';
import {COUNT_SETTLED_SECONDS, type Count} from '../counts.js';
import type {TreeSplit} from '../sampler/types.js';

const FILE = 'smaps.csv';
const HEADER = 't_seconds,rss_bytes,heap_bytes,stack_bytes,anon_bytes,file_bytes,shmem_bytes,status_rss_bytes,processes\n';

/** Append one read to the run folder's smaps.csv (made with its header first). A write that fails is skipped: samples.csv is what must not be lost. */
export function appendSplit(runDir: string, t: number, split: TreeSplit): void {
	const file = path.join(runDir, FILE);
	try {
		const line = `${t},${split.rss},${split.heap},${split.stack},${split.anon},${split.file},${split.shmem},${split.statusRss},${split.processes}\n`;
		fs.appendFileSync(file, fs.existsSync(file) ? line : HEADER + line);
	} catch {}
}

/** The tree's RSS by mapping over the run. */
export type MappingKinds = {
	readonly reads: number;
	/** How many processes the last read summed (files written before it was counted: undefined). */
	readonly processes: number | undefined;
	readonly heap: Count;
	readonly stack: Count;
	readonly anon: Count;
	readonly file: Count;
	readonly shmem: Count;
	/** The largest difference between a read's parts and the VmRSS of the same sample, as a share of it. */
	readonly mismatch: number | undefined;
	/** Reads over the run for a chart, at most MAX_CHART_READS: [t, heap, stack, anon, file, shmem]. */
	readonly points: ReadonlyArray<readonly [number, number, number, number, number, number]>;
};

/** A chart needs no more reads than this (a 24-hour run at one a second holds 86,400). */
const MAX_CHART_READS = 480;

/** Read smaps.csv, or undefined when the run has none (another platform, or no PSS read yet). */
export function readMappingKinds(runDir: string): MappingKinds | undefined {
	let text: string;
	try {
		text = fs.readFileSync(path.join(runDir, FILE), 'utf8');
	} catch {
		return undefined;
	}

	const all = text.trim().split('\n').slice(1).map(line => line.split(',').map(Number)).filter(row => row.length >= 7 && row.slice(0, 7).every(Number.isFinite));
	if (all.length === 0) {
		return undefined;
	}

	// From 10 s in, as the other counts (a spawned workload's first read may even precede its exec);
	// in a shorter run from the second read.
	const settled = all.filter(row => row[0]! >= COUNT_SETTLED_SECONDS);
	const rows = settled.length > 0 ? settled : all.length > 1 ? all.slice(1) : all;

	const count = (column: number): Count => ({first: rows[0]![column]!, last: rows.at(-1)![column]!, peak: Math.max(...rows.map(row => row[column]!))});
	let mismatch: number | undefined;
	for (const row of rows) {
		const statusRss = row[7];
		if (statusRss !== undefined && Number.isFinite(statusRss) && statusRss > 0) {
			const parts = row[2]! + row[3]! + row[4]! + row[5]! + row[6]!;
			mismatch = Math.max(mismatch ?? 0, Math.abs(parts - statusRss) / statusRss);
		}
	}

	const every = Math.ceil(rows.length / MAX_CHART_READS);
	const points = rows.filter((_, i) => i % every === 0 || i === rows.length - 1).map(row => [row[0]!, row[2]!, row[3]!, row[4]!, row[5]!, row[6]!] as const);
	const processes = rows.at(-1)![8];
	return {reads: rows.length, processes: processes !== undefined && Number.isFinite(processes) ? processes : undefined, heap: count(2), stack: count(3), anon: count(4), file: count(5), shmem: count(6), mismatch, points};
}
