/**
Where the warm-up ends: MSER with a straight line instead of a constant. For each candidate cut d
the rest of the series is fitted with a line; the cut that minimises SSE/((n − 2)·n) wins — the
fit improves when the transient is dropped, but every dropped point costs. Candidates are limited
to the first half (a cut there means "not stabilised yet"). O(m) with suffix sums.
*/
import {scratch} from './scratch.js';

/**
RSS's own grain, bytes: levels move by pages, and allocators take and give back a few at a time.
Each point adds the grain's square to a fit's sum of squares, so a curve within a few pages is
not worth the points a later cut drops: it is not a warm-up. Without it, a Python sqlite cache that crept 32 KiB from minute 4 to
minute 16 and was flat to the byte after had its warm-up put at 5.5 minutes until minute 23, then
at half the run ("not stabilised?") to its end — cutting more of that creep always fitted better;
a PHP cache creeping 70 KiB over half an hour the same from minute 13. With it both stay at
3–5 minutes. The bounds take in the same eight pages (verdict.ts, LEVEL_RESOLUTION); on MiB-scale
warm-ups and on the generated grid it changes nothing.
*/
const GRAIN = 32 * 1024;

/** The warm-up cut (index into the points) and whether it hit the cap (m/2). */
export function mserLinear(t: ArrayLike<number>, y: ArrayLike<number>, minKeep = 12, grid = 32): {cut: number; capped: boolean} {
	const m = t.length;
	if (m < minKeep + 4) {
		return {cut: 0, capped: false};
	}

	const t0 = t[0]!;
	const span = (t[m - 1]! - t0) + 1e-12;
	// Suffix sums of 1, x, y, x², xy, y² (x = normalised time).
	const n = scratch('warmup.n', m).fill(0);
	const sx = scratch('warmup.sx', m).fill(0);
	const sy = scratch('warmup.sy', m).fill(0);
	const sxx = scratch('warmup.sxx', m).fill(0);
	const sxy = scratch('warmup.sxy', m).fill(0);
	const syy = scratch('warmup.syy', m).fill(0);
	// Deviations from the last level, not the first: the first sample (start-up) can sit far from the
	// rest, and the sums of squares of large offsets cancel badly — on a series exactly flat after
	// its start-up every later cut's SSE is 0, and rounding then picked among them at random.
	const y0 = y[m - 1]!;
	let a = 0;
	let b = 0;
	let c = 0;
	let d = 0;
	let e = 0;
	let f = 0;
	for (let i = m - 1; i >= 0; i--) {
		const x = (t[i]! - t0) / span;
		const v = y[i]! - y0;
		a += 1;
		b += x;
		c += v;
		d += x * x;
		e += x * v;
		f += v * v;
		n[i] = a;
		sx[i] = b;
		sy[i] = c;
		sxx[i] = d;
		sxy[i] = e;
		syy[i] = f;
	}

	const dmax = Math.min(Math.floor(0.5 * m), m - minKeep);
	const steps = Math.min(grid / 2, dmax);
	const candidates = new Set<number>();
	for (let k = 0; k <= steps; k++) {
		candidates.add(steps === 0 ? 0 : Math.trunc(k * dmax / steps));
	}

	let best = 0;
	let bestCrit = Number.POSITIVE_INFINITY;
	let last = 0;
	for (const cut of candidates) {
		last = cut;
		const count = n[cut]!;
		const vx = sxx[cut]! - (sx[cut]! * sx[cut]! / count);
		const vxy = sxy[cut]! - (sx[cut]! * sy[cut]! / count);
		const vy = syy[cut]! - (sy[cut]! * sy[cut]! / count);
		const sse = Math.max(0, vy - (vx > 0 ? vxy * vxy / vx : 0)) + (count * GRAIN * GRAIN);
		const crit = sse / ((count - 2) * count);
		if (crit < bestCrit) {
			bestCrit = crit;
			best = cut;
		}
	}

	return {cut: best, capped: best === last && dmax > 0};
}
