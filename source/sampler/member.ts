/**
One process of a watched tree, with its procfs files kept open: a full read (stat, status, and
smaps_rollup on the PSS cadence — or, for the root, smaps itself, split by mapping), a light one
(statm alone), its children and its descriptors.
*/
import fs from 'node:fs';
import {parsePidList} from './descendants.js';
import {
	cpuPercent, PF_EXITING, ProcFile, pageSize, parseStat, parseStatm, parseStatus, programOf,
} from './procfs.js';
import {parseSmapsRollup, parseSmapsSplit, type SmapsSplit} from './smaps.js';
import type {Identity, ProcessMemory} from './types.js';

/**
The entries of a folder (a process's open descriptors), or undefined when it cannot be listed
(another user's process without the right). A few microseconds for tens of descriptors.
*/
function countEntries(dir: string): number | undefined {
	try {
		return fs.readdirSync(dir).length;
	} catch {
		return undefined;
	}
}

/** memmon's own CPU time, milliseconds. */
export function cpuMs(): number {
	const {user, system} = process.cpuUsage();
	return (user + system) / 1000;
}

/** The share of a core the descriptor counts may take, per process. */
export const FD_COST_SHARE = 0.000_5;

/**
CPU use is measured over at least this long, as `top` does by default: the kernel counts CPU time
in 10-ms ticks, so over one second a server using 0.3% of a core read 0.0% and 1.0% in turn.
*/
const CPU_WINDOW_MS = 3000;

/** One process of the tree, with its files kept open. */
export class Member {
	readonly pid: number;
	readonly #dir: string;
	readonly startTime: number;
	readonly #stat: ProcFile;
	readonly #status: ProcFile;
	#statm: ProcFile | undefined;
	/** The last full reading: a light one takes RSS fresh and the rest from here. */
	#last: ProcessMemory | undefined;
	#lastLight: ProcessMemory | undefined;
	readonly #smapsDenied = new Set<string>();
	/** Earlier CPU-time readings, oldest first: CPU use is measured against one CPU_WINDOW_MS old. */
	readonly #cpuRefs: Array<{readonly ticks: number; readonly at: number}> = [];
	#threads: number | undefined;
	/** The kernel's name for it (comm) as last read, and the program it runs, read again when that changes (an exec). */
	#comm: string | undefined;
	#program: string | undefined;
	/** Its command line, read with the program's name. */
	#command: string | undefined;
	/** One kept children file per thread; re-listed only when the thread count changes. */
	#childrenFiles: ProcFile[] | undefined;
	#childList: number[] | undefined;
	#fds: number | undefined;
	#fdsAt: number | undefined;
	#fdsEveryMs = 0;
	/** The last three listings' cost (ms), as counted: see #countFds. */
	readonly #fdCosts: number[] = [];
	/** memmon's CPU time, ms: what a listing costs. */
	readonly #costNow: () => number;

	constructor(pid: number, expected: Identity | undefined, procRoot: string, costNow: () => number = cpuMs) {
		this.pid = pid;
		this.#costNow = costNow;
		this.#dir = `${procRoot}/${pid}`;
		this.#stat = new ProcFile(`${this.#dir}/stat`);
		try {
			const stat = parseStat(this.#stat.read());
			if (!stat || (expected && stat.startTime !== expected.startTime)) {
				throw Object.assign(new Error(`process ${pid} is not the one expected`), {code: 'ESRCH'});
			}

			this.startTime = stat.startTime;
			this.#status = new ProcFile(`${this.#dir}/status`);
		} catch (error) {
			this.#stat.close();
			throw error;
		}
	}

	/**
	RSS and its anonymous part from statm (a fifth of the cost of stat and status together; its
	"shared" pages are the file-backed and shmem ones); peak, swap, the shmem share, CPU and the
	thread count as of the last full read. `undefined` when the process has ended, or before a full
	read.
	*/
	readLight(): ProcessMemory | undefined {
		const last = this.#last;
		if (!last) {
			return undefined;
		}

		let rss: number | undefined;
		let shared: number | undefined;
		try {
			this.#statm ??= new ProcFile(`${this.#dir}/statm`);
			const text = this.#statm.read();
			rss = parseStatm(text, pageSize());
			// The third field, without splitting the line (a thousand light reads a sample).
			const second = text.indexOf(' ', text.indexOf(' ') + 1);
			shared = Number(text.slice(second + 1, text.indexOf(' ', second + 1))) * pageSize();
		} catch {
			return undefined;
		}

		// A zombie's statm is all zeros: it has no memory left to count.
		if (rss === undefined || rss === 0) {
			return undefined;
		}

		// The parts still add up to RSS: anon and file fresh, shmem as last read (and no more than shared).
		const kinds = last.anon === undefined || !Number.isFinite(shared) ? {anon: undefined, file: undefined, shmem: undefined} : (() => {
			const shmem = Math.min(last.shmem ?? 0, shared);
			return {anon: rss - shared, file: shared - shmem, shmem};
		})();
		this.#lastLight = {...last, rss, ...kinds, hwm: last.hwm === undefined ? undefined : Math.max(last.hwm, rss), pss: undefined, uss: undefined};
		return this.#lastLight;
	}

	/**
	The program's name (procfs.ts programName), read again when the kernel's name changes (an exec);
	the kernel's name where there is none. Node 24 and later name their main thread, and with it the
	process, `MainThread` (26: `node-MainThread`): a tree of three read "MainThread (31108)".
	*/
	#programName(comm: string): string {
		if (comm !== this.#comm) {
			this.#comm = comm;
			({name: this.#program, command: this.#command} = programOf(this.#dir));
		}

		return this.#program ?? comm;
	}

	/** The last reading, light or full, without reading anything (undefined before the first). */
	get lastReading(): ProcessMemory | undefined {
		return this.#lastLight ?? this.#last;
	}

	/** Read memory and CPU; `undefined` when the process has ended (or is a zombie). */
	/** A full read; with `split`, PSS comes from smaps itself, with RSS split by mapping. */
	read(nowMs: number, withPss: boolean, fdShare = FD_COST_SHARE, split = false): ProcessMemory | undefined {
		const memory = this.#readFull(nowMs, withPss, fdShare, split);
		this.#last = memory;
		this.#lastLight = undefined;
		return memory;
	}

	#readFull(nowMs: number, withPss: boolean, fdShare: number, split: boolean): ProcessMemory | undefined {
		let statusText: string;
		let statText: string;
		// The split is read between two reads of status: its parts are compared with VmRSS, and a
		// leaking process moves on while smaps is read (a loaded machine may preempt memmon there).
		let smaps: SmapsSplit | undefined;
		let before: number | undefined;
		try {
			statText = this.#stat.read();
			if (withPss && split) {
				before = parseStatus(this.#status.read()).rss;
				smaps = this.#readSplit();
			}

			statusText = this.#status.read();
		} catch {
			return undefined;
		}

		const status = parseStatus(statusText);
		if (status.rss === undefined || status.state === 'Z' || status.state === 'X') {
			return undefined;
		}

		const stat = parseStat(statText);
		// Exiting: its memory is being torn down. Not a sample of the workload (a leaky test that
		// exits on its own was once sampled mid-teardown, and its growth read 7 MiB low).
		if (stat && (stat.flags & PF_EXITING) !== 0) {
			return undefined;
		}

		if (status.threads !== this.#threads) {
			this.#threads = status.threads;
			this.#closeChildren();
		}

		const previousFds = this.#fds;
		const fds = this.#countFds(nowMs, fdShare);
		// A process that began to exit after the check above closes its files first: an empty or
		// vanished descriptor list where there were some is checked against its flags again, and a
		// process exiting by then is not sampled (a thread-and-file leak's last sample read 26 → 0
		// descriptors).
		if ((fds === undefined || fds === 0) && (previousFds ?? 0) > 0 && this.#exiting()) {
			return undefined;
		}

		const cpu = stat ? this.#cpuSince(stat.cpuTicks, nowMs) : undefined;

		const rollup = withPss ? smaps ?? this.#readRollup() : undefined;
		return {
			pid: this.pid,
			name: this.#programName(status.name),
			command: this.#command,
			threads: status.threads,
			fds,
			rss: status.rss,
			hwm: status.hwm,
			swap: status.swap,
			anon: status.anon,
			file: status.file,
			shmem: status.shmem,
			pss: rollup?.pss,
			uss: rollup?.uss,
			cpu,
			split: smaps,
			// VmRSS beside the split: of the reads before and after it, the nearer.
			splitRss: smaps && status.rss !== undefined ? nearer(smaps.rss, before ?? status.rss, status.rss) : undefined,
		};
	}

	/** True when the process is exiting, gone, or unreadable now. */
	#exiting(): boolean {
		try {
			const stat = parseStat(this.#stat.read());
			return !stat || (stat.flags & PF_EXITING) !== 0;
		} catch {
			return true;
		}
	}

	/**
	CPU use in percent of a core: against the newest earlier reading at least CPU_WINDOW_MS old (the
	oldest, in a run's first seconds). Against the previous sample alone, the start-up cadence of
	200 ms made a 10-ms clock tick 5%: a server using 3% read 0.0% and 5.0% in turn.
	*/
	#cpuSince(ticks: number, nowMs: number): number | undefined {
		const refs = this.#cpuRefs;
		while (refs.length > 1 && nowMs - refs[1]!.at >= CPU_WINDOW_MS) {
			refs.shift();
		}

		const ref = refs[0];
		refs.push({ticks, at: nowMs});
		return ref && nowMs > ref.at ? cpuPercent(ticks - ref.ticks, nowMs - ref.at) : undefined;
	}

	/**
	Open descriptors: listing /proc/PID/fd costs ~1 µs a descriptor (11 ms for a server with
	10,000), so it is listed again only after FD_COST_SHARE of a core's time has passed since: every
	sample for tens of descriptors, every ~2 s for 1,000, every ~20 s for 10,000. The cost is memmon's
	CPU time, the cheapest of the last three listings (the first counts as at most 0.5 ms): a read
	that cold code or another of memmon's threads made dear does not space the next ones out. Wall
	time did, on a loaded machine: a 3-s test opening 20 files a second had its descriptors listed
	at 1 s and not again, and its report said "26 steady". (A cost per descriptor, scaled to the
	count, read a first listing of 4 descriptors at exec as 0.1 ms each, and 25 of them later waited
	six seconds.)
	*/
	#countFds(nowMs: number, share: number): number | undefined {
		if (this.#fdsAt !== undefined && nowMs - this.#fdsAt < this.#fdsEveryMs) {
			return this.#fds;
		}

		const started = this.#costNow();
		this.#fds = countEntries(`${this.#dir}/fd`);
		this.#fdsAt = nowMs;
		const cost = this.#costNow() - started;
		this.#fdCosts.push(this.#fdCosts.length === 0 ? Math.min(cost, 0.5) : cost);
		if (this.#fdCosts.length > 3) {
			this.#fdCosts.shift();
		}

		this.#fdsEveryMs = Math.min(...this.#fdCosts) / share;
		return this.#fds;
	}

	/**
	smaps and smaps_rollup are opened afresh for each read (every 10 s or less often): a descriptor
	kept open stays bound to the memory the process had when it was opened, and a workload memmon
	spawns may not have exec'd yet at the first sample — every later read then came back empty,
	and PSS read 0.
	*/
	#readSmaps(name: 'smaps' | 'smaps_rollup'): string | undefined {
		if (this.#smapsDenied.has(name)) {
			return undefined;
		}

		let file: ProcFile | undefined;
		try {
			file = new ProcFile(`${this.#dir}/${name}`);
			// smaps is a line per field, ~20 a mapping, hundreds of mappings: read to the end.
			const text = name === 'smaps' ? file.readAll() : file.read();
			return text.length > 0 ? text : undefined;
		} catch {
			// Not permitted (ptrace access) or not supported: PSS stays absent for this process, or
			// comes from smaps_rollup alone where smaps is missing.
			this.#smapsDenied.add(name);
			return undefined;
		} finally {
			file?.close();
		}
	}

	#readSplit(): SmapsSplit | undefined {
		const text = this.#readSmaps('smaps');
		return text === undefined ? undefined : parseSmapsSplit(text);
	}

	#readRollup(): ReturnType<typeof parseSmapsRollup> | undefined {
		const text = this.#readSmaps('smaps_rollup');
		return text === undefined ? undefined : parseSmapsRollup(text);
	}

	/** The PIDs of this process's children, from every thread's children file; with `refresh` false, as last read. */
	childPids(into: number[], refresh = true): void {
		if (!refresh && this.#childList) {
			into.push(...this.#childList);
			return;
		}

		const from = into.length;
		this.#readChildPids(into);
		this.#childList = into.slice(from);
	}

	#readChildPids(into: number[]): void {
		if (!this.#childrenFiles) {
			this.#childrenFiles = [];
			try {
				for (const tid of fs.readdirSync(`${this.#dir}/task`)) {
					try {
						this.#childrenFiles.push(new ProcFile(`${this.#dir}/task/${tid}/children`));
					} catch {}
				}
			} catch {}
		}

		for (const file of this.#childrenFiles) {
			try {
				parsePidList(file.readAll(), into);
			} catch {
				// A thread that ended: list the threads again next time.
				this.#closeChildren();
				return;
			}
		}
	}

	#closeChildren(): void {
		for (const file of this.#childrenFiles ?? []) {
			file.close();
		}

		this.#childrenFiles = undefined;
	}

	close(): void {
		this.#stat.close();
		this.#status.close();
		this.#statm?.close();
		this.#closeChildren();
	}
}

/** Of `a` and `b`, the one nearer to `value`. */
function nearer(value: number, a: number, b: number): number {
	return Math.abs(a - value) <= Math.abs(b - value) ? a : b;
}
