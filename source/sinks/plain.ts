/**
Plain mode: no Ink at all. One line per sample (or per `--print-every`) on stderr, so the
workload's own output can pass through on stdout untouched; a summary block at the end. This is
what CI logs show.
*/
import fs from 'node:fs';
import type {Snapshot} from '../snapshot.js';
import type {Growth} from '../analysis/index.js';
import {formatBytes, formatDelta, formatDuration, formatRate, formatRateRange} from '../units.js';

/** The verdict as the screen gives it: decided with its rate and bounds, or why not yet. */
export function verdictText(growth: Growth): string {
	if (growth.verdict === 'undecided') {
		return `undecided: ${growth.note ?? 'not yet known'}`;
	}

	const bounds = growth.low === undefined || growth.high === undefined ? '' : ` (95%: ${formatRateRange(growth.low, growth.high)})`;
	return `${growth.verdict.toUpperCase()} ${formatRate(growth.rate)}${bounds}`;
}

/**
The gates given, each with its status as the run would end now and its limit (`growth PASS
(≤ 50.0 MiB)`), or nothing: a CI log showed only the verdict, which decides nothing once a gate is
given. The growth itself is the line's Δ, near enough (the gate reads the end as a level).
*/
function gatesText(snapshot: Snapshot): string[] {
	return snapshot.assessment.thresholds
		.filter(gate => gate.name !== 'verdict')
		.map(gate => `${gate.name === 'baseline' ? 'cleanup' : gate.name} ${gate.status.toUpperCase()} (${gate.limit})`);
}

/** One progress line. */
export function plainLine(snapshot: Snapshot): string {
	const rss = snapshot.now?.rss;
	const delta = rss === undefined || snapshot.first === undefined ? undefined : rss - snapshot.first;
	const processes = snapshot.now?.processes.length ?? 0;
	const system = snapshot.mode === 'system';
	const machine = snapshot.system;
	// --system: the columns `free` users read — used, free, available, buffers/cache, swap — and a
	// verdict that says it judges used memory.
	return [
		`memmon ${formatDuration(snapshot.elapsedMs).padStart(8)}`,
		`${system ? 'used' : 'rss'} ${formatBytes(rss).padStart(10)}`,
		`Δ ${formatDelta(delta).padStart(11)}`,
		...system ? [
			`free ${formatBytes(machine?.free)}`,
			`available ${formatBytes(machine?.available)}`,
			`buff/cache ${formatBytes(machine?.buffersCache)}`,
			`swap ${formatBytes(machine?.swapUsed)} of ${formatBytes(machine?.swapTotal)}`,
			`used memory ${verdictText(snapshot.assessment.growth)}`,
		] : [`procs ${processes}`, ...gatesText(snapshot), verdictText(snapshot.assessment.growth)],
	].join('  ');
}

/** Writes plain lines to a stream, at most one per `everyMs` of run time. */
export class PlainSink {
	readonly #write: (text: string) => void;
	readonly #everyMs: number;
	readonly #intervalMs: number;
	#nextAt = 0;

	constructor(write: (text: string) => void, everyMs: number, intervalMs = everyMs) {
		this.#write = write;
		this.#everyMs = everyMs;
		this.#intervalMs = intervalMs;
	}

	/** A new sample arrived. */
	update(snapshot: Snapshot): void {
		// Slack for a sample a few milliseconds off its time: a tenth of the sampling interval (a
		// tenth of --print-every 5m would print at 4m 30s).
		const slack = Math.min(this.#everyMs, this.#intervalMs) / 10;
		if (snapshot.elapsedMs + slack < this.#nextAt) {
			return;
		}

		this.#nextAt = (Math.floor((snapshot.elapsedMs + slack) / this.#everyMs) + 1) * this.#everyMs;
		this.#write(`${plainLine(snapshot)}\n`);
	}

	/** A message of its own (a gap, the disk, the end). */
	note(text: string): void {
		this.#write(`memmon: ${text}\n`);
	}

	/** The summary block at the end. */
	summary(reportText: string, runDir: string): void {
		this.#write(`\n${reportText}\nReports: ${runDir}\n`);
	}
}

/**
A writer for file descriptor `fd` that makes one system call a line: a Node stream (process.stderr)
runs about a dozen JS functions a write, more than the line itself costs.
A descriptor that cannot take the line now (a non-blocking pipe that is full) or fails hands this
line and every later one to `stream`, which queues them in order and reports its own errors.
*/
export function descriptorWriter(fd: number, stream: NodeJS.WritableStream): (text: string) => void {
	let direct = true;
	return text => {
		if (direct) {
			try {
				const written = fs.writeSync(fd, text);
				if (written === Buffer.byteLength(text)) {
					return;
				}

				direct = false;
				stream.write(Buffer.from(text).subarray(written));
				return;
			} catch {
				direct = false;
			}
		}

		stream.write(text);
	};
}
