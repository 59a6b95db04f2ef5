/**
One level shift or a line? The best split into two constant levels is compared with a straight
line: a one-off step (a cache filling once) is explained far better by the split, a leak by the
line.
*/

/** SSE of the best two-level split over SSE of the line, and where the split is (points before it). */
export function stepVsLine(t: ArrayLike<number>, y: ArrayLike<number>): {ratio: number; split: number | undefined} {
	const m = y.length;
	if (m < 12) {
		return {ratio: 1, split: undefined};
	}

	let st = 0;
	let sy = 0;
	for (let i = 0; i < m; i++) {
		st += t[i]!;
		sy += y[i]!;
	}

	const tm = st / m;
	const ym = sy / m;
	let sxx = 0;
	let sxy = 0;
	let syy = 0;
	for (let i = 0; i < m; i++) {
		const dt = t[i]! - tm;
		const dy = y[i]! - ym;
		sxx += dt * dt;
		sxy += dt * dy;
		syy += dy * dy;
	}

	const lineSse = syy - (sxx > 0 ? sxy * sxy / sxx : 0);
	// Two means, split after k points, with prefix sums of deviations from the overall mean.
	let c1 = 0;
	let c2 = 0;
	const from = Math.max(2, Math.floor(m / 20));
	let best = Number.POSITIVE_INFINITY;
	let split: number | undefined;
	for (let k = 1; k < m; k++) {
		const v = y[k - 1]! - ym;
		c1 += v;
		c2 += v * v;
		if (k - 1 < from || k - 1 >= m - from) {
			continue;
		}

		const left = c2 - (c1 * c1 / k);
		const rightSum = -c1;
		const rightSq = syy - c2;
		const right = rightSq - (rightSum * rightSum / (m - k));
		const sse = left + right;
		if (sse < best) {
			best = sse;
			split = k;
		}
	}

	return {ratio: lineSse > 0 ? best / lineSse : 1, split};
}
