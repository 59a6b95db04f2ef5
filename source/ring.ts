/** The last points of a run, raw, in a fixed ring: the zoomed-in chart's data. */
export class RecentRing {
	readonly #t: Float64Array;
	readonly #y: Float64Array;
	#head = 0;
	#size = 0;

	constructor(capacity: number) {
		this.#t = new Float64Array(capacity);
		this.#y = new Float64Array(capacity);
	}

	push(t: number, y: number): void {
		const capacity = this.#t.length;
		this.#t[this.#head] = t;
		this.#y[this.#head] = y;
		this.#head = (this.#head + 1) % capacity;
		this.#size = Math.min(this.#size + 1, capacity);
	}

	/** The value of the point taken at exactly `t`, while the ring still holds it (times only grow). */
	at(t: number): number | undefined {
		const capacity = this.#t.length;
		const start = (this.#head - this.#size + capacity) % capacity;
		let low = 0;
		let high = this.#size;
		while (low < high) {
			const mid = (low + high) >>> 1;
			if (this.#t[(start + mid) % capacity]! < t) {
				low = mid + 1;
			} else {
				high = mid;
			}
		}

		const index = (start + low) % capacity;
		return low < this.#size && this.#t[index] === t ? this.#y[index] : undefined;
	}

	/** The last `n` points (at most the capacity; all by default), oldest first. */
	last(n = this.#size): {t: number[]; y: number[]} {
		const size = Math.min(n, this.#size);
		const capacity = this.#t.length;
		const t: number[] = Array.from({length: size});
		const y: number[] = Array.from({length: size});
		let at = (this.#head - size + capacity) % capacity;
		for (let i = 0; i < size; i++) {
			t[i] = this.#t[at]!;
			y[i] = this.#y[at]!;
			at = (at + 1) % capacity;
		}

		return {t, y};
	}
}
