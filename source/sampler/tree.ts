/**
The process tree under a target, and the Linux sampler that reads it.

Descendants are found by walking down from the target through
/proc/PID/task/TID/children (every thread's file: a child may be forked by any thread), which
costs in proportion to the tree, not to the machine. Where that file does not exist (kernels
without CONFIG_PROC_CHILDREN) a scan of every /proc/PID/stat builds the ppid map instead.
*/
import fs from 'node:fs';
import {
	CLOCK_TICKS, PF_EXITING, ProcFile, pageSize, parseSmapsRollup, parseStat, parseStatm, parseStatus, readOnce,
} from './procfs.js';
import {readSystemMemory} from './system.js';
import type {ProcessMemory, Reading, Sampler, SystemMemory} from './types.js';

/** How to find children: the per-thread children files, or a scan of every /proc/PID/stat. */
export type TreeStrategy = 'children' | 'scan';

/** Detect which strategy this kernel supports. */
export function treeStrategy(): TreeStrategy {
	return fs.existsSync(`/proc/${process.pid}/task/${process.pid}/children`) ? 'children' : 'scan';
}

function parsePidList(text: string, into: number[]): void {
	let value = 0;
	let digits = 0;
	for (let i = 0; i <= text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 48 && c <= 57) {
			value = (value * 10) + (c - 48);
			digits++;
		} else if (digits > 0) {
			into.push(value);
			value = 0;
			digits = 0;
		}
	}
}

/** The descendants of `root` (not `root` itself), parents before children. */
export function descendants(root: number, strategy: TreeStrategy = treeStrategy()): number[] {
	return strategy === 'children' ? walkChildren(root) : scanDescendants(root);
}

function walkChildren(root: number): number[] {
	const found: number[] = [];
	const queue = [root];
	const children: number[] = [];
	for (let head = 0; head < queue.length; head++) {
		const pid = queue[head]!;
		let tasks: string[];
		try {
			tasks = fs.readdirSync(`/proc/${pid}/task`);
		} catch {
			continue;
		}

		for (const tid of tasks) {
			const text = readOnce(`/proc/${pid}/task/${tid}/children`);
			if (text) {
				children.length = 0;
				parsePidList(text, children);
				for (const child of children) {
					found.push(child);
					queue.push(child);
				}
			}
		}
	}

	return found;
}

/** Build the ppid map from every /proc/PID/stat and walk it down from `root`. */
export function scanDescendants(root: number, procRoot = '/proc'): number[] {
	const byParent = new Map<number, number[]>();
	for (const entry of fs.readdirSync(procRoot)) {
		const c = entry.charCodeAt(0);
		if (c < 48 || c > 57) {
			continue;
		}

		const text = readOnce(`${procRoot}/${entry}/stat`);
		const stat = text === undefined ? undefined : parseStat(text);
		if (stat) {
			const siblings = byParent.get(stat.ppid);
			if (siblings) {
				siblings.push(stat.pid);
			} else {
				byParent.set(stat.ppid, [stat.pid]);
			}
		}
	}

	return walkDown(byParent, root);
}

/** The descendants of `root` in a map of parent → children, parents before children. */
export function walkDown(byParent: ReadonlyMap<number, readonly number[]>, root: number): number[] {
	const found: number[] = [];
	const queue = [root];
	for (let head = 0; head < queue.length; head++) {
		for (const child of byParent.get(queue[head]!) ?? []) {
			found.push(child);
			queue.push(child);
		}
	}

	return found;
}

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

/** The share of a core the descriptor counts may take, per process. */
const FD_COST_SHARE = 0.000_5;

/** The identity of a process: its PID and its start time after boot, in clock ticks. */
export type Identity = {readonly pid: number; readonly startTime: number};

/** One process of the tree, with its files kept open. */
class Member {
	readonly pid: number;
	readonly #dir: string;
	readonly startTime: number;
	readonly #stat: ProcFile;
	readonly #status: ProcFile;
	#statm: ProcFile | undefined;
	/** The last full reading: a light one takes RSS fresh and the rest from here. */
	#last: ProcessMemory | undefined;
	#lastLight: ProcessMemory | undefined;
	#smaps: ProcFile | undefined | null;
	#cpuTicks: number | undefined;
	#cpuAt = 0;
	#threads: number | undefined;
	/** One kept children file per thread; re-listed only when the thread count changes. */
	#childrenFiles: ProcFile[] | undefined;
	#childList: number[] | undefined;
	#fds: number | undefined;
	#fdsAt: number | undefined;
	#fdsEveryMs = 0;

	constructor(pid: number, expected: Identity | undefined, procRoot: string) {
		this.pid = pid;
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

	/** The last reading, light or full, without reading anything (undefined before the first). */
	get lastReading(): ProcessMemory | undefined {
		return this.#lastLight ?? this.#last;
	}

	/** Read memory and CPU; `undefined` when the process has ended (or is a zombie). */
	read(nowMs: number, withPss: boolean, fdShare = FD_COST_SHARE): ProcessMemory | undefined {
		const memory = this.#readFull(nowMs, withPss, fdShare);
		this.#last = memory;
		this.#lastLight = undefined;
		return memory;
	}

	#readFull(nowMs: number, withPss: boolean, fdShare: number): ProcessMemory | undefined {
		let statusText: string;
		let statText: string;
		try {
			statText = this.#stat.read();
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

		let cpu: number | undefined;
		if (stat) {
			if (this.#cpuTicks !== undefined && nowMs > this.#cpuAt) {
				cpu = ((stat.cpuTicks - this.#cpuTicks) / CLOCK_TICKS) / ((nowMs - this.#cpuAt) / 1000) * 100;
			}

			this.#cpuTicks = stat.cpuTicks;
			this.#cpuAt = nowMs;
		}

		const rollup = withPss ? this.#readRollup() : undefined;
		return {
			pid: this.pid,
			name: status.name,
			threads: status.threads,
			fds: this.#countFds(nowMs, fdShare),
			rss: status.rss,
			hwm: status.hwm,
			swap: status.swap,
			anon: status.anon,
			file: status.file,
			shmem: status.shmem,
			pss: rollup?.pss,
			uss: rollup?.uss,
			cpu,
		};
	}

	/**
	Open descriptors: listing /proc/PID/fd costs ~1 µs a descriptor (11 ms for a server with
	10,000), so it is listed again only after FD_COST_SHARE of a core's time has passed since: every
	sample for tens of descriptors, every ~2 s for 1,000, every ~20 s for 10,000.
	*/
	#countFds(nowMs: number, share: number): number | undefined {
		if (this.#fdsAt !== undefined && nowMs - this.#fdsAt < this.#fdsEveryMs) {
			return this.#fds;
		}

		const started = performance.now();
		this.#fds = countEntries(`${this.#dir}/fd`);
		this.#fdsAt = nowMs;
		this.#fdsEveryMs = (performance.now() - started) / share;
		return this.#fds;
	}

	#readRollup(): ReturnType<typeof parseSmapsRollup> | undefined {
		if (this.#smaps === null) {
			return undefined;
		}

		try {
			this.#smaps ??= new ProcFile(`${this.#dir}/smaps_rollup`);
			return parseSmapsRollup(this.#smaps.read());
		} catch {
			// Not permitted (ptrace access) or not supported: PSS stays absent for this process.
			this.#smaps?.close();
			this.#smaps = null;
			return undefined;
		}
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
		this.#smaps?.close();
		this.#closeChildren();
	}
}

/**
The share of a core PSS reads may take by default: 0.005%, a twentieth of what the headless bar
allows memmon in all (DESIGN.md section 8: twice pidstat's ~0.05%). Every 10 s for a small
target; ~every 90 s at 200 MiB (a read costs ~4.5 ms there); every 10 minutes from ~1 GiB.
*/
export const DEFAULT_PSS_COST_SHARE = 0.000_05;

/** With a cost share, PSS is still read at least this often. */
const MAX_PSS_EVERY_MS = 600_000;

/**
A tree with at least this many descendants reads most of them lightly: RSS from statm, each
process every other sample (odd and even PIDs in turn), and stat, status (peak, swap, CPU, state,
threads, descriptors) and the children files of about 50 of them (at least a tenth) each sample,
so each process in turn. Reading all of them for 1,000 processes took ~21 ms a sample (2% of a
core at 1 Hz); statm for all of them is 3–7 ms. Smaller trees are read in full every sample.
*/
const BIG_TREE = 64;
const FULL_EVERY = 10;

/** Options of the Linux sampler. */
export type ProcfsSamplerOptions = {
	readonly target: Identity;
	/** Include descendants. */
	readonly children: boolean;
	/** Read PSS/USS at most this often (smaps_rollup costs grow with RSS). */
	readonly pssEveryMs: number;
	/**
	With a share of a core (0.00005 = 0.005%), space the PSS reads further apart when they cost more:
	the kernel walks every page of every process for them, ~4 ms for 200 MiB.
	*/
	readonly pssCostShare?: number | undefined;
	/** Monotonic milliseconds, for CPU% and the PSS cadence. */
	readonly now: () => number;
	readonly strategy?: TreeStrategy;
	/** Where procfs is mounted (tests give a folder laid out as a kernel with fewer files would). */
	readonly procRoot?: string | undefined;
};

/** The Linux sampler: procfs with kept-open descriptors. */
export class ProcfsSampler implements Sampler {
	readonly #options: ProcfsSamplerOptions;
	readonly #strategy: TreeStrategy;
	readonly #members = new Map<number, Member>();
	#root: Member | undefined;
	#lastPss = Number.NEGATIVE_INFINITY;
	#pssEveryMs: number;
	#samples = 0;

	constructor(options: ProcfsSamplerOptions) {
		this.#options = options;
		this.#strategy = options.strategy ?? treeStrategy();
		this.#pssEveryMs = options.pssEveryMs;
		try {
			this.#root = new Member(options.target.pid, options.target, options.procRoot ?? '/proc');
		} catch {
			this.#root = undefined;
		}
	}

	async sample(): Promise<Reading> {
		return this.sampleSync();
	}

	/** The same reading, synchronously. */
	sampleSync(): Reading {
		const root = this.#root;
		if (!root) {
			return {kind: 'gone'};
		}

		const now = this.#options.now();
		const withPss = now - this.#lastPss >= this.#pssEveryMs;
		if (withPss) {
			this.#lastPss = now;
		}

		const rootMemory = root.read(now, withPss);
		if (!rootMemory) {
			this.close();
			return {kind: 'gone'};
		}

		const processes: ProcessMemory[] = [rootMemory];
		if (this.#options.children) {
			try {
				this.#readChildren(now, withPss, processes);
			} catch (error) {
				return {kind: 'failed', error: error instanceof Error ? error.message : String(error)};
			}
		}

		if (withPss && this.#options.pssCostShare !== undefined) {
			// What this sample cost with PSS (nearly all of it the smaps_rollup reads) sets the next gap.
			const cost = this.#options.now() - now;
			this.#pssEveryMs = Math.max(this.#options.pssEveryMs, Math.min(MAX_PSS_EVERY_MS, cost / this.#options.pssCostShare));
		}

		let rss = 0;
		// Each process's own peak, summed: the tree's peak cannot have been higher.
		let hwm: number | undefined = 0;
		let swap: number | undefined;
		let pss: number | undefined;
		let uss: number | undefined;
		let cpu: number | undefined;
		let threads: number | undefined;
		let fds: number | undefined;
		// The RSS by kind, only where every process gives it: parts of a sum must add up to it.
		let anon: number | undefined = 0;
		let file: number | undefined = 0;
		let shmem: number | undefined = 0;
		for (const p of processes) {
			anon = anon === undefined || p.anon === undefined ? undefined : anon + p.anon;
			file = file === undefined || p.file === undefined ? undefined : file + p.file;
			shmem = shmem === undefined || p.shmem === undefined ? undefined : shmem + p.shmem;

			if (p.threads !== undefined) {
				threads = (threads ?? 0) + p.threads;
			}

			if (p.fds !== undefined) {
				fds = (fds ?? 0) + p.fds;
			}

			rss += p.rss;
			hwm = hwm === undefined || p.hwm === undefined ? undefined : hwm + p.hwm;
			if (p.swap !== undefined) {
				swap = (swap ?? 0) + p.swap;
			}

			if (p.pss !== undefined) {
				pss = (pss ?? 0) + p.pss;
			}

			if (p.uss !== undefined) {
				uss = (uss ?? 0) + p.uss;
			}

			if (p.cpu !== undefined) {
				cpu = (cpu ?? 0) + p.cpu;
			}
		}

		processes.sort((a, b) => b.rss - a.rss);
		return {kind: 'ok', rss, hwm, swap, pss, uss, cpu, threads, fds, anon, file, shmem, processes};
	}

	#readChildren(now: number, withPss: boolean, into: ProcessMemory[]): void {
		const seen = new Set<number>();
		const light = !withPss && this.#members.size >= BIG_TREE;
		// About 50 full reads a sample, and never fewer than a tenth of the tree.
		const every = Math.max(FULL_EVERY, Math.ceil(this.#members.size / 50));
		const turn = this.#samples++ % every;
		const due = (pid: number): boolean => !light || pid % every === turn;
		const visit = (pid: number): Member | undefined => {
			let member = this.#members.get(pid);
			if (!member) {
				try {
					member = new Member(pid, undefined, this.#options.procRoot ?? '/proc');
				} catch {
					return undefined; // Ended between the listing and the open.
				}

				this.#members.set(pid, member);
			}

			// In a big tree: each process's RSS every other sample (halves alternate; the other half's
			// last reading stands, a second old), and the descriptors' share of a core is the whole
			// tree's, not each process's.
			const fresh = !light || due(pid) ? undefined : (pid & 1) === (turn & 1) ? member.readLight() : member.lastReading;
			const memory = fresh ?? member.read(now, withPss, light ? FD_COST_SHARE / this.#members.size : FD_COST_SHARE);
			if (!memory) {
				member.close();
				this.#members.delete(pid);
				return undefined;
			}

			into.push(memory);
			return member;
		};

		if (this.#strategy === 'scan') {
			for (const pid of scanDescendants(this.#options.target.pid, this.#options.procRoot)) {
				seen.add(pid);
				visit(pid);
			}
		} else {
			// Walk down through each process's kept children files, parents before children.
			const queue: Member[] = [this.#root!];
			const children: number[] = [];
			for (let head = 0; head < queue.length; head++) {
				children.length = 0;
				// In a big tree a process's children are listed again on its full turn (the root's every
				// sample): a grandchild shows within `every` samples.
				const member = queue[head]!;
				member.childPids(children, head === 0 || due(member.pid));
				for (const pid of children) {
					if (!seen.has(pid)) {
						seen.add(pid);
						const member = visit(pid);
						if (member) {
							queue.push(member);
						}
					}
				}
			}
		}

		for (const [pid, member] of this.#members) {
			if (!seen.has(pid)) {
				member.close();
				this.#members.delete(pid);
			}
		}
	}

	async system(): Promise<SystemMemory | undefined> {
		return readSystemMemory();
	}

	close(): void {
		this.#root?.close();
		this.#root = undefined;
		for (const member of this.#members.values()) {
			member.close();
		}

		this.#members.clear();
	}
}
