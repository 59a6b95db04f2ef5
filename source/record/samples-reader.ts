/**
Reading samples files: memmon's samples.csv, or any CSV whose header names a time column in
seconds and an RSS column in bytes (`t_seconds,rss_bytes`). A last line without its newline (cut
by a kill -9 mid-write) is dropped with a note; up to 1% of unreadable lines are skipped with a
warning; anything else is an error naming the file and line.
*/
import fs from 'node:fs';
import type {Point, SeriesStore} from '../series.js';

/** A file that could not be analysed. */
export class AnalyzeError extends Error {
	override readonly name = 'AnalyzeError';
}

/** Samples read from a CSV. */
export type ParsedSamples = {
	readonly t: number[];
	readonly rss: number[];
	readonly hwm: Array<number | undefined>;
	/** PSS and swap (`pss_bytes`, `swap_bytes`/`swap_used_bytes`), where recorded. */
	readonly pss: Array<number | undefined>;
	readonly swap: Array<number | undefined>;
	/** Threads and open descriptors (`threads`, `fds`), where recorded. */
	readonly threads: Array<number | undefined>;
	readonly fds: Array<number | undefined>;
	/** RSS by kind (`anon_bytes`, `file_bytes`, `shmem_bytes`), where recorded. */
	readonly anon: Array<number | undefined>;
	readonly file: Array<number | undefined>;
	readonly shmem: Array<number | undefined>;
	/** The RSS of the programs started since the sample before (`started_rss_bytes`), where recorded. */
	readonly started: Array<number | undefined>;
	/** The mark column, where there is one. */
	readonly marks: Array<string | undefined>;
	/** Set when the last line was incomplete and was dropped. */
	readonly truncated: boolean;
};

const timeColumns = ['t_seconds', 'elapsed_seconds', 'time_seconds', 't', 'seconds', 'elapsed'];
const rssColumns = ['rss_bytes', 'rss', 'memory_bytes', 'bytes', 'used_bytes'];

/** One sample read from a CSV line. */
export type Sample = {t: number; rss: number; hwm: number | undefined; pss: number | undefined; swap: number | undefined; threads: number | undefined; fds: number | undefined; anon: number | undefined; file: number | undefined; shmem: number | undefined; started: number | undefined; mark: string | undefined};

/** Reads the lines of one CSV, header first: each data line into a sample, or an AnalyzeError naming the line. */
class SampleLines {
	readonly #file: string;
	#header: string[] | undefined;
	#columns = {t: -1, rss: -1, hwm: -1, pss: -1, swap: -1, threads: -1, fds: -1, anon: -1, file: -1, shmem: -1, started: -1, mark: -1};
	#line = 0;
	#last = Number.NEGATIVE_INFINITY;
	#samples = 0;
	/** Lines that could not be read, and the first of them (its error). */
	#skipped = 0;
	#firstProblem: AnalyzeError | undefined;

	constructor(file: string) {
		this.#file = file;
	}

	/** Unreadable lines skipped so far, and where the first was. */
	get skipped(): {count: number; firstLine: number | undefined} {
		return {count: this.#skipped, firstLine: this.#firstProblem ? Number(/:(\d+):/.exec(this.#firstProblem.message)?.[1]) : undefined};
	}

	/**
	At the end: a line cut in the middle of a long file (an interrupted write, files joined) is
	skipped; unreadable lines over 1% of the lines are not a samples file with a flaw but a wrong
	file, and the first of them is the error.
	*/
	check(): void {
		if (this.#firstProblem && this.#skipped > 0.01 * (this.#samples + this.#skipped)) {
			throw this.#firstProblem;
		}
	}

	/** The next line: a sample, or undefined for the header and blank lines. */
	read(line: string): Sample | undefined {
		this.#line++;
		if (!this.#header) {
			const header = line.trim().toLowerCase().split(',').map(name => name.trim().replaceAll('"', ''));
			const t = header.findIndex(name => timeColumns.includes(name));
			const rss = header.findIndex(name => rssColumns.includes(name));
			if (t === -1 || rss === -1) {
				throw new AnalyzeError(`${this.#file}:1: the header must name a time column in seconds and a memory column in bytes (e.g. t_seconds,rss_bytes); found ${JSON.stringify(line.slice(0, 200))}`);
			}

			this.#header = header;
			this.#columns = {t, rss, hwm: header.indexOf('hwm_bytes'), pss: header.indexOf('pss_bytes'), swap: header.findIndex(name => name === 'swap_bytes' || name === 'swap_used_bytes'), threads: header.indexOf('threads'), fds: header.indexOf('fds'), anon: header.indexOf('anon_bytes'), file: header.indexOf('file_bytes'), shmem: header.indexOf('shmem_bytes'), started: header.indexOf('started_rss_bytes'), mark: header.indexOf('mark')};
			return undefined;
		}

		if (line.trim() === '') {
			return undefined;
		}

		const columns = this.#columns;
		const cells = line.split(',');
		const time = Number(cells[columns.t]);
		const value = cells[columns.rss] === undefined || cells[columns.rss] === '' ? Number.NaN : Number(cells[columns.rss]);
		if (!Number.isFinite(time) || !Number.isFinite(value) || value < 0 || cells.length < this.#header.length || time < this.#last) {
			this.#skipped++;
			this.#firstProblem ??= new AnalyzeError(`${this.#file}:${this.#line}: cannot read a sample from ${JSON.stringify(line.slice(0, 80))}: expected numbers in the ${this.#header[columns.t]} and ${this.#header[columns.rss]} columns (memory not negative), in time order`);
			return undefined;
		}

		this.#last = time;
		this.#samples++;
		const optional = (column: number): number | undefined => {
			const number = column === -1 || cells[column] === '' ? undefined : Number(cells[column]);
			return Number.isFinite(number) ? number : undefined;
		};

		// The mark is the last column, and may be quoted (with commas inside).
		const mark = columns.mark === -1 ? '' : cells.slice(columns.mark).join(',');
		return {t: time, rss: value, hwm: optional(columns.hwm), pss: optional(columns.pss), swap: optional(columns.swap), threads: optional(columns.threads), fds: optional(columns.fds), anon: optional(columns.anon), file: optional(columns.file), shmem: optional(columns.shmem), started: optional(columns.started), mark: mark === '' ? undefined : mark.replace(/^"(.*)"$/, '$1').replaceAll('""', '"')};
	}

	get sawHeader(): boolean {
		return this.#header !== undefined;
	}
}

/** Sample `i` as the store takes it. */
export function pointAt(samples: ParsedSamples, i: number): Point {
	return {t: samples.t[i]!, rss: samples.rss[i]!, hwm: samples.hwm[i], pss: samples.pss[i], swap: samples.swap[i], threads: samples.threads[i], fds: samples.fds[i], anon: samples.anon[i], file: samples.file[i], shmem: samples.shmem[i], started: samples.started[i]};
}

/** Replay samples into a store, marks with them: a resumed run and `memmon analyze` both start so. */
export function replay(store: SeriesStore, samples: ParsedSamples): void {
	for (let i = 0; i < samples.t.length; i++) {
		const mark = samples.marks[i];
		if (mark !== undefined) {
			store.mark({t: samples.t[i]!, label: mark});
		}

		store.add(pointAt(samples, i));
	}
}

/** Parse CSV text; throws an AnalyzeError naming the line. */
export function parseSamples(text: string, file: string): ParsedSamples {
	const lines = text.split('\n');
	// Every line memmon (and any CSV writer) writes ends with a newline: a last line without one
	// was cut by an interrupted write, and may parse into a wrong number. It is dropped.
	const truncated = !text.endsWith('\n') && lines.length > 1 && (lines.at(-1) ?? '') !== '';
	if (truncated || lines.at(-1) === '') {
		lines.pop();
	}

	const reader = new SampleLines(file);
	const samples: ParsedSamples = {t: [], rss: [], hwm: [], pss: [], swap: [], threads: [], fds: [], anon: [], file: [], shmem: [], started: [], marks: [], truncated};
	for (const line of lines.length === 0 ? [''] : lines) {
		const sample = reader.read(line);
		if (sample) {
			samples.t.push(sample.t);
			samples.rss.push(sample.rss);
			samples.hwm.push(sample.hwm);
			samples.pss.push(sample.pss);
			samples.swap.push(sample.swap);
			samples.threads.push(sample.threads);
			samples.fds.push(sample.fds);
			samples.anon.push(sample.anon);
			samples.file.push(sample.file);
			samples.shmem.push(sample.shmem);
			samples.started.push(sample.started);
			samples.marks.push(sample.mark);
		}
	}

	reader.check();
	return samples;
}

/**
Read a samples file in chunks, one sample at a time: a 30-day trace at 1 s is 2.6M lines, and the
store it feeds is bounded, so memory does not grow with the file. A last line without its newline
is dropped. Returns how many samples there were and whether the last line was cut.
*/
export function streamSamples(file: string, onSample: (sample: Sample) => void): {count: number; truncated: boolean; skipped: {count: number; firstLine: number | undefined}} {
	const fd = fs.openSync(file, 'r');
	try {
		const reader = new SampleLines(file);
		const chunk = Buffer.allocUnsafe(1024 * 1024);
		let carry = '';
		let count = 0;
		for (;;) {
			const length = fs.readSync(fd, chunk, 0, chunk.length, null);
			if (length === 0) {
				break;
			}

			const text = carry + chunk.toString('utf8', 0, length);
			let start = 0;
			for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
				const sample = reader.read(text.slice(start, end));
				start = end + 1;
				if (sample) {
					onSample(sample);
					count++;
				}
			}

			carry = text.slice(start);
		}

		if (!reader.sawHeader) {
			reader.read(carry);
		}

		reader.check();
		return {count, truncated: carry !== '' && reader.sawHeader, skipped: reader.skipped};
	} finally {
		fs.closeSync(fd);
	}
}
