/** Memory of the whole machine, from /proc/meminfo (or `os` elsewhere), and `--system` runs. */
import fs from 'node:fs';
import os from 'node:os';
import {cpuPercent, hasProcfs, pageSize, parseMeminfo, parseStat, ProcFile, programName, readOnce} from './procfs.js';
import type {ProcessMemory, Reading, Sampler, SystemMemory} from './types.js';

let meminfo: ProcFile | undefined;

/**
Read the machine's memory. On Linux from /proc/meminfo, through one descriptor kept open for the
process's life (re-read at offset 0, as the samplers read /proc/PID files); elsewhere total and
free from `os`.
*/
export function readSystemMemory(): SystemMemory | undefined {
	if (hasProcfs()) {
		try {
			meminfo ??= new ProcFile('/proc/meminfo');
			return parseMeminfo(meminfo.read());
		} catch {
			const text = readOnce('/proc/meminfo');
			return text === undefined ? undefined : parseMeminfo(text);
		}
	}

	return fromOs();
}

function fromOs(): SystemMemory {
	const total = os.totalmem();
	const free = os.freemem();
	return {total, available: free, used: total - free, free};
}

/** A process's CPU ticks at the last scan, by PID and start time (a PID may be handed on). */
export type CpuTicks = Map<string, {readonly ticks: number; readonly at: number}>;

/**
The largest processes on the machine by RSS, from one pass over /proc/PID/stat. A process that
exits mid-scan is skipped. With the ticks of the last scan (`previous`, updated in place) and the
time now (ms), each gets its CPU use since then, in percent of a core.
*/
export function largestProcesses(limit: number, procRoot = '/proc', previous?: CpuTicks, nowMs = 0): ProcessMemory[] {
	let entries: string[];
	try {
		entries = fs.readdirSync(procRoot);
	} catch {
		return [];
	}

	const page = pageSize();
	const all: ProcessMemory[] = [];
	const seen = new Set<string>();
	for (const entry of entries) {
		const code = entry.charCodeAt(0);
		if (code < 48 || code > 57) {
			continue;
		}

		const text = readOnce(`${procRoot}/${entry}/stat`);
		const stat = text === undefined ? undefined : parseStat(text);
		if (stat && Number.isFinite(stat.rssPages) && stat.rssPages > 0) {
			let cpu: number | undefined;
			if (previous && Number.isFinite(stat.cpuTicks)) {
				const key = `${stat.pid}:${stat.startTime}`;
				const before = previous.get(key);
				cpu = before && nowMs > before.at ? cpuPercent(stat.cpuTicks - before.ticks, nowMs - before.at) : undefined;
				previous.set(key, {ticks: stat.cpuTicks, at: nowMs});
				seen.add(key);
			}

			all.push({pid: stat.pid, name: stat.comm, rss: stat.rssPages * page, cpu});
		}
	}

	// Processes gone since the last scan are forgotten.
	if (previous) {
		for (const key of previous.keys()) {
			if (!seen.has(key)) {
				previous.delete(key);
			}
		}
	}

	// Named by the program they run (Node 24+ processes read `MainThread`): a read each, of the few listed.
	return all.sort((a, b) => b.rss - a.rss).slice(0, limit).map(process => ({...process, name: programName(`${procRoot}/${process.pid}`) ?? process.name}));
}

/** What a system sampler needs. */
export type SystemSamplerOptions = {
	readonly now: () => number;
	/** How often to list the largest processes (a scan of /proc); between scans the last list stays. */
	readonly processesEveryMs?: number;
	/** How many of the largest processes to list. */
	readonly processes?: number;
};

/**
`memmon --system`: the machine is the target. Each sample is one read of /proc/meminfo (kept
open); the series memmon charts and judges is "used" (total − available, as `free` computes it).
*/
export class SystemSampler implements Sampler {
	readonly #options: SystemSamplerOptions;
	readonly #meminfo: ProcFile | undefined;
	#last: SystemMemory | undefined;
	#processes: ProcessMemory[] = [];
	#processesAt = Number.NEGATIVE_INFINITY;
	readonly #ticks: CpuTicks = new Map();

	constructor(options: SystemSamplerOptions) {
		this.#options = options;
		this.#meminfo = hasProcfs() ? new ProcFile('/proc/meminfo') : undefined;
	}

	async sample(): Promise<Reading> {
		let memory: SystemMemory | undefined;
		try {
			memory = this.#meminfo ? parseMeminfo(this.#meminfo.read()) : fromOs();
		} catch (error) {
			return {kind: 'failed', error: (error as NodeJS.ErrnoException).code ?? String(error)};
		}

		if (!memory) {
			return {kind: 'failed', error: 'cannot parse /proc/meminfo'};
		}

		this.#last = memory;
		const now = this.#options.now();
		if (this.#meminfo && now - this.#processesAt >= (this.#options.processesEveryMs ?? 5000)) {
			this.#processesAt = now;
			this.#processes = largestProcesses(this.#options.processes ?? 20, '/proc', this.#ticks, now);
		}

		return {kind: 'ok', rss: memory.used, swap: memory.swapUsed, processes: this.#processes, system: memory};
	}

	async system(): Promise<SystemMemory | undefined> {
		return this.#last;
	}

	close(): void {
		this.#meminfo?.close();
	}
}
