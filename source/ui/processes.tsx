/** The largest processes of the tree. */
import type {ProcessMemory} from '../sampler/types.js';
import {formatBytes} from '../units.js';
import {fit} from './text.js';

/** A heading and up to `rows - 1` processes, largest first; exactly `rows` lines. */
export function processLines(processes: readonly ProcessMemory[], rows: number, width: number): string[] {
	if (rows <= 0) {
		return [];
	}

	const lines = [fit(`Processes (${processes.length})     PID        RSS     CPU`, width)];
	for (const p of processes.slice(0, rows - 1)) {
		const cpu = p.cpu === undefined ? '—' : `${p.cpu.toFixed(1)}%`;
		lines.push(fit(`  ${p.name.slice(0, 16).padEnd(16)} ${String(p.pid).padStart(7)} ${formatBytes(p.rss).padStart(10)} ${cpu.padStart(7)}`, width));
	}

	while (lines.length < rows) {
		lines.push(fit('', width));
	}

	return lines;
}
