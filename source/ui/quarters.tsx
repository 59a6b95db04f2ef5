/** The memory-test plan's four quarter averages, each with its Δ from the first. */
import type {QuarterSummary} from '../analysis/quarters.js';
import {formatBytes, formatDelta} from '../units.js';
import {fit} from './text.js';

/** One line of `width`. */
export function quarterLine(quarters: QuarterSummary | undefined, width: number): string {
	if (!quarters) {
		return fit('Quarters  need 4 samples', width);
	}

	const [q1, q2, q3, q4] = quarters.averages;
	const text = `Quarters  Q1 ${formatBytes(q1)} │ Q2 ${formatDelta(q2 - q1)} │ Q3 ${formatDelta(q3 - q1)} │ Q4 ${formatDelta(q4 - q1)}`;
	return fit(text, width);
}
