/**
The Python lines whose memory stayed (`--tracemalloc`): read from the snapshots the workload wrote
into the run folder's tracemalloc/ (target/python-trace.ts), diffed by line. The live run and
`memmon analyze` read the same files, so a rebuilt report says the same.
*/
import fs from 'node:fs';
import path from 'node:path';

/** One traced line. */
export type TracedLine = {readonly file: string; readonly line: number; readonly size: number; readonly count: number};

/** A snapshot as the workload wrote it: when (epoch ms) and every traced line. */
export type PythonSnapshot = {readonly name: string; readonly timeMs: number; readonly lines: readonly TracedLine[]};

/** Read `snapshot-NAME.json`, or undefined when it is not there (yet) or cannot be read. */
export function readSnapshot(dir: string, name: string): PythonSnapshot | undefined {
	try {
		const json = JSON.parse(fs.readFileSync(path.join(dir, `snapshot-${name}.json`), 'utf8')) as {time: number; lines: Array<[string, number, number, number]>};
		return {name, timeMs: json.time * 1000, lines: json.lines.map(([file, line, size, count]) => ({file, line, size, count}))};
	} catch {
		return undefined;
	}
}

/** A line whose memory grew between two snapshots. */
export type LineGrowth = {readonly where: string; readonly size: number; readonly count: number};

/**
The lines that hold more between `before` and `after`, most bytes first (at most `limit`, each at
least a KiB and a hundredth of the first). Paths are shown relative to `cwd` where they lie under it.
*/
export function diffSnapshots(before: PythonSnapshot | undefined, after: PythonSnapshot, cwd: string, limit = 10): LineGrowth[] {
	const key = (line: TracedLine): string => `${line.file}:${line.line}`;
	const base = new Map((before?.lines ?? []).map(line => [key(line), line]));
	const grown: LineGrowth[] = [];
	for (const line of after.lines) {
		const was = base.get(key(line));
		const size = line.size - (was?.size ?? 0);
		if (size > 0) {
			const file = path.isAbsolute(line.file) && line.file.startsWith(`${cwd}${path.sep}`) ? path.relative(cwd, line.file) : line.file;
			grown.push({where: `${file}:${line.line}`, size, count: line.count - (was?.count ?? 0)});
		}
	}

	// Lines under a KiB, or a hundredth of the top one, are the interpreter's and memmon's own
	// snapshot-taking (tracemalloc sees only the innermost frame), not the workload's.
	grown.sort((a, b) => b.size - a.size);
	const floor = Math.max(1024, 0.01 * (grown[0]?.size ?? 0));
	return grown.filter(line => line.size >= floor).slice(0, limit);
}

/** What the reports say about Python allocations. */
export type Allocations = {
	readonly tool: 'tracemalloc';
	/** Seconds into the run of the two snapshots compared (the baseline absent: from the start of tracing). */
	readonly fromSeconds: number | undefined;
	readonly toSeconds: number | undefined;
	readonly lines: readonly LineGrowth[];
	/** Why there is nothing to show, when there is not. */
	readonly note: string | undefined;
};

/**
The allocations of a `--tracemalloc` run: the baseline (`baseline`, asked for once the run is
under way, else `start`, a second in) against the last snapshot (`end` before memmon stopped the
workload, `exit` when it ended by itself). Undefined for a run without tracemalloc/.
*/
export function readAllocations(runDir: string, startedAtMs: number, ended = true, cwd = process.cwd()): Allocations | undefined {
	const dir = path.join(runDir, 'tracemalloc');
	if (!fs.existsSync(dir)) {
		return undefined;
	}

	const after = readSnapshot(dir, 'end') ?? readSnapshot(dir, 'exit');
	const before = readSnapshot(dir, 'baseline') ?? readSnapshot(dir, 'start');
	const at = (snapshot: PythonSnapshot | undefined): number | undefined => snapshot === undefined ? undefined : Math.max(0, (snapshot.timeMs - startedAtMs) / 1000);
	if (!after) {
		const note = !ended ? 'the snapshot to compare with is taken when the run ends' : before ? 'no snapshot at the end (the workload was killed before it could write one)' : 'no snapshot came: is the workload a Python program (python3 …)?';
		return {tool: 'tracemalloc', fromSeconds: at(before), toSeconds: undefined, lines: [], note};
	}

	return {tool: 'tracemalloc', fromSeconds: at(before), toSeconds: at(after), lines: diffSnapshots(before, after, cwd), note: undefined};
}
