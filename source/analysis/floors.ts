/**
GC sawtooth, online. A garbage-collected heap climbs and drops; its trend is the trend of the
floors (the heap after each collection, HPjmeter's idea), not of every sample. A drop bigger
than max(6·MAD(Δy), 1 MiB) closes a cycle; the cycle's floor is its minimum. Floors are used only
when drops clearly outnumber big rises — a sawtooth, not batch spikes. A run of big steps the
same way (a ramp over a few samples) counts as one event.

Bounded: the MAD comes from a ring of the last 1024 steps, re-estimated every 128 samples; when
more than 512 floors are kept, neighbours merge in pairs into their mean, weighted by how many
cycles each holds. (A min() of merged floors sank the older, more merged ones below the newer:
a flat sawtooth over 24 h read as growth.)
*/
import {MIB} from '../units.js';

const RING = 1024;
const REESTIMATE_EVERY = 128;
const MIN_SAMPLES = 32;

/** A floor: the minimum of one GC cycle, at the time of the drop that began it (or the mean of `cycles` merged ones). */
export type Floor = {t: number; value: number; cycles?: number};

/** The streaming floor tracker. */
export class FloorTracker {
	readonly maxFloors: number;
	readonly #ring = new Float64Array(RING);
	#ringSize = 0;
	#ringHead = 0;
	#threshold = Number.POSITIVE_INFINITY;
	#samples = 0;
	#previous: number | undefined;
	#floors: Floor[] = [];
	#open: Floor | undefined;
	#drops = 0;
	#rises = 0;
	/** Direction of the previous big step: consecutive big steps the same way are one event (a ramp). */
	#lastBig: -1 | 0 | 1 = 0;
	#firstDrop: number | undefined;
	#lastDrop: number | undefined;

	constructor(maxFloors = 512) {
		this.maxFloors = maxFloors;
	}

	/** Feed one sample. */
	add(t: number, y: number): void {
		const previous = this.#previous;
		this.#previous = y;
		this.#samples++;
		if (previous === undefined) {
			return;
		}

		const d = y - previous;
		this.#ring[this.#ringHead] = d;
		this.#ringHead = (this.#ringHead + 1) % RING;
		this.#ringSize = Math.min(this.#ringSize + 1, RING);
		if (this.#samples === MIN_SAMPLES || (this.#samples > MIN_SAMPLES && this.#samples % REESTIMATE_EVERY === 0)) {
			this.#threshold = this.#estimateThreshold();
		}

		if (d < -this.#threshold) {
			if (this.#lastBig !== -1) {
				this.#drops++;
				this.#firstDrop ??= t;
				this.#lastDrop = t;
				if (this.#open) {
					this.#push(this.#open);
				}

				this.#open = {t, value: y};
			} else if (this.#open && y < this.#open.value) {
				this.#open.value = y;
			}

			this.#lastBig = -1;
		} else {
			if (d > this.#threshold) {
				if (this.#lastBig !== 1) {
					this.#rises++;
				}

				this.#lastBig = 1;
			} else {
				this.#lastBig = 0;
			}

			if (this.#open && y < this.#open.value) {
				this.#open.value = y;
			}
		}
	}

	#estimateThreshold(): number {
		const values = this.#ring.slice(0, this.#ringSize).sort();
		const median = values[values.length >> 1]!;
		for (let i = 0; i < values.length; i++) {
			values[i] = Math.abs(values[i]! - median);
		}

		values.sort();
		const mad = values[values.length >> 1]! * 1.4826;
		return Math.max(6 * mad, MIB);
	}

	#push(floor: Floor): void {
		this.#floors.push(floor);
		if (this.#floors.length > this.maxFloors) {
			const merged: Floor[] = [];
			const even = this.#floors.length - (this.#floors.length % 2);
			for (let i = 0; i < even; i += 2) {
				const a = this.#floors[i]!;
				const b = this.#floors[i + 1]!;
				const na = a.cycles ?? 1;
				const nb = b.cycles ?? 1;
				const n = na + nb;
				merged.push({t: ((a.t * na) + (b.t * nb)) / n, value: ((a.value * na) + (b.value * nb)) / n, cycles: n});
			}

			if (even < this.#floors.length) {
				merged.push(this.#floors.at(-1)!);
			}

			this.#floors = merged;
		}
	}

	/** True when the series is a sawtooth: at least four drops, and big rises at most half as many. */
	get isSawtooth(): boolean {
		return this.#samples >= MIN_SAMPLES && this.#drops >= 4 && this.#rises <= 0.5 * this.#drops;
	}

	/** Mean cycle length in seconds, when there are two drops or more. */
	get period(): number | undefined {
		return this.#drops >= 2 ? (this.#lastDrop! - this.#firstDrop!) / (this.#drops - 1) : undefined;
	}

	get drops(): number {
		return this.#drops;
	}

	/** The floors, the open cycle's running minimum last. */
	floors(): Floor[] {
		return this.#open ? [...this.#floors, {...this.#open}] : [...this.#floors];
	}
}
