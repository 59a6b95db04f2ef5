/** The largest processes of the tree (or, with `--system`, of the machine). */
import type {ProcessMemory} from '../sampler/types.js';
import {formatBytes, formatDelta} from '../units.js';
import {fit} from './text.js';

/**
A heading and up to `rows - 1` processes, largest first; exactly `rows` lines. With `first` (each
process's level a second after it started, by PID), a Δ column: which process grows, as the
reports' "RSS by process" say it at the end.
*/
export function processLines(processes: readonly ProcessMemory[], rows: number, width: number, title = 'Processes', first?: ReadonlyMap<number, number>): string[] {
	if (rows <= 0) {
		return [];
	}

	const listed = processes.slice(0, rows - 1);
	const delta = first !== undefined && listed.some(p => first.has(p.pid));
	// Headings right-aligned over the numbers below them.
	const lines = [fit(`${`${title} (${processes.length})`.padEnd(19)}${'PID'.padStart(7)} ${'RSS'.padStart(10)}${delta ? ` ${'Δ'.padStart(11)}` : ''} ${'CPU'.padStart(7)}`, width)];
	for (const p of listed) {
		const cpu = p.cpu === undefined ? '—' : `${p.cpu.toFixed(1)}%`;
		const level = first?.get(p.pid);
		const change = delta ? ` ${(level === undefined ? '—' : formatDelta(p.rss - level)).padStart(11)}` : '';
		lines.push(fit(`  ${p.name.slice(0, 16).padEnd(16)} ${String(p.pid).padStart(7)} ${formatBytes(p.rss).padStart(10)}${change} ${cpu.padStart(7)}`, width));
	}

	while (lines.length < rows) {
		lines.push(fit('', width));
	}

	return lines;
}
