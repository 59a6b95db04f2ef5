/**
The Linux sampler: the target and its descendants (descendants.ts) read through kept-open procfs
files (member.ts), summed into one reading a sample; a big tree is read lightly, in turn.
*/
import fs from 'node:fs';
import {scanDescendants, SELF, treeStrategy, type TreeStrategy} from './descendants.js';
import {cpuMs, FD_COST_SHARE, Member} from './member.js';
import {readSystemMemory} from './system.js';
import type {Identity, ProcessMemory, Reading, Sampler, SystemMemory, TreeReading, TreeSplit} from './types.js';

/**
The share of a core PSS reads may take by default: 0.005%, a thirtieth of what the headless bar
allows memmon in all (DESIGN.md section 8: three times pidstat's 0.05%). A sample with PSS costs
2–4 ms of memmon's CPU for a 15 MiB process (smaps read and split, in code too rarely run to be
optimised): about every minute; ~every 3 minutes at 200 MiB; every 10 minutes from ~1 GiB.
*/
export const DEFAULT_PSS_COST_SHARE = 0.000_05;

/** The PSS reads whose cost sets the next gap: the cheapest of them. */
const PSS_COSTS = 3;

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
	/** memmon's own CPU time in milliseconds, what a PSS read costs (default: process.cpuUsage()). */
	readonly cpuNow?: (() => number) | undefined;
	/** The same, for what a descriptor listing costs (default: process.cpuUsage()). */
	readonly fdCostNow?: (() => number) | undefined;
	readonly strategy?: TreeStrategy;
	/** Where procfs is mounted (tests give a folder laid out as a kernel with fewer files would). */
	readonly procRoot?: string | undefined;
	/** On the PSS cadence, read each process's smaps itself (not smaps_rollup) and split the tree's RSS by mapping (default true). */
	readonly split?: boolean | undefined;
};

/** The Linux sampler: procfs with kept-open descriptors. */
export class ProcfsSampler implements Sampler {
	readonly #options: ProcfsSamplerOptions;
	/**
	memmon's own PID, never part of a tree; none in another process table (`procRoot`): a test's
	made-up tree numbered 5000–5069 lost 5043 on a CI machine, most likely the test worker's own PID.
	*/
	readonly #self: number;
	readonly #strategy: TreeStrategy;
	readonly #members = new Map<number, Member>();
	#root: Member | undefined;
	#lastPss = Number.NEGATIVE_INFINITY;
	#pssEveryMs: number;
	/** What the last PSS reads cost (CPU ms), newest last. */
	readonly #pssCosts: number[] = [];
	#samples = 0;

	constructor(options: ProcfsSamplerOptions) {
		this.#options = options;
		this.#self = options.procRoot === undefined || options.procRoot === '/proc' ? SELF : -1;
		this.#strategy = options.strategy ?? treeStrategy();
		this.#pssEveryMs = options.pssEveryMs;
		try {
			this.#root = new Member(options.target.pid, options.target, options.procRoot ?? '/proc', options.fdCostNow);
		} catch {
			this.#root = undefined;
		}
	}

	#cpuNow(): number {
		if (this.#options.cpuNow) {
			return this.#options.cpuNow();
		}

		return cpuMs();
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
		// The first PSS read a second in, not at the first sample: a workload memmon has just spawned
		// may not have exec'd yet, and its PSS would be memmon's own fork's (a Python workload's read
		// 0.8 MiB of a 3.1 MiB fork, shown until the next read, seconds to minutes later).
		if (this.#lastPss === Number.NEGATIVE_INFINITY) {
			this.#lastPss = now - this.#pssEveryMs + Math.min(1000, this.#pssEveryMs);
		}

		const withPss = now - this.#lastPss >= this.#pssEveryMs;
		if (withPss) {
			this.#lastPss = now;
		}

		// memmon's CPU time is read only around a sample with PSS (a getrusage call each).
		const cpuBefore = withPss && this.#options.pssCostShare !== undefined ? this.#cpuNow() : 0;

		const rootMemory = root.read(now, withPss, undefined, this.#options.split ?? true);
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
			// What this sample cost with PSS (nearly all of it the smaps reads) sets the next gap: in
			// memmon's CPU time, not the wall clock's (a loaded machine preempting memmon mid-read is not
			// a cost to memmon), and the cheapest of the last three (the first reads run cold code; until
			// there are three, the floor). By the wall clock and the last read alone, a 15 MiB redis had
			// its PSS read every 70 s.
			this.#pssCosts.push(this.#cpuNow() - cpuBefore);
			if (this.#pssCosts.length > PSS_COSTS) {
				this.#pssCosts.shift();
			}

			const cost = this.#pssCosts.length < PSS_COSTS ? 0 : Math.min(...this.#pssCosts);
			this.#pssEveryMs = Math.max(this.#options.pssEveryMs, Math.min(MAX_PSS_EVERY_MS, cost / this.#options.pssCostShare));
		}

		const sums = sumTree(processes);
		const split = withPss ? sumSplits(processes) : undefined;
		processes.sort((a, b) => b.rss - a.rss);
		return {kind: 'ok', ...sums, processes, split};
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
					member = new Member(pid, undefined, this.#options.procRoot ?? '/proc', this.#options.fdCostNow);
				} catch {
					return undefined; // Ended between the listing and the open.
				}

				this.#members.set(pid, member);
			}

			// In a big tree: each process's RSS every other sample (halves alternate; the other half's
			// last reading stands, a second old), and the descriptors' share of a core is the whole
			// tree's, not each process's.
			const fresh = !light || due(pid) ? undefined : (pid & 1) === (turn & 1) ? member.readLight() : member.lastReading;
			const memory = fresh ?? member.read(now, withPss, light ? FD_COST_SHARE / this.#members.size : FD_COST_SHARE, this.#options.split ?? true);
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
					if (!seen.has(pid) && pid !== this.#self) {
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

	executable(pid: number): string | undefined {
		try {
			return fs.readlinkSync(`${this.#options.procRoot ?? '/proc'}/${pid}/exe`);
		} catch {
			return undefined;
		}
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

/** The smaps splits of the processes that gave one, summed, beside their VmRSS; undefined when none did. */
function sumSplits(processes: readonly ProcessMemory[]): TreeSplit | undefined {
	const sum = {heap: 0, stack: 0, anon: 0, file: 0, shmem: 0, rss: 0, pss: 0, uss: 0, swap: 0, statusRss: 0, processes: 0};
	for (const p of processes) {
		if (p.split) {
			for (const key of ['heap', 'stack', 'anon', 'file', 'shmem', 'rss', 'pss', 'uss', 'swap'] as const) {
				sum[key] += p.split[key];
			}

			sum.statusRss += p.splitRss ?? p.rss;
			sum.processes++;
		}
	}

	return sum.processes === 0 ? undefined : sum;
}

/** The tree's figures: each process's summed, the kinds and peaks only where every process gives them. */
function sumTree(processes: readonly ProcessMemory[]): Omit<TreeReading, 'kind' | 'processes' | 'split' | 'system'> {
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

	return {rss, hwm, swap, pss, uss, cpu, threads, fds, anon, file, shmem};
}
