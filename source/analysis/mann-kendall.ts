/**
The Mann–Kendall trend test: S = #(rising pairs) − #(falling pairs), with the variance of S
corrected for ties (Python's allocator and page rounding make long runs of equal values) and
inflated for autocorrelation, which would otherwise make slow wander look like a trend.
*/
import {scratch, scratchCopy} from './scratch.js';

/** S and its tie-corrected variance under "no trend". */
export function mannKendall(y: ArrayLike<number>): {s: number; variance: number} {
	const m = y.length;
	let s = 0;
	for (let i = 0; i < m; i++) {
		const yi = y[i]!;
		for (let j = i + 1; j < m; j++) {
			const d = y[j]! - yi;
			s += d > 0 ? 1 : d < 0 ? -1 : 0;
		}
	}

	return {s, variance: tieVariance(y).variance};
}

/** The variance of S under "no trend", corrected for ties: (m(m−1)(2m+5) − Σ t(t−1)(2t+5)) / 18. */
export function tieVariance(y: ArrayLike<number>): {variance: number} {
	const m = y.length;
	const sorted = scratchCopy('mk.sorted', y).sort();
	let ties = 0;
	for (let i = 0; i < m;) {
		let j = i + 1;
		while (j < m && sorted[j] === sorted[i]) {
			j++;
		}

		const tp = j - i;
		ties += tp * (tp - 1) * ((2 * tp) + 5);
		i = j;
	}

	return {variance: ((m * (m - 1) * ((2 * m) + 5)) - ties) / 18};
}

/**
How much autocorrelation inflates Var(S), from the residuals around a slope: the AR(1) factor
(1 + ρ)/(1 − ρ) with a small-sample bias correction, or — when larger — the Bartlett-kernel
long-run variance ratio over lags up to m/4, which catches slow wander hidden under white noise.
At least 1.
*/
export function varianceInflation(t: ArrayLike<number>, y: ArrayLike<number>, slope: number): number {
	const m = t.length;
	if (m < 3) {
		return 1;
	}

	const e = scratch('mk.e', m).fill(0);
	let mean = 0;
	for (let i = 0; i < m; i++) {
		e[i] = y[i]! - (slope * t[i]!);
		mean += e[i]!;
	}

	mean /= m;
	let den = 0;
	for (let i = 0; i < m; i++) {
		e[i]! -= mean;
		den += e[i]! * e[i]!;
	}

	if (den <= 0) {
		return 1;
	}

	const lag = (k: number): number => {
		let sum = 0;
		for (let i = 0; i + k < m; i++) {
			sum += e[i]! * e[i + k]!;
		}

		return sum / den;
	};

	let rho = lag(1);
	rho = Math.min(Math.max(rho + ((1 + (3 * rho)) / m), 0), 0.995);
	let eta = (1 + rho) / (1 - rho);
	const window = Math.floor(m / 4);
	if (window >= 2) {
		let longRun = 1;
		for (let k = 1; k <= window; k++) {
			longRun += 2 * (1 - (k / (window + 1))) * lag(k);
		}

		eta = Math.max(eta, longRun);
	}

	return Math.max(1, eta);
}

/** The two-sided p-value of S under a variance, with the continuity correction. */
export function mannKendallP(s: number, variance: number): number {
	if (variance <= 0) {
		return 1;
	}

	const z = (s - Math.sign(s)) / Math.sqrt(variance);
	return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** The complementary error function (Numerical Recipes' erfcc, relative error < 1.2e-7). */
export function erfc(x: number): number {
	const z = Math.abs(x);
	const t = 1 / (1 + (0.5 * z));
	const coefficients = [0.170_872_77, -0.822_152_23, 1.488_515_87, -1.135_203_98, 0.278_868_07, -0.186_288_06, 0.096_784_18, 0.374_091_96, 1.000_023_68, -1.265_512_23];
	let poly = 0;
	for (const c of coefficients) {
		poly = (poly * t) + c;
	}

	const r = t * Math.exp((-z * z) + poly);
	return x >= 0 ? r : 2 - r;
}
