/** The largest processes of the tree (or, with `--system`, of the machine). */
import type {ProcessMemory} from '../sampler/types.js';
import {formatBytes} from '../units.js';
import {fit} from './text.js';

/** A heading and up to `rows - 1` processes, largest first; exactly `rows` lines. */
export function processLines(processes: readonly ProcessMemory[], rows: number, width: number, title = 'Processes'): string[] {
	if (rows <= 0) {
		return [];
	}

	// Headings right-aligned over the numbers below them.
	const lines = [fit(`${`${title} (${processes.length})`.padEnd(19)}${'PID'.padStart(7)} ${'RSS'.padStart(10)} ${'CPU'.padStart(7)}`, width)];
	for (const p of processes.slice(0, rows - 1)) {
		const cpu = p.cpu === undefined ? '—' : `${p.cpu.toFixed(1)}%`;
		lines.push(fit(`  ${p.name.slice(0, 16).padEnd(16)} ${String(p.pid).padStart(7)} ${formatBytes(p.rss).padStart(10)} ${cpu.padStart(7)}`, width));
	}

	while (lines.length < rows) {
		lines.push(fit('', width));
	}

	return lines;
}
