/**
Reading /proc/PID/{status,statm,stat} through file descriptors kept open and re-read at offset 0
(smaps and smaps_rollup, which stay bound to the memory they were opened on, are in smaps.ts): no path lookup per sample, and a descriptor stays tied to the process it
was opened for, so once that process is gone every read fails with ESRCH — even if its PID has
been handed to a new process since. That is what keeps a stranger out of the record.
*/
import fs from 'node:fs';

/** The fields of /proc/PID/status that memmon uses, in bytes. */
export type StatusFields = {
	readonly name: string;
	readonly rss?: number | undefined;
	readonly hwm?: number | undefined;
	readonly swap?: number | undefined;
	readonly anon?: number | undefined;
	readonly file?: number | undefined;
	readonly shmem?: number | undefined;
	readonly state?: string | undefined;
	/** Number of threads (each has its own children file). */
	readonly threads?: number | undefined;
};

/** The fields of /proc/PID/stat that memmon uses. */
export type StatFields = {
	readonly pid: number;
	readonly comm: string;
	readonly state: string;
	readonly ppid: number;
	/** utime + stime, in clock ticks. */
	readonly cpuTicks: number;
	/** Start time after boot, in clock ticks: with the PID, the process's identity. */
	readonly startTime: number;
	/** Resident set size in pages (field 24). */
	readonly rssPages: number;
	/** The kernel's task flags (field 9); see PF_EXITING. */
	readonly flags: number;
};

/**
The task flag the kernel sets as a process begins to exit, before it unmaps its memory: a reading
taken then shows the teardown (RSS falling by the whole heap), not the workload.
*/
export const PF_EXITING = 0x4;

/** Clock ticks per second of /proc/PID/stat; USER_HZ is 100 on every Linux ABI. */
export const CLOCK_TICKS = 100;

/** CPU use in percent of a core: `ticks` of CPU time over `ms` of wall time. */
export function cpuPercent(ticks: number, ms: number): number {
	return (ticks / CLOCK_TICKS) / (ms / 1000) * 100;
}

const kB = 1024;

/** The number after `key` in a procfs text (kB there), in bytes; undefined where the key is absent. */
export function kbField(text: string, key: string): number | undefined {
	const at = text.indexOf(key);
	if (at === -1) {
		return undefined;
	}

	let i = at + key.length;
	while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) {
		i++;
	}

	const value = digitsAt(text, i);
	return Number.isNaN(value) ? undefined : value * kB;
}

/** Where the last `digitsAt` stopped. */
let digitsEnd = 0;

/** The decimal number at `i` (NaN when no digit is there); `digitsEnd` is left just past it. */
function digitsAt(text: string, i: number): number {
	const start = i;
	let value = 0;
	for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
		value = (value * 10) + (c - 48);
	}

	digitsEnd = i;
	return i === start ? Number.NaN : value;
}

/** Parse the text of /proc/PID/status. */
export function parseStatus(text: string): StatusFields {
	const nameAt = text.indexOf('Name:');
	const nameEnd = text.indexOf('\n', nameAt);
	const stateAt = text.indexOf('State:');
	return {
		name: nameAt === -1 ? '' : text.slice(nameAt + 5, nameEnd === -1 ? undefined : nameEnd).trim(),
		state: stateAt === -1 ? undefined : text.slice(stateAt + 6).trimStart().charAt(0),
		rss: kbField(text, 'VmRSS:'),
		hwm: kbField(text, 'VmHWM:'),
		swap: kbField(text, 'VmSwap:'),
		anon: kbField(text, 'RssAnon:'),
		file: kbField(text, 'RssFile:'),
		shmem: kbField(text, 'RssShmem:'),
		threads: plainField(text, 'Threads:'),
	};
}

function plainField(text: string, key: string): number | undefined {
	const bytes = kbField(text, key);
	return bytes === undefined ? undefined : bytes / kB;
}

/** Parse /proc/PID/statm: the resident set in bytes (second field, in pages). */
export function parseStatm(text: string, pageSize: number): number | undefined {
	const first = text.indexOf(' ');
	if (first === -1) {
		return undefined;
	}

	const second = text.indexOf(' ', first + 1);
	const pages = Number(text.slice(first + 1, second === -1 ? undefined : second));
	return Number.isFinite(pages) ? pages * pageSize : undefined;
}

/** Fields 3…24 of the last /proc/PID/stat parsed (index = field number); reused, read at once. */
const statFields = new Float64Array(25);

/**
Parse /proc/PID/stat. The command name is in parentheses and may itself contain spaces and
parentheses, so fields are counted from the last `)`. One pass over the digits, no substrings: a
split made ~50 strings a sample, garbage the collector then had to sweep.
*/
export function parseStat(text: string): StatFields | undefined {
	const open = text.indexOf('(');
	const close = text.lastIndexOf(')');
	if (open === -1 || close === -1) {
		return undefined;
	}

	const pid = Number(text.slice(0, open));
	// After ") ": field 3 (state) is one character, then the numbers from field 4 on.
	const state = text.charAt(close + 2) || '?';
	statFields.fill(Number.NaN);
	let i = close + 3;
	for (let field = 4; field <= 24; field++) {
		if (text.charCodeAt(i) !== 32) {
			break;
		}

		i++;
		const negative = text.charCodeAt(i) === 45;
		if (negative) {
			i++;
		}

		const value = digitsAt(text, i);
		if (Number.isNaN(value)) {
			break;
		}

		i = digitsEnd;
		statFields[field] = negative ? -value : value;
	}

	const startTime = statFields[22]!;
	if (!Number.isFinite(pid) || !Number.isFinite(startTime)) {
		return undefined;
	}

	return {
		pid,
		comm: text.slice(open + 1, close),
		state,
		ppid: statFields[4]!,
		cpuTicks: statFields[14]! + statFields[15]!,
		startTime,
		rssPages: statFields[24]!,
		flags: statFields[9]!,
	};
}

/** Parse /proc/meminfo into the system panel's figures. */
export function parseMeminfo(text: string): {total: number; available: number; used: number; free: number; buffersCache: number; swapTotal: number; swapUsed: number} | undefined {
	const total = kbField(text, 'MemTotal:');
	const free = kbField(text, 'MemFree:');
	if (total === undefined || free === undefined) {
		return undefined;
	}

	const buffers = kbField(text, 'Buffers:') ?? 0;
	const cached = kbField(text, '\nCached:') ?? 0;
	const reclaimable = kbField(text, 'SReclaimable:') ?? 0;
	const available = kbField(text, 'MemAvailable:') ?? free + buffers + cached;
	const swapTotal = kbField(text, 'SwapTotal:') ?? 0;
	const swapFree = kbField(text, 'SwapFree:') ?? 0;
	return {
		total,
		available,
		used: total - available,
		free,
		buffersCache: buffers + cached + reclaimable,
		swapTotal,
		swapUsed: swapTotal - swapFree,
	};
}

const scratch = Buffer.allocUnsafe(64 * 1024);

/**
A file kept open and re-read from offset 0. `read()` returns the whole text, or throws the
system error (ESRCH once the process is gone).
*/
export class ProcFile {
	readonly path: string;
	#fd: number | undefined;

	constructor(path: string) {
		this.path = path;
		this.#fd = fs.openSync(path, 'r');
	}

	read(): string {
		if (this.#fd === undefined) {
			throw Object.assign(new Error(`${this.path} is closed`), {code: 'ESRCH'});
		}

		// One read: procfs (seq_file) fills a read as far as its text goes, so a short read is the
		// whole file (the files memmon keeps open are a few KiB), and the second read that would
		// return 0 is a system call saved per file per sample.
		const length = fs.readSync(this.#fd, scratch, 0, scratch.length, 0);
		return scratch.toString('latin1', 0, length);
	}

	/**
	Read to the end: for files the kernel hands out a page per read (task/TID/children lists
	more than ~680 PIDs only this way); each further read costs a system call.
	*/
	readAll(): string {
		if (this.#fd === undefined) {
			throw Object.assign(new Error(`${this.path} is closed`), {code: 'ESRCH'});
		}

		let text = '';
		for (let offset = 0; ;) {
			const length = fs.readSync(this.#fd, scratch, 0, scratch.length, offset);
			if (length === 0) {
				return text;
			}

			text += scratch.toString('latin1', 0, length);
			offset += length;
		}
	}

	close(): void {
		if (this.#fd !== undefined) {
			fs.closeSync(this.#fd);
			this.#fd = undefined;
		}
	}
}

/** Read a whole small file once, or `undefined` when it cannot be read. */
export function readOnce(path: string): string | undefined {
	try {
		return fs.readFileSync(path, 'latin1');
	} catch {
		return undefined;
	}
}

let cachedPageSize: number | undefined;

/**
The kernel page size, without spawning `getconf`: the first mapping of /proc/self/smaps states
it. Falls back to 4 KiB.
*/
export function pageSize(): number {
	if (cachedPageSize === undefined) {
		const smaps = readOnce('/proc/self/smaps_rollup') === undefined ? undefined : readFirstBytes('/proc/self/smaps', 4096);
		const kb = smaps === undefined ? undefined : kbField(smaps, 'KernelPageSize:');
		cachedPageSize = kb ?? 4096;
	}

	return cachedPageSize;
}

function readFirstBytes(path: string, n: number): string | undefined {
	try {
		const fd = fs.openSync(path, 'r');
		try {
			const length = fs.readSync(fd, scratch, 0, n, 0);
			return scratch.toString('latin1', 0, length);
		} finally {
			fs.closeSync(fd);
		}
	} catch {
		return undefined;
	}
}

/** True when this machine has procfs with the files memmon reads. */
export function hasProcfs(): boolean {
	procfs ??= process.platform === 'linux' && fs.existsSync('/proc/self/status');
	return procfs;
}

let procfs: boolean | undefined;

/**
The program a process runs, by name: its first argument's last path part (`node`, `python3.11`,
`npm run test:leak` as npm titles itself), from `dir`/cmdline; undefined where it has none (a
kernel thread) or cannot be read. The kernel's name (comm) is the main thread's: Node 24 and later
name theirs `MainThread` (Node 26: `node-MainThread`).
*/
export function programName(dir: string): string | undefined {
	return programOf(dir).name;
}

/**
The program's name (as programName) and its whole command line, its arguments joined by spaces,
from one read of `dir`/cmdline: a pre-fork server's workers have their master's, a program it
starts has its own.
*/
export function programOf(dir: string): {readonly name: string | undefined; readonly command: string | undefined} {
	try {
		const args = fs.readFileSync(`${dir}/cmdline`, 'utf8').replace(/\0$/, '').split('\0');
		const first = args[0] ?? '';
		return {name: first.slice(first.lastIndexOf('/') + 1).trim() || undefined, command: args.join(' ').trim() || undefined};
	} catch {
		return {name: undefined, command: undefined};
	}
}
