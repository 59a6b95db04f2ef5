/**
The phases of a run: from the start, and from each mark, to the next — each with exact running
statistics (count, min, max, mean, the level it ends at, its least-squares rate).
*/
import {leastSquaresRate, RunningLine} from './analysis/least-squares.js';

/** One phase of the run: from a mark (or the start) to the next. */
export type Phase = {
	readonly label: string;
	start: number;
	end: number;
	n: number;
	min: number;
	max: number;
	sum: number;
	first: number;
	last: number;
	/** The last TAIL values, for the level the phase ends at. */
	tail: number[];
	readonly line: RunningLine;
};

/** The level a phase ends at comes from this many of its last values. */
const TAIL = 9;

/**
The level a phase ends at: the median of its last values (up to TAIL). Not their mean: a mark from
the workload's output is read a moment after the line was written (later on a loaded machine), and
the samples between are the next phase's — 48 MiB allocated right after "PHASE used" raised the
mean end of `before` so far that a cleanup check that should fail by 48 MiB read 17 MiB; and a
program freeing its memory on its way out leaves a sample or two far below the level it ended at.
*/
export function phaseEndLevel(phase: Phase): number {
	const sorted = phase.tail.toSorted((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The phase's least-squares rate in bytes per hour, or undefined with fewer than two times. */
export function phaseRate(phase: Phase): number | undefined {
	return leastSquaresRate(phase.line.sums);
}

/** The phases of one run, at most `max` (the oldest go). */
export class Phases {
	readonly #phases: Phase[] = [];
	readonly #max: number;
	#next: string | undefined = 'start';

	constructor(max: number) {
		this.#max = max;
	}

	/** The next value starts a phase named `label`. */
	mark(label: string): void {
		this.#next = label;
	}

	add(t: number, y: number): void {
		if (this.#next !== undefined) {
			this.#phases.push({label: this.#next, start: t, end: t, n: 0, min: y, max: y, sum: 0, first: y, last: y, tail: [], line: new RunningLine()});
			this.#next = undefined;
			if (this.#phases.length > this.#max) {
				this.#phases.shift();
			}
		}

		const phase = this.#phases.at(-1)!;
		phase.end = t;
		phase.n++;
		phase.min = Math.min(phase.min, y);
		phase.max = Math.max(phase.max, y);
		phase.sum += y;
		phase.last = y;
		phase.tail.push(y);
		if (phase.tail.length > TAIL) {
			phase.tail.shift();
		}

		phase.line.add(t, y);
	}

	/** Oldest first; the first is `start`. */
	get list(): readonly Phase[] {
		return this.#phases;
	}
}
