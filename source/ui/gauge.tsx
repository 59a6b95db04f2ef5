/**
The growth gauge: a bar over the bands (acceptable · warning · failure) with the rate as a dot
and its bounds as brackets when the method has them, then the rate, the verdict and the note.

  Growth  ───────────────[──●──]────────────────────────  +3.20 MiB/h  WARNING
*/
import chalk from 'chalk';
import type {Assessment, Verdict} from '../analysis/index.js';
import {formatDuration, formatRate, formatRateRange} from '../units.js';
import {fit, fitParts} from './text.js';

const verdictColor: Record<Verdict, (text: string) => string> = {
	acceptable: chalk.green,
	warning: chalk.yellow,
	failure: chalk.red,
	leak: chalk.red,
	undecided: chalk.gray,
};

/** Where a rate sits on a bar of `width` cells: thirds for [0, b1], [b1, b5], [b5, 5·b5]. */
export function gaugePosition(rate: number, bands: readonly [number, number], width: number): number {
	const third = width / 3;
	let x: number;
	if (rate <= 0) {
		x = 0;
	} else if (rate < bands[0]) {
		x = rate / bands[0] * third;
	} else if (rate < bands[1]) {
		x = third + ((rate - bands[0]) / (bands[1] - bands[0]) * third);
	} else {
		x = (2 * third) + (Math.min(1, (rate - bands[1]) / (4 * bands[1])) * third);
	}

	return Math.min(width - 1, Math.max(0, Math.floor(x)));
}

/**
The first line, kept: it changes only with the robust verdict (every 5 s or more) or the width, not
with each frame (60 styled cells a frame made most of the gauge's cost).
*/
let lastFirst: {growth: Assessment['growth']; bands: Assessment['bands']; width: number; line: string} | undefined;

/** Two lines of `width`: the bar with rate and verdict, then the bounds and pattern (undecided: why, first). */
export function gaugeLines(assessment: Assessment, width: number): [string, string] {
	const {growth, bands, quarters} = assessment;
	let first = lastFirst?.line;
	const last = lastFirst?.growth;
	if (!last || lastFirst!.width !== width || lastFirst!.bands !== bands || last.verdict !== growth.verdict || last.rate !== growth.rate || last.low !== growth.low || last.high !== growth.high || last.note !== growth.note || last.needMore !== growth.needMore) {
		first = fit(firstLine(growth, bands, width), width);
		lastFirst = {growth, bands, width, line: first};
	}

	// Undecided: why, first (what to wait for); the window's bounds follow as a reading so far.
	// Each part whole, shorter, or not at all (fitParts): cut at the width, the line ended "+141 MiB…"
	// at 120 columns.
	const undecided = growth.verdict === 'undecided';
	const range = growth.low === undefined || growth.high === undefined ? undefined : formatRateRange(growth.low, growth.high);
	const parts: string[][] = [
		undecided ? [growth.note ?? ''] : [],
		range ? [`95%${undecided ? ' so far' : ''}: ${range}`, `95%: ${range.replaceAll(' … ', '…')}`] : undecided ? [] : [growth.method],
		undecided ? [] : [growth.pattern ?? ''],
		growth.warmupEnd ? [`warm-up ${formatDuration(growth.warmupEnd * 1000)}${growth.warmupOpen ? ' so far' : ''}`] : [],
		quarters ? [`quarters ${formatRate(quarters.ratePerHour)}`] : [],
		[`bands ${formatRate(bands[0]).replace(/^\+| MiB\/h$/g, '')} · ${formatRate(bands[1]).replace('+', '')}`],
	].map(variants => variants.filter(Boolean));
	return [first!, fitParts('        ', parts, ' · ', width)];
}

const statusColor = {pass: chalk.green, fail: chalk.red, undecided: chalk.gray} as const;

/**
The gates given (`--max-growth`, `--max-rate`, `--baseline-tolerance`) as the run would end now,
in one line, or undefined when none is: the gauge's verdict decides the exit code only without
them, and a run watched before it goes into CI showed no sign of the gate that would fail it.

  Gates   growth PASS 42.1 MiB since start-up ended at 2.3s (≤ 50.0 MiB) · rate UNDECIDED …
*/
export function gatesLine(assessment: Assessment, width: number): string | undefined {
	const gates = assessment.thresholds.filter(threshold => threshold.name !== 'verdict');
	if (gates.length === 0) {
		return undefined;
	}

	// The rate and its bounds are the gauge's, just above: the rate gate says only how it stands.
	const parts = gates.map(gate => `${gate.name === 'baseline' ? 'cleanup' : gate.name} ${statusColor[gate.status](gate.status.toUpperCase())}${gate.name === 'rate' ? '' : ` ${gate.value}`} (${gate.limit})`);
	return fit(`Gates   ${parts.join(' · ')}`, width);
}

/** Undecided: the bar, the rate and the word in one neutral colour, the rate marked as the reading so far ("now"), not a finding. */
function firstLine(growth: Assessment['growth'], bands: Assessment['bands'], width: number): string {
	const undecided = growth.verdict === 'undecided';
	const rateText = undecided && growth.rate !== undefined ? `now ${formatRate(growth.rate)}` : formatRate(growth.rate);
	const verdictText = growth.verdict.toUpperCase();
	const tail = `  ${rateText}  ${verdictText}`;
	const barWidth = Math.max(9, Math.min(60, width - 8 - tail.length));
	const cells = [...'─'.repeat(barWidth)].map((cell, i) => {
		const zone = undecided ? chalk.gray : i < barWidth / 3 ? chalk.green : i < (2 * barWidth) / 3 ? chalk.yellow : chalk.red;
		return {char: cell, color: zone};
	});
	if (growth.low !== undefined && Number.isFinite(growth.low)) {
		cells[gaugePosition(growth.low, bands, barWidth)]!.char = '[';
	}

	if (growth.high !== undefined && Number.isFinite(growth.high)) {
		cells[gaugePosition(growth.high, bands, barWidth)]!.char = ']';
	}

	if (growth.rate !== undefined) {
		const at = gaugePosition(growth.rate, bands, barWidth);
		cells[at] = {char: '●', color: undecided ? chalk.gray : chalk.bold};
	}

	const bar = cells.map(cell => cell.color(cell.char)).join('');
	return `Growth  ${bar}  ${undecided ? chalk.gray(rateText) : rateText}  ${verdictColor[growth.verdict](verdictText)}`;
}
