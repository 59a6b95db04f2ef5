/**
The analysis's cost: one full assessment (quarters, least squares, the robust pipeline,
thresholds) on 10 min, 1 h and 24 h of 1 s samples, and the store's size. Medians of repeated
evaluations on one machine. The bar: ≤ 5 ms at 24 h, memory independent of run length.
*/
import {assess} from '../source/analysis/index.js';
import {SeriesStore} from '../source/series.js';
import {buildGrid, generate} from './traces.js';

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

/** Rows of the cost table: label, samples, buckets, median ms, p95 ms. */
export function analysisCost(): Array<{label: string; samples: number; points: number; medianMs: number; p95Ms: number}> {
	const spec = buildGrid('full', 1).find(s => s.family === 'warmup+linear_2' && s.noise === 'gc_med' && s.duration === 86_400 && s.interval === 1)!;
	const {t, rss} = generate(spec);
	const rows = [];
	for (const [label, seconds] of [['10 min', 600], ['1 h', 3600], ['24 h', 86_400]] as const) {
		const store = new SeriesStore({baseWidth: 1});
		for (let i = 0; i < seconds; i++) {
			store.add({t: t[i]!, rss: rss[i]!});
		}

		const times: number[] = [];
		for (let i = 0; i < 60; i++) {
			const started = performance.now();
			assess(store);
			times.push(performance.now() - started);
		}

		const sorted = [...times].sort((a, b) => a - b);
		rows.push({label, samples: store.count, points: store.floors.isSawtooth ? store.floors.floors().length : store.buckets.length, medianMs: median(times), p95Ms: sorted[Math.floor(sorted.length * 0.95)]!});
	}

	return rows;
}

if (process.argv[1]?.endsWith('cost.js')) {
	process.stdout.write('| history (1 s samples) | samples | points analysed | median ms | p95 ms |\n|---|---|---|---|---|\n');
	for (const row of analysisCost()) {
		process.stdout.write(`| ${row.label} | ${row.samples} | ${row.points} | ${row.medianMs.toFixed(2)} | ${row.p95Ms.toFixed(2)} |\n`);
	}
}
