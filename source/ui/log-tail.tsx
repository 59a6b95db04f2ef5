/** The workload's last output lines (they never go onto the screen Ink draws any other way). */
import chalk from 'chalk';
import {fit, sanitizeLine} from './text.js';

/** A heading and the last `rows - 1` lines; exactly `rows` lines. */
export function logTailLines(tail: readonly string[], logFile: string, rows: number, width: number): string[] {
	if (rows <= 0) {
		return [];
	}

	const lines = [fit(chalk.dim(`Workload output (${logFile})`), width)];
	const shown = tail.slice(-(rows - 1));
	for (const line of shown) {
		lines.push(fit(`│ ${sanitizeLine(line)}`, width));
	}

	while (lines.length < rows) {
		lines.push(fit(lines.length === 1 && shown.length === 0 ? '│ (no output yet)' : '', width));
	}

	return lines;
}
