/**
Synthetic RSS traces with ground truth: a seeded TypeScript port of the shared trace generator
(gen_traces.py) — the same 20 families (and 5 shapes of real processes beside them), 5 noise profiles, run shapes and ground-truth rules, with
its own PRNG (so the numbers differ from numpy's, the distributions do not).

Units: 1 MB = 1 MiB. RSS is quantised to 4 KiB pages.
*/

const MB = 1_048_576;
const PAGE = 4096;

/** Noise: white sd, AR(1) wander (sd, time constant), GC sawtooth (amplitude, period); MB and s. */
export type Noise = {whiteSd: number; arSd: number; arTau: number; gcAmp: number; gcPeriod: number};

export const NOISE_PROFILES: Readonly<Record<string, Noise>> = {
	quiet: {whiteSd: 0.2, arSd: 0.5, arTau: 300, gcAmp: 0, gcPeriod: 0},
	gc_fast: {whiteSd: 0.3, arSd: 0.5, arTau: 300, gcAmp: 5, gcPeriod: 30},
	gc_med: {whiteSd: 0.5, arSd: 1, arTau: 300, gcAmp: 20, gcPeriod: 120},
	gc_slow: {whiteSd: 0.5, arSd: 1, arTau: 300, gcAmp: 50, gcPeriod: 600},
	wander: {whiteSd: 0.5, arSd: 3, arTau: 1200, gcAmp: 0, gcPeriod: 0},
};

/** (duration s, interval s). */
export const RUN_SHAPES_FULL: ReadonlyArray<readonly [number, number]> = [[600, 1], [600, 5], [3600, 1], [3600, 10], [14_400, 5], [14_400, 60], [86_400, 1], [86_400, 60], [86_400, 300]];
export const RUN_SHAPES_SMALL: ReadonlyArray<readonly [number, number]> = [[600, 1], [3600, 10], [14_400, 60], [86_400, 60]];
const LEAK_RATES = [0.5, 1, 2, 5, 10];

/** A signal shape; times as fractions of the run. */
export type Shape = {
	family: string;
	pattern: 'flat' | 'warmup' | 'linear' | 'warmup+linear' | 'step' | 'spikes' | 'late_leak' | 'ratchet' | 'warmup_slow' | 'fill' | 'doubling';
	rate: number;
	warmAmp?: number;
	warmTauFrac?: number;
	stepMb?: number;
	stepFrac?: number;
	spikeMb?: number;
	spikeEveryFrac?: number;
	spikeLenFrac?: number;
	leakStartFrac?: number;
	ratchetEveryFrac?: number;
	/** Real-process shapes, in absolute time: an exponential warm-up of this time constant (s). */
	warmTauS?: number;
	/** A linear fill to a cap (a slab cache, a keyspace) of `fillMb` reached at `fillS`. */
	fillMb?: number;
	fillS?: number;
	/** Growth in halving steps at 1, 2, 4, 8… minutes (dict and vector doublings): `stepMb` first. */
	doublingMb?: number;
};

/** A trace's full description and ground truth. */
export type TraceSpec = Shape & {
	noise: string;
	duration: number;
	interval: number;
	rep: number;
	seed: number;
	id: string;
	gtRate: number;
	gtBand: 'acceptable' | 'warning' | 'failure';
	boundary: boolean;
	gtWarmupEnd: number;
	identifiable: boolean;
};

function band(rate: number): TraceSpec['gtBand'] {
	return rate < 1 ? 'acceptable' : rate <= 5 ? 'warning' : 'failure';
}

/** The signal families: the shared generator's 20, and 5 shapes of real processes. */
export function shapes(): Shape[] {
	const out: Shape[] = [{family: 'flat', pattern: 'flat', rate: 0}];
	for (const tauFrac of [1 / 40, 1 / 10]) {
		out.push({family: `warmup_exp_tau${Math.round(1 / tauFrac)}`, pattern: 'warmup', rate: 0, warmAmp: 60, warmTauFrac: tauFrac});
	}

	for (const r of LEAK_RATES) {
		out.push({family: `linear_${r}`, pattern: 'linear', rate: r}, {family: `warmup+linear_${r}`, pattern: 'warmup+linear', rate: r, warmAmp: 60, warmTauFrac: 1 / 40});
	}

	for (const ts of [0.3, 0.6]) {
		out.push({family: `step_at${ts}`, pattern: 'step', rate: 0, stepMb: 30, stepFrac: ts});
	}

	out.push({family: 'spikes', pattern: 'spikes', rate: 0, spikeMb: 80, spikeEveryFrac: 1 / 8, spikeLenFrac: 1 / 100});
	for (const r of [2, 10]) {
		out.push({family: `late_leak_${r}`, pattern: 'late_leak', rate: r, leakStartFrac: 0.5});
	}

	for (const r of [2, 10]) {
		out.push({family: `ratchet_${r}`, pattern: 'ratchet', rate: r, ratchetEveryFrac: 1 / 8});
	}

	// What real processes do that the shapes above do not (bench/real/): warm-ups in absolute
	// time, minutes long whatever the run's length, decelerating slowly, sometimes with a leak
	// under them; a linear fill up to a cap; growth in halving steps.
	out.push({family: 'warmup_slow', pattern: 'warmup_slow', rate: 0, warmAmp: 40, warmTauS: 300});
	for (const r of [2, 10]) {
		out.push({family: `warmup_slow+linear_${r}`, pattern: 'warmup_slow', rate: r, warmAmp: 40, warmTauS: 300});
	}

	out.push({family: 'fill_to_cap', pattern: 'fill', rate: 0, fillMb: 60, fillS: 720});
	out.push({family: 'steps_doubling', pattern: 'doubling', rate: 0, doublingMb: 16});
	return out;
}

/** FNV-1a over the spec's parts: a 32-bit seed. */
function seedOf(...parts: Array<string | number>): number {
	let h = 0x81_1C_9D_C5;
	for (const char of parts.join('|')) {
		h ^= char.codePointAt(0)!;
		h = Math.imul(h, 0x01_00_01_93);
	}

	return h >>> 0;
}

/** The grid of trace specs. */
export function buildGrid(grid: 'small' | 'full', reps: number, repStart = 0): TraceSpec[] {
	const runShapes = grid === 'full' ? RUN_SHAPES_FULL : RUN_SHAPES_SMALL;
	const specs: TraceSpec[] = [];
	for (const shape of shapes()) {
		for (const noise of Object.keys(NOISE_PROFILES).sort()) {
			for (const [duration, interval] of runShapes) {
				for (let rep = repStart; rep < repStart + reps; rep++) {
					const n = NOISE_PROFILES[noise]!;
					let gtWarmupEnd = 0;
					if (shape.warmTauFrac !== undefined) {
						gtWarmupEnd = 5 * shape.warmTauFrac * duration;
					}

					if (shape.warmTauS !== undefined) {
						gtWarmupEnd = 5 * shape.warmTauS;
					}

					if (shape.pattern === 'fill') {
						gtWarmupEnd = shape.fillS!;
					}

					if (shape.pattern === 'step') {
						gtWarmupEnd = shape.stepFrac! * duration;
					}

					if (shape.pattern === 'late_leak') {
						gtWarmupEnd = shape.leakStartFrac! * duration;
					}

					const slow = Math.max(n.gcPeriod, n.arSd > 0 ? n.arTau : 0);
					specs.push({
						...shape,
						noise,
						duration,
						interval,
						rep,
						seed: seedOf(shape.family, noise, duration, interval, rep),
						id: `${shape.family}__${noise}__T${duration}_dt${interval}__r${rep}`,
						gtRate: shape.rate,
						gtBand: band(shape.rate),
						boundary: shape.rate === 1 || shape.rate === 5,
						gtWarmupEnd,
						identifiable: duration >= 4 * slow,
					});
				}
			}
		}
	}

	return specs;
}

/** xoshiro128** — small, fast, good enough for noise. */
export class Random {
	#s: Uint32Array;
	#spare: number | undefined;

	constructor(seed: number) {
		// Splitmix32 to fill the state.
		let x = seed >>> 0;
		const next = (): number => {
			x = (x + 0x9E_37_79_B9) >>> 0;
			let z = x;
			z = Math.imul(z ^ (z >>> 16), 0x85_EB_CA_6B);
			z = Math.imul(z ^ (z >>> 13), 0xC2_B2_AE_35);
			return (z ^ (z >>> 16)) >>> 0;
		};

		this.#s = Uint32Array.of(next(), next(), next(), next());
	}

	/** Uniform in [0, 1). */
	next(): number {
		const s = this.#s;
		const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
		const t = s[1]! << 9;
		s[2]! ^= s[0]!;
		s[3]! ^= s[1]!;
		s[1]! ^= s[2]!;
		s[0]! ^= s[3]!;
		s[2]! ^= t;
		s[3] = rotl(s[3]!, 11);
		return result / 4_294_967_296;
	}

	uniform(a: number, b: number): number {
		return a + ((b - a) * this.next());
	}

	/** Normal (Box–Muller). */
	normal(mean = 0, sd = 1): number {
		if (this.#spare !== undefined) {
			const value = this.#spare;
			this.#spare = undefined;
			return mean + (sd * value);
		}

		let u = 0;
		while (u === 0) {
			u = this.next();
		}

		const v = this.next();
		const r = Math.sqrt(-2 * Math.log(u));
		this.#spare = r * Math.sin(2 * Math.PI * v);
		return mean + (sd * r * Math.cos(2 * Math.PI * v));
	}
}

function rotl(x: number, k: number): number {
	return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Generate one trace: times (s) and RSS (bytes). */
export function generate(spec: TraceSpec): {t: Float64Array; rss: Float64Array} {
	const random = new Random(spec.seed);
	const {duration: total, interval: dt} = spec;
	const n = Math.ceil(total / dt);
	const t = Float64Array.from({length: n}, (_, i) => i * dt);
	const y = new Float64Array(n).fill(random.uniform(100, 500));
	const rateS = spec.rate / 3600;
	if (spec.warmAmp !== undefined) {
		const tau = spec.warmTauS ?? (spec.warmTauFrac! * total);
		for (let i = 0; i < n; i++) {
			y[i]! += spec.warmAmp * (1 - Math.exp(-t[i]! / tau));
		}
	}

	switch (spec.pattern) {
		case 'fill': {
			for (let i = 0; i < n; i++) {
				y[i]! += spec.fillMb! * Math.min(1, t[i]! / spec.fillS!);
			}

			break;
		}

		case 'doubling': {
			for (let i = 0; i < n; i++) {
				// Steps at 60·2^k s of doublingMb / 2^k: the k-th step is in once t ≥ 60·2^k.
				for (let k = 0; 60 * (2 ** k) <= t[i]!; k++) {
					y[i]! += spec.doublingMb! / (2 ** k);
				}
			}

			break;
		}

		case 'linear':
		case 'warmup_slow':
		case 'warmup+linear': {
			for (let i = 0; i < n; i++) {
				y[i]! += rateS * t[i]!;
			}

			break;
		}

		case 'late_leak': {
			const start = spec.leakStartFrac! * total;
			for (let i = 0; i < n; i++) {
				y[i]! += rateS * Math.max(0, t[i]! - start);
			}

			break;
		}

		case 'ratchet': {
			const period = spec.ratchetEveryFrac! * total;
			const first = random.uniform(0.2, 0.8) * period;
			for (let i = 0; i < n; i++) {
				if (t[i]! >= first) {
					y[i]! += spec.rate * period / 3600 * Math.floor(((t[i]! - first) / period) + 1);
				}
			}

			break;
		}

		case 'step': {
			const at = spec.stepFrac! * total;
			const ramp = Math.max(30, 0.005 * total);
			for (let i = 0; i < n; i++) {
				y[i]! += spec.stepMb! * Math.min(1, Math.max(0, (t[i]! - at) / ramp));
			}

			break;
		}

		case 'spikes': {
			const period = spec.spikeEveryFrac! * total;
			const length = Math.max(20, spec.spikeLenFrac! * total);
			for (let k = 0; k < Math.floor(total / period) + 2; k++) {
				const start = (k * period) + (random.uniform(0.1, 0.9) * period);
				if (start >= total) {
					continue;
				}

				const height = spec.spikeMb! * random.uniform(0.8, 1.2);
				for (let i = 0; i < n; i++) {
					if (t[i]! >= start && t[i]! < start + length) {
						y[i]! += height;
					}
				}
			}

			break;
		}

		default:
	}

	const noise = NOISE_PROFILES[spec.noise]!;
	if (noise.gcAmp > 0) {
		// Sawtooth: ramp 0 → h over each cycle, then drop; lengths and heights ±20%.
		let start = -random.uniform(0, noise.gcPeriod);
		let length = noise.gcPeriod * random.uniform(0.8, 1.2);
		let height = noise.gcAmp * random.uniform(0.8, 1.2);
		for (let i = 0; i < n; i++) {
			while (t[i]! >= start + length) {
				start += length;
				length = noise.gcPeriod * random.uniform(0.8, 1.2);
				height = noise.gcAmp * random.uniform(0.8, 1.2);
			}

			y[i]! += height * Math.min(1, Math.max(0, (t[i]! - start) / length));
		}
	}

	if (noise.arSd > 0) {
		const phi = Math.exp(-dt / noise.arTau);
		let level = random.normal(0, noise.arSd);
		const innovation = noise.arSd * Math.sqrt(1 - (phi * phi));
		for (let i = 0; i < n; i++) {
			if (i > 0) {
				level = (phi * level) + random.normal(0, innovation);
			}

			y[i]! += level;
		}
	}

	const rss = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		rss[i] = Math.round((y[i]! + random.normal(0, noise.whiteSd)) * MB / PAGE) * PAGE;
	}

	return {t, rss};
}
