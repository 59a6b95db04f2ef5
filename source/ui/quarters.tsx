/** The memory-test plan's four quarter averages, each with its Δ from the first. */
import type {QuarterSummary} from '../analysis/quarters.js';
import type {KindGrowth} from '../series.js';
import {formatBytes, formatDelta, MIB} from '../units.js';
import {fitParts} from './text.js';

/**
The kinds of memory that grew from the first quarter to the last, largest first: at most two, each
at least 1 MiB and a tenth of the largest (`grew: anon +18.0 MiB, [heap] +16.0 MiB`); empty when
none did. From the first quarter, as the quarters' Δ: the start-up's loading is not growth. The
root's malloc heap (`heap`, from its smaps reads since 10 s in) is part of anon, and named when it
is among the two.
*/
export function kindsText(growth: KindGrowth | undefined, heap?: number): string {
	return kindsVariants(growth, heap)[0] ?? '';
}

/** kindsText, then with only the largest kind: the line's end, shorter where the screen is narrow. */
function kindsVariants(growth: KindGrowth | undefined, heap?: number): string[] {
	if (!growth) {
		return [];
	}

	const grown = [...(Object.entries(growth) as Array<[keyof KindGrowth, number]>), ...heap === undefined ? [] : [['[heap]', heap] as const]]
		.map(([name, delta]) => ({name, delta}))
		.filter(kind => kind.delta >= MIB)
		.sort((a, b) => b.delta - a.delta);
	const shown = grown.filter(kind => kind.delta >= 0.1 * grown[0]!.delta).slice(0, 2).map(kind => `${kind.name} ${formatDelta(kind.delta)}`);
	return shown.length === 0 ? [] : [`grew: ${shown.join(', ')}`, ...shown.length > 1 ? [`grew: ${shown[0]!}`] : []];
}

/** One line of `width`: the quarters, and which kind of memory grew (whole, or left out: fitParts). */
export function quarterLine(quarters: QuarterSummary | undefined, width: number, growth?: KindGrowth, heap?: number): string {
	const grew = kindsVariants(growth, heap);
	if (!quarters) {
		return fitParts('', ['Quarters  need 4 samples', grew], '  ·  ', width);
	}

	const [q1, q2, q3, q4] = quarters.averages;
	// A quarter with no samples (a gap longer than a quarter) says so: its figure is read across the gap.
	const gap = (q: number): string => quarters.gaps?.includes(q) ? ' (gap)' : '';
	const text = `Quarters  Q1 ${formatBytes(q1)} │ Q2 ${formatDelta(q2 - q1)}${gap(1)} │ Q3 ${formatDelta(q3 - q1)}${gap(2)} │ Q4 ${formatDelta(q4 - q1)}`;
	return fitParts('', [text, grew], '  ·  ', width);
}
