/**
Ordinary least squares over every sample: what `mprof plot --slope` reports. Shown beside the
quarter rate for comparison with the tools users know; it is not a verdict (it calls warm-ups,
one-off steps and GC spikes leaks).
*/

/** Running sums for a least-squares line, kept relative to the first point for precision. */
export type LineSums = {
	readonly n: number;
	readonly t0: number;
	readonly y0: number;
	readonly st: number;
	readonly sy: number;
	readonly stt: number;
	readonly sty: number;
};

/**
The slope of the least-squares line in bytes per hour, from running sums; `undefined` with fewer
than two distinct times.

@example leastSquaresRate({n: 3, t0: 0, y0: 0, st: 3, sy: 6, stt: 5, sty: 10}) // 7200
*/
export function leastSquaresRate(sums: LineSums): number | undefined {
	const {n, st, sy, stt, sty} = sums;
	if (n < 2) {
		return undefined;
	}

	const sxx = stt - (st * st / n);
	if (sxx <= 1e-12) {
		return undefined;
	}

	return (sty - (st * sy / n)) / sxx * 3600;
}

/** Running least-squares sums over points added one at a time, relative to the first. */
export class RunningLine {
	#n = 0;
	#t0 = 0;
	#y0 = 0;
	#st = 0;
	#sy = 0;
	#stt = 0;
	#sty = 0;

	add(t: number, y: number): void {
		if (this.#n === 0) {
			this.#t0 = t;
			this.#y0 = y;
		}

		const dt = t - this.#t0;
		const dy = y - this.#y0;
		this.#n++;
		this.#st += dt;
		this.#sy += dy;
		this.#stt += dt * dt;
		this.#sty += dt * dy;
	}

	get sums(): LineSums {
		return {n: this.#n, t0: this.#t0, y0: this.#y0, st: this.#st, sy: this.#sy, stt: this.#stt, sty: this.#sty};
	}
}
