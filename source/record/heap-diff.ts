/**
The objects that grew in a `--heap-snapshots` run: the snapshots the workload's Node processes
wrote into the run folder's heap/ (target/node-heap.ts), the baseline against the last, diffed by
constructor, with what holds the top grower. The live run and `memmon analyze` read the same
files, so a rebuilt report says the same. A diff is computed once per pair of files (partial
reports reuse it), and snapshots over MAX_SNAPSHOT_BYTES are not read (a 248 MiB snapshot took
6.6 s and 1 GiB of memmon's memory): the report says so, and where they are.
*/
import fs from 'node:fs';
import path from 'node:path';
import {formatBytes} from '../units.js';
import {grownSince, readHeapGraph, type ClassGrowth, type HeapSnapshotJson} from './heap-snapshot.js';

/** Snapshots larger than this are left for Chrome DevTools. */
export const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;

/** The diff in one line, for the screen: the top growers and what holds the first. */
export function heapLine(diff: HeapDiff): string {
	if (diff.note) {
		return `Heap  ${diff.note}`;
	}

	const top = diff.classes.slice(0, 2).map(row => `+${row.count.toLocaleString('en-US')} ${row.name} (retain ${formatBytes(row.retained)})`);
	return `Heap  ${top.length === 0 ? 'no constructor has more instances than at the baseline' : top.join(', ')}${diff.path ? ` · held by ${diff.path}` : ''}`;
}

/** What the reports say about the Node heap. */
export type HeapDiff = {
	readonly tool: 'heap snapshots';
	/** The process the snapshots are of. */
	readonly pid: number | undefined;
	/** Seconds into the run of the two snapshots compared. */
	readonly fromSeconds: number | undefined;
	readonly toSeconds: number | undefined;
	readonly classes: readonly ClassGrowth[];
	/** What holds an instance of the top grower, from the roots. */
	readonly path: string | undefined;
	/** Why there is nothing to show, when there is not. */
	readonly note: string | undefined;
};

/** A heap snapshot file in the run folder's heap/: `PID-NAME.heapsnapshot`. */
export type Snapshot = {readonly file: string; readonly pid: number; readonly name: string; readonly bytes: number; readonly timeMs: number};

/**
The two snapshots to diff: of the process whose heap grew most from its baseline (`baseline`, else
`start`) to its last (one of `lastNames`), by file size; where none has both, the largest last
one (and no baseline). The largest last snapshot alone picked `npm run test`'s npm, whose heap
(7.7 MB) outweighed a test's that had grown 1 MB.
*/
export function pickSnapshots(snapshots: readonly Snapshot[], lastNames: readonly string[]): {before: Snapshot | undefined; after: Snapshot} | undefined {
	const pick = (pid: number, ...names: string[]): Snapshot | undefined => names.map(name => snapshots.find(s => s.pid === pid && s.name === name)).find(Boolean);
	const lasts = snapshots.filter(s => lastNames.includes(s.name)).sort((a, b) => b.bytes - a.bytes);
	let best: {before: Snapshot | undefined; after: Snapshot} | undefined;
	for (const after of lasts) {
		const before = pick(after.pid, 'baseline', 'start');
		if (before && (!best?.before || after.bytes - before.bytes > best.after.bytes - best.before.bytes)) {
			best = {before, after};
		}
	}

	return best ?? (lasts[0] ? {before: undefined, after: lasts[0]} : undefined);
}

function list(dir: string): Snapshot[] {
	const result: Snapshot[] = [];
	for (const entry of fs.readdirSync(dir)) {
		const match = /^(\d+)-(\w+)\.heapsnapshot$/.exec(entry);
		if (match) {
			const stat = fs.statSync(path.join(dir, entry), {throwIfNoEntry: false});
			if (stat) {
				result.push({file: path.join(dir, entry), pid: Number(match[1]), name: match[2]!, bytes: stat.size, timeMs: stat.mtimeMs});
			}
		}
	}

	return result;
}

const cache = new Map<string, {classes: ClassGrowth[]; path: string | undefined}>();

function diff(before: Snapshot, after: Snapshot): {classes: ClassGrowth[]; path: string | undefined} {
	const key = `${before.file}:${before.bytes}:${after.file}:${after.bytes}`;
	const cached = cache.get(key);
	if (cached) {
		return cached;
	}

	const read = (snapshot: Snapshot) => readHeapGraph(JSON.parse(fs.readFileSync(snapshot.file, 'utf8')) as HeapSnapshotJson);
	const was = read(before);
	const now = read(after);
	const classes = grownSince(was, now);
	const result = {classes, path: classes[0] ? now.pathTo(classes[0].name, was.maxId) : undefined};
	cache.clear();
	cache.set(key, result);
	return result;
}

/**
The heap diff of a `--heap-snapshots` run: for the Node process whose last snapshot is largest
(the workload, rather than a launcher such as npm), its baseline (`baseline`, asked for once the
run is under way, else `start`, a second in) against its last (`end` before memmon stopped the
workload, `exit` when it ended by itself; or the snapshots named in `lastNames`). Undefined for a
run without heap/.
*/
export function readHeapDiff(runDir: string, startedAtMs: number, ended = true, lastNames: readonly string[] = ['end', 'exit']): HeapDiff | undefined {
	const dir = path.join(runDir, 'heap');
	if (!fs.existsSync(dir)) {
		return undefined;
	}

	const snapshots = list(dir);
	const at = (snapshot: Snapshot | undefined): number | undefined => snapshot === undefined ? undefined : Math.max(0, (snapshot.timeMs - startedAtMs) / 1000);
	const pair = pickSnapshots(snapshots, lastNames);
	if (!pair) {
		const none = {tool: 'heap snapshots', pid: undefined, fromSeconds: undefined, toSeconds: undefined, classes: [], path: undefined} as const;
		const note = !ended ? 'the snapshot to compare with is taken when the run ends' : snapshots.length > 0 ? 'no snapshot at the end (the workload was killed before it could write one)' : 'no snapshot came: is the workload a Node, Bun or Deno program (node …, bun …, deno run -A …)?';
		return {...none, note};
	}

	const {before, after} = pair;
	const base = {tool: 'heap snapshots', pid: after.pid, fromSeconds: at(before), toSeconds: at(after)} as const;
	if (!before) {
		return {...base, classes: [], path: undefined, note: `no baseline snapshot of PID ${after.pid}: it ended before one was taken (a second after it started, or with a --duration of a minute or more, a fifth of that in, at most 5 minutes)`};
	}

	const largest = Math.max(before.bytes, after.bytes);
	if (largest > MAX_SNAPSHOT_BYTES) {
		return {...base, classes: [], path: undefined, note: `the snapshots are too large to diff here (${formatBytes(largest)}): open ${path.basename(before.file)} and ${path.basename(after.file)} in ${dir} in Chrome DevTools (Memory, Comparison)`};
	}

	try {
		const {classes, path: holder} = diff(before, after);
		return {...base, classes, path: holder, note: undefined};
	} catch (error) {
		return {...base, classes: [], path: undefined, note: `the snapshots could not be read (${error instanceof Error ? error.message : String(error)}): they are in ${dir}`};
	}
}
