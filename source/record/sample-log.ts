/**
samples.csv: one line appended per sample, straight to the kernel (no buffering in memmon), and
fsynced at least every minute and at the end. A kill -9 of memmon loses at most the sample in
flight, and `memmon analyze` rebuilds every report from this file alone.

When a write fails (a full disk, a folder gone) the lines wait in a bounded buffer and go out
with the next write that succeeds; sampling never stops for the disk.
*/
import fs from 'node:fs';
import path from 'node:path';
import {makeDirectory} from '../files.js';
import type {SystemMemory, TreeReading} from '../sampler/types.js';

/** The header line; `t_seconds` and `rss_bytes` are what `memmon analyze` needs. */
export const SAMPLE_HEADER = 't_seconds,time,rss_bytes,pss_bytes,uss_bytes,swap_bytes,hwm_bytes,cpu_percent,processes,started_rss_bytes,threads,fds,anon_bytes,file_bytes,shmem_bytes,mark';

/**
The headers of older runs, newest first: a resumed run goes on in its own columns. Before
started_rss_bytes; before threads, fds and RSS by kind.
*/
const OLDER_HEADERS = [
	't_seconds,time,rss_bytes,pss_bytes,uss_bytes,swap_bytes,hwm_bytes,cpu_percent,processes,threads,fds,anon_bytes,file_bytes,shmem_bytes,mark',
	't_seconds,time,rss_bytes,pss_bytes,uss_bytes,swap_bytes,hwm_bytes,cpu_percent,processes,mark',
] as const;

/** Which columns a row is written in: the current header's, or an older run's (`--resume`). */
export type SampleColumns = 'current' | 'no-started' | 'legacy';

const COLUMNS_OF: readonly SampleColumns[] = ['no-started', 'legacy'];

/**
One buffer for every write: a new Buffer per row would come from Node's 8 KiB pool, whose spent
slabs (ArrayBuffers, malloc'd outside the JS heap) wait for a major GC — over a long run that
garbage raised memmon's own RSS by megabytes before V8 collected it.
*/
let scratch = Buffer.allocUnsafe(64 * 1024);

/** `text` as UTF-8 in the shared scratch buffer (a view valid until the next call). */
function encode(text: string): Buffer {
	const needed = Buffer.byteLength(text);
	if (needed > scratch.length) {
		scratch = Buffer.allocUnsafe(needed);
	}

	return scratch.subarray(0, scratch.write(text));
}

/** The header of a `--system` run: the machine's memory; `used_bytes` is the analysed series. */
export const SYSTEM_HEADER = 't_seconds,time,used_bytes,available_bytes,total_bytes,free_bytes,buffers_cache_bytes,swap_used_bytes,swap_total_bytes,mark';

/** What a run records: a process tree, or the whole machine (`--system`). */
export type SampleKind = 'process' | 'system';

/** One row of samples.csv; absent fields stay empty, never 0. */
export type SampleRow = {
	readonly t: number;
	readonly wallMs: number;
	readonly rss: number;
	readonly pss?: number | undefined;
	readonly uss?: number | undefined;
	readonly swap?: number | undefined;
	readonly hwm?: number | undefined;
	readonly cpu?: number | undefined;
	readonly processes: number;
	/** The RSS of the programs that started in the tree since the previous sample (new processes, and execs), bytes. */
	readonly started?: number | undefined;
	readonly threads?: number | undefined;
	readonly fds?: number | undefined;
	readonly anon?: number | undefined;
	readonly file?: number | undefined;
	readonly shmem?: number | undefined;
	readonly mark?: string | undefined;
	/** The machine's memory, written instead of the process columns in a `--system` run. */
	readonly system?: SystemMemory | undefined;
};

/** The row of one reading taken `t` seconds into the run; `started`: the RSS of the programs new since the one before. */
export function rowOf(reading: TreeReading, t: number, wallMs: number, mark: string | undefined, started?: number): SampleRow {
	const {rss, pss, uss, swap, hwm, cpu, threads, fds, anon, file, shmem, system} = reading;
	return {t, wallMs, rss, pss, uss, swap, hwm, cpu, processes: reading.processes.length, started, threads, fds, anon, file, shmem, mark, system};
}

function cell(value: number | undefined, digits = 0): string {
	return value === undefined || !Number.isFinite(value) ? '' : value.toFixed(digits);
}

function quote(text: string): string {
	return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""').replaceAll(/[\r\n]+/g, ' ')}"` : text;
}

/** Format one CSV line (with its newline), in the current columns or an older run's. */
export function formatRow(row: SampleRow, kind: SampleKind = 'process', columns: SampleColumns = 'current'): string {
	const start = `${row.t.toFixed(3)},${new Date(row.wallMs).toISOString()},${cell(row.rss)}`;
	const mark = row.mark === undefined ? '' : quote(row.mark);
	if (kind === 'system') {
		const s = row.system;
		return `${start},${cell(s?.available)},${cell(s?.total)},${cell(s?.free)},${cell(s?.buffersCache)},${cell(s?.swapUsed)},${cell(s?.swapTotal)},${mark}\n`;
	}

	const started = columns === 'current' ? `${cell(row.started)},` : '';
	const counts = columns === 'legacy' ? '' : `${cell(row.threads)},${cell(row.fds)},${cell(row.anon)},${cell(row.file)},${cell(row.shmem)},`;
	return `${start},${cell(row.pss)},${cell(row.uss)},${cell(row.swap)},${cell(row.hwm)},${cell(row.cpu, 1)},${row.processes},${started}${counts}${mark}\n`;
}

/** The first line of a file (its header), read from its first KiB. */
function firstLine(file: string): string {
	const fd = fs.openSync(file, 'r');
	try {
		const buffer = Buffer.alloc(1024);
		const text = buffer.toString('utf8', 0, fs.readSync(fd, buffer, 0, buffer.length, 0));
		return text.split('\n')[0]!.trim();
	} finally {
		fs.closeSync(fd);
	}
}

/** The append-only sample log of one run. */
export class SampleLog {
	readonly file: string;
	readonly maxPending: number;
	readonly kind: SampleKind;
	readonly #header: string;
	readonly #columns: SampleColumns;
	#fd: number | undefined;
	#pending: string[] = [];
	#dropped = 0;
	#lastSync: number;
	#error: string | undefined;
	#written = 0;
	#recreated = 0;
	readonly #onRecreated: (() => void) | undefined;

	/** `onRecreated`: called after the file (or its folder) was deleted under memmon and made again. */
	constructor(file: string, nowMs: number, maxPending = 100_000, kind: SampleKind = 'process', onRecreated?: () => void) {
		this.file = file;
		this.#onRecreated = onRecreated;
		this.maxPending = maxPending;
		this.kind = kind;
		this.#lastSync = nowMs;
		const isNew = !fs.existsSync(file) || fs.statSync(file).size === 0;
		const older = kind === 'process' && !isNew ? OLDER_HEADERS.indexOf(firstLine(file) as typeof OLDER_HEADERS[number]) : -1;
		this.#columns = older === -1 ? 'current' : COLUMNS_OF[older]!;
		this.#header = kind === 'system' ? SYSTEM_HEADER : older === -1 ? SAMPLE_HEADER : OLDER_HEADERS[older]!;
		this.#fd = fs.openSync(file, 'a+');
		if (isNew) {
			fs.writeSync(this.#fd, `${this.#header}\n`);
		}
	}

	/** The last write error, while writes are failing. */
	get error(): string | undefined {
		return this.#error;
	}

	/** Lines waiting for the disk. */
	get pending(): number {
		return this.#pending.length;
	}

	/** Lines lost because the buffer was full. */
	get dropped(): number {
		return this.#dropped;
	}

	/** Rows written so far. */
	get written(): number {
		return this.#written;
	}

	/** How often the file was found deleted and made again, with every row it had. */
	get recreated(): number {
		return this.#recreated;
	}

	/** Append a row; fsync when a minute has passed since the last one. */
	append(row: SampleRow, nowMs: number): void {
		this.#recreateIfDeleted();
		this.#pending.push(formatRow(row, this.kind, this.#columns));
		if (this.#pending.length > this.maxPending) {
			this.#pending.shift();
			this.#dropped++;
		}

		this.flush();
		if (nowMs - this.#lastSync >= 60_000) {
			this.sync(nowMs);
		}
	}

	/** Try to write what is waiting. */
	flush(): void {
		if (this.#pending.length === 0) {
			return;
		}

		let offset = 0;
		let text = this.#pending.join('');
		let buffer: Buffer | undefined;
		try {
			if (this.#fd === undefined) {
				// Reopening (after a failure): a file that is gone or empty starts with its header again.
				const fresh = !fs.existsSync(this.file) || fs.statSync(this.file).size === 0;
				this.#fd = fs.openSync(this.file, 'a+');
				if (fresh) {
					text = `${this.#header}\n${text}`;
				}
			}

			buffer = encode(text);
			while (offset < buffer.length) {
				offset += fs.writeSync(this.#fd, buffer, offset);
			}

			this.#written += this.#pending.length;
			this.#pending = [];
			this.#error = undefined;
		} catch (error) {
			// Keep exactly what did not reach the file: a line cut by a full disk is finished later.
			if (offset > 0 && buffer) {
				this.#pending = [buffer.subarray(offset).toString()];
			}

			this.#error = (error as NodeJS.ErrnoException).code ?? String(error);
			this.#closeQuietly();
		}
	}

	/** Push what was written to the disk. */
	sync(nowMs: number): void {
		this.#lastSync = nowMs;
		if (this.#fd === undefined) {
			return;
		}

		try {
			fs.fsyncSync(this.#fd);
		} catch (error) {
			this.#error = (error as NodeJS.ErrnoException).code ?? String(error);
		}
	}

	/** Flush, fsync and close. */
	close(nowMs: number): void {
		this.flush();
		this.sync(nowMs);
		this.#closeQuietly();
	}

	/**
	A file deleted while open keeps its data until closed: when the log (or its run folder) is
	removed mid-run, its whole content is read back through the open descriptor into a new file at
	the same path, and writing goes on there. Nothing recorded is lost.
	*/
	#recreateIfDeleted(): void {
		if (this.#fd === undefined) {
			return;
		}

		try {
			const stat = fs.fstatSync(this.#fd);
			if (stat.nlink > 0) {
				return;
			}

			const content = Buffer.alloc(stat.size);
			let read = 0;
			while (read < stat.size) {
				const n = fs.readSync(this.#fd, content, read, stat.size - read, read);
				if (n === 0) {
					break;
				}

				read += n;
			}

			makeDirectory(path.dirname(this.file));
			const fd = fs.openSync(this.file, 'a+');
			let written = 0;
			while (written < read) {
				written += fs.writeSync(fd, content, written, read - written);
			}

			this.#closeQuietly();
			this.#fd = fd;
			this.#recreated++;
			this.#onRecreated?.();
		} catch (error) {
			this.#error = (error as NodeJS.ErrnoException).code ?? String(error);
		}
	}

	#closeQuietly(): void {
		if (this.#fd !== undefined) {
			try {
				fs.closeSync(this.#fd);
			} catch {}

			this.#fd = undefined;
		}
	}
}
