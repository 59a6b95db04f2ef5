/** The run fitted to the chart's columns: what the live chart draws, from the store. */
import type {Mark, SeriesStore} from '../series.js';

/** What the chart draws: one value per column (`undefined` where no sample fell). */
export type ChartWindow = {
	readonly values: ReadonlyArray<number | undefined>;
	/** Elapsed seconds at the left and right edges. */
	readonly from: number;
	readonly to: number;
	/** Columns that carry a mark, with its label and the symbol drawn on the axis. */
	readonly marks: ReadonlyArray<{readonly column: number; readonly label: string; readonly symbol?: string | undefined}>;
};

/** A mark that is not the user's: the warm-up end, a step. */
export type ExtraMark = Mark & {readonly symbol: string};

/** How much of the run the chart shows. */
export type Zoom = 'all' | 'recent';

/**
Fit the run (or the recent raw points) into `columns` values. While there are fewer samples than
columns the chart grows from the left, one column per sample; after that each column is the
mean of what falls into it.
*/
export function chartWindow(store: SeriesStore, columns: number, zoom: Zoom, extra: readonly ExtraMark[] = []): ChartWindow {
	const first = store.first;
	const last = store.last;
	if (!first || !last || columns <= 0) {
		return {values: [], from: 0, to: 0, marks: []};
	}

	if (zoom === 'recent' || store.count <= columns) {
		const {t, y} = store.recent(columns);
		const from = t[0] ?? first.t;
		const to = t.at(-1) ?? last.t;
		return {values: y, from, to, marks: marksIn([...store.marks, ...extra], t)};
	}

	const from = first.t;
	const to = last.t;
	const span = Math.max(to - from, Number.EPSILON);
	// Plain arrays: a frame's temporaries stay in the JS heap, where the young generation frees them
	// (a Float64Array's numbers would be malloc'd and wait for a major GC; analysis/scratch.ts).
	const sums: number[] = Array.from({length: columns}, () => 0);
	const counts: number[] = Array.from({length: columns}, () => 0);
	const buckets = store.buckets;
	for (let i = 0; i < buckets.length; i++) {
		const bucket = buckets[i]!;
		const centre = bucket.sumT / bucket.n;
		const column = Math.min(columns - 1, Math.floor(((centre - from) / span) * columns));
		sums[column]! += bucket.sum;
		counts[column]! += bucket.n;
	}

	const values: Array<number | undefined> = [];
	for (let i = 0; i < columns; i++) {
		values.push(counts[i]! > 0 ? sums[i]! / counts[i]! : undefined);
	}

	// A column with no bucket (buckets are wider than columns) takes its left neighbour's value.
	for (let i = 1; i < columns; i++) {
		if (values[i] === undefined && values[i - 1] !== undefined) {
			values[i] = values[i - 1];
		}
	}

	const marks = [...store.marks, ...extra]
		.filter(mark => mark.t >= from && mark.t <= to)
		.map(mark => ({column: Math.min(columns - 1, Math.floor(((mark.t - from) / span) * columns)), label: mark.label, symbol: mark.symbol}));
	return {values, from, to, marks};
}

function marksIn(marks: readonly Mark[], times: readonly number[]): Array<{column: number; label: string; symbol?: string | undefined}> {
	const result: Array<{column: number; label: string; symbol?: string | undefined}> = [];
	if (times.length === 0) {
		return result;
	}

	for (const mark of marks) {
		if (mark.t < times[0]! || mark.t > times.at(-1)!) {
			continue;
		}

		let column = times.findIndex(t => t >= mark.t);
		if (column === -1) {
			column = times.length - 1;
		}

		result.push({column, label: mark.label, symbol: mark.symbol});
	}

	return result;
}
