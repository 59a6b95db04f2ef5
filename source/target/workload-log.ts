/**
workload.log read as the workload writes it: the workload writes the file itself (nothing passes
through a pipe memmon holds), and memmon reads what it adds, bounded in size.
*/
import fs from 'node:fs';

/** How often the log is read for new output. */
const READ_EVERY_MS = 100;
/** At most this much of the log is read per turn of the event loop, so a sample is never held up. */
const READ_CHUNK = 256 * 1024;

/** What the reader does with the output, and where it empties the log. */
export type LogOptions = {
	/** The log is emptied (with a note in it) when it passes this size. */
	readonly maxLogBytes: number;
	/**
	Only the newest output matters (no pattern reads every line, nothing passes it on): where the
	workload writes faster than memmon reads, memmon reads the file's last chunk, not its backlog.
	*/
	readonly latestOnly?: boolean | undefined;
	/** Each chunk of output as read; `afterGap` when output before it was passed over. */
	onOutput(chunk: Buffer, afterGap: boolean): void;
};

/** Reads the log as the workload writes it: every READ_EVERY_MS, at most READ_CHUNK per turn (at once again while behind, unless only the newest output matters). */
export class LogReader {
	problem: string | undefined;
	readonly #readFd: number;
	readonly #writeFd: number;
	readonly #options: LogOptions;
	readonly #buffer = Buffer.allocUnsafe(READ_CHUNK);
	#offset = 0;
	#timer: NodeJS.Timeout | undefined;
	#done = false;

	constructor(readFd: number, writeFd: number, options: LogOptions, offset: number) {
		this.#readFd = readFd;
		this.#writeFd = writeFd;
		this.#options = options;
		this.#offset = offset;
		this.#schedule(READ_EVERY_MS);
	}

	/** Read what the workload has written since the last read (one chunk at most), now. */
	readNow(): void {
		if (!this.#done) {
			this.#readSome();
		}
	}

	/** Read what is left and close the files. */
	finish(): void {
		if (this.#done) {
			return;
		}

		this.#done = true;
		clearTimeout(this.#timer);
		while (this.#readSome()) {
			// Until the end of the file (where only the newest output matters, its last chunk is read at once).
		}

		fs.closeSync(this.#readFd);
		fs.closeSync(this.#writeFd);
	}

	#schedule(ms: number): void {
		if (this.#done) {
			return;
		}

		this.#timer = setTimeout(() => {
			// More to read: again at the next turn, after whatever else is due (a sample).
			this.#schedule(this.#readSome() ? 0 : READ_EVERY_MS);
		}, ms);
		this.#timer.unref();
	}

	/** Read one chunk; true when there may be more. */
	#readSome(): boolean {
		try {
			const size = fs.fstatSync(this.#readFd).size;
			if (size < this.#offset) {
				// Emptied by someone else: start again from its start.
				this.#offset = 0;
			}

			if (size > this.#options.maxLogBytes) {
				fs.ftruncateSync(this.#writeFd, 0);
				const cap = `${Math.round(this.#options.maxLogBytes / 1024 / 1024)} MiB`;
				fs.writeSync(this.#writeFd, `[memmon: workload.log passed ${cap} and was emptied; earlier output is gone]\n`);
				this.problem = `workload.log passed ${cap} and was emptied; the output before that is gone`;
				this.#offset = 0;
				return true;
			}

			// A chatty workload (`yes`, a debug log) would otherwise keep memmon reading and cutting
			// lines nobody sees at a core's worth of CPU.
			const afterGap = this.#options.latestOnly === true && size - this.#offset > READ_CHUNK;
			if (afterGap) {
				this.#offset = size - READ_CHUNK;
			}

			const read = fs.readSync(this.#readFd, this.#buffer, 0, READ_CHUNK, this.#offset);
			if (read === 0) {
				return false;
			}

			this.#offset += read;
			this.#options.onOutput(this.#buffer.subarray(0, read), afterGap);
			// Only the newest output mattering, what comes next waits for the next turn: a workload
			// that writes without end is read 256 KiB every READ_EVERY_MS, not without a pause.
			return read === READ_CHUNK && this.#options.latestOnly !== true;
		} catch (error) {
			this.problem ??= `workload.log could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); output after that was not seen`;
			return false;
		}
	}
}
