/**
A spawned workload's output as memmon reads it: cut into lines (at \n, \r\n or \r — a progress bar
redraws with \r — and at MAX_LINE), the last TAIL_LINES kept for the screen, lines matching
--mark-pattern and --ops-pattern turned into marks and an operation count, and in plain mode the
raw bytes passed on, dropped past a backlog rather than buffered without bound. Where nothing needs
every line (no pattern, nothing passed on), only a chunk's last TAIL_LINES lines are cut and kept.
*/
import {sanitizeLine} from '../ui/sanitize.js';
import {count} from '../units.js';

const TAIL_LINES = 50;
/** A workload line longer than this is cut (a progress bar without newlines must not grow memmon). */
const MAX_LINE = 8192;
/** Plain mode passes the workload's output on; past this much waiting for a slow reader, it drops it (workload.log keeps it). */
const MAX_PASSTHROUGH_BACKLOG = 4 * 1024 * 1024;

/** What the output is read for. */
export type OutputOptions = {
	readonly markPattern?: RegExp | undefined;
	readonly opsPattern?: RegExp | undefined;
	/** Where to pass the raw output on (plain mode), if anywhere. */
	readonly passthrough?: NodeJS.WritableStream & {readonly writableLength: number} | undefined;
	readonly onMark: (label: string) => void;
	readonly onOperations: (count: number) => void;
};

/** The reader of one workload's output. */
export class WorkloadOutput {
	/** The last lines, sanitised for the screen. */
	readonly tail: string[] = [];
	/** Bytes not passed on because the reader was slower than the workload. */
	droppedPassthrough = 0;
	readonly #options: OutputOptions;
	#partial = '';
	/** Inside a line that was cut: its rest is skipped until the next line break. */
	#skipping = false;
	/** --mark-pattern: lines it matched. */
	#marks = 0;
	/** --ops-pattern: lines that gave a count, and the first line it matched without one. */
	#counts = 0;
	#uncounted: string | undefined;

	constructor(options: OutputOptions) {
		this.#options = options;
	}

	/** Only the last lines are kept: no pattern reads every line and nothing passes the output on. */
	get latestOnly(): boolean {
		const {markPattern, opsPattern, passthrough} = this.#options;
		return !markPattern && !opsPattern && !passthrough;
	}

	/** A chunk of output, as it arrives; `afterGap` when the output before it was passed over. */
	add(chunk: Buffer, afterGap = false): void {
		const {passthrough} = this.#options;
		if (passthrough) {
			if (passthrough.writableLength < MAX_PASSTHROUGH_BACKLOG) {
				passthrough.write(chunk);
			} else {
				this.droppedPassthrough += chunk.length;
			}
		}

		if (afterGap) {
			// The line the chunk begins in started in output not read.
			this.#partial = '';
			this.#skipping = true;
		}

		if (this.latestOnly) {
			chunk = this.#lastLines(chunk);
		}

		const parts = chunk.toString('utf8').split(/\r\n|\r|\n/);
		for (let i = 0; i < parts.length; i++) {
			const end = i < parts.length - 1;
			if (!this.#skipping) {
				this.#partial += parts[i]!;
			}

			if (end) {
				if (!this.#skipping && this.#partial) {
					this.#line(this.#partial);
				}

				this.#partial = '';
				this.#skipping = false;
			} else if (this.#partial.length > MAX_LINE) {
				this.#line(`${this.#partial.slice(0, MAX_LINE)} … [line cut at ${count(MAX_LINE, 'character')}]`);
				this.#partial = '';
				this.#skipping = true;
			}
		}

		if (this.tail.length > TAIL_LINES) {
			this.tail.splice(0, this.tail.length - TAIL_LINES);
		}
	}

	/**
	The chunk from the start of its last TAIL_LINES lines that are not empty (and the unfinished one
	after them): the lines before would leave the tail anyway. \n and \r are single bytes in UTF-8,
	never inside a character.
	*/
	#lastLines(chunk: Buffer): Buffer {
		let breaks = 0;
		for (let i = chunk.length - 1; i >= 0; i--) {
			const byte = chunk[i];
			if (byte !== 0x0A && byte !== 0x0D) {
				continue;
			}

			const end = i;
			if (byte === 0x0A && chunk[i - 1] === 0x0D) {
				i--;
			}

			// An empty line is not kept, so its break does not count.
			const previous = chunk[i - 1];
			if (i === 0 || previous === 0x0A || previous === 0x0D) {
				continue;
			}

			if (++breaks > TAIL_LINES) {
				// The line this break ends, with all before it, is not kept.
				this.#partial = '';
				this.#skipping = false;
				return chunk.subarray(end + 1);
			}
		}

		return chunk;
	}

	/** At the end: a last line without its line break goes into the tail too. */
	flush(): void {
		if (this.#partial) {
			this.tail.push(sanitizeLine(this.#partial));
			// A last count printed without a line break still counts (a mark no longer can: the run is over).
			this.#count(this.#partial);
			this.#partial = '';
		}
	}

	#line(line: string): void {
		this.tail.push(sanitizeLine(line));
		const match = this.#options.markPattern?.exec(line);
		if (match) {
			this.#marks++;
			this.#options.onMark((match[1] ?? match[0]).trim() || 'mark');
		}

		this.#count(line);
	}

	#count(line: string): void {
		const ops = this.#options.opsPattern?.exec(line);
		const value = ops ? Number((ops[1] ?? ops[0]).replaceAll(/[,_]/g, '')) : Number.NaN;
		if (Number.isFinite(value) && value >= 0) {
			this.#counts++;
			this.#options.onOperations(value);
		} else if (ops) {
			this.#uncounted ??= sanitizeLine(line).slice(0, 60);
		}
	}

	/** At the end, where --mark-pattern matched no line: said, as the phases and a cleanup check rest on it. */
	marksProblem(): string | undefined {
		const pattern = this.#options.markPattern;
		return pattern && this.#marks === 0 ? `--mark-pattern '${pattern.source}' matched no line of the workload's output (workload.log has it): no phases from it` : undefined;
	}

	/**
	At the end, where --ops-pattern never gave a count: why, in one line (no growth per 100K
	operations comes of it, and the reports would not say so).
	*/
	operationsProblem(): string | undefined {
		const pattern = this.#options.opsPattern;
		if (!pattern || this.#counts > 0) {
			return undefined;
		}

		return this.#uncounted === undefined
			? `--ops-pattern '${pattern.source}' matched no line of the workload's output (workload.log has it): no growth per 100K operations`
			: `--ops-pattern '${pattern.source}' matched "${this.#uncounted}" but read no count in it: put the count in a capture group, e.g. --ops-pattern 'done (\\d+) ops'`;
	}
}
