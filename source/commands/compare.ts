/**
`memmon compare RUN_A RUN_B … [--json]`: the same workload on different implementations (the
plan's "Rust vs Python"). Initial footprint, memory under load (the mean after the warm-up), peak,
growth and rate with bounds, each with its difference from the first run in percent, and a verdict
line. Growth rates are called different only when their 95% intervals do not overlap. Runs of
different length are compared, but the output says so first.
*/
import fs from 'node:fs';
import path from 'node:path';
import {analyzePath} from './analyze.js';
import {UsageError} from '../options.js';
import type {AnalysisConfig} from '../analysis/index.js';
import {formatBytes, formatDelta, formatDuration, formatRate, formatRateRange} from '../units.js';
import {fit} from '../ui/text.js';

/** The figures compared for one run. */
export type CompareRow = {
	readonly label: string;
	readonly dir: string;
	readonly durationSeconds: number;
	readonly initial: number | undefined;
	readonly underLoad: number | undefined;
	readonly peak: number | undefined;
	readonly growth: number | undefined;
	readonly rate: number | undefined;
	readonly low: number | undefined;
	readonly high: number | undefined;
	readonly verdict: string;
};

/** Read a run folder (or samples.csv) into the compared figures. */
export function compareRow(input: string, config: AnalysisConfig): CompareRow {
	const dir = fs.existsSync(input) && fs.statSync(input).isDirectory() ? input : path.dirname(input);
	if (!fs.existsSync(path.join(dir, 'samples.csv'))) {
		throw new UsageError(`${input} is not a memmon run folder (no samples.csv): give the folders of the runs to compare`);
	}

	// Recomputed from the samples (never writes: the folders are only read).
	const {report} = analyzePath(path.join(dir, 'samples.csv'), config, {write: false});
	const {memory, assessment} = report;
	const q = assessment.quarters;
	const warmupEnd = assessment.growth.warmupEnd ?? 0;
	// Under load: the mean of the quarters that lie after the warm-up (all four without one).
	const span = report.elapsedSeconds;
	const after = q ? q.averages.filter((_, i) => q.centres[i]! >= warmupEnd || warmupEnd >= span) : [];
	const underLoad = after.length > 0 ? after.reduce((sum, value) => sum + value, 0) / after.length : undefined;
	return {
		label: report.facts.label,
		dir,
		durationSeconds: report.elapsedSeconds,
		initial: memory.initial,
		underLoad,
		peak: Math.max(memory.peakHwm ?? 0, memory.peakSampled ?? 0) || undefined,
		growth: assessment.totalGrowth,
		rate: assessment.growth.rate,
		low: assessment.growth.low,
		high: assessment.growth.high,
		verdict: assessment.growth.verdict,
	};
}

function percent(value: number | undefined, base: number | undefined): string {
	if (value === undefined || base === undefined || base === 0) {
		return '';
	}

	const change = (value - base) / Math.abs(base) * 100;
	return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(0)}%`;
}

/** Sentences a person reads first: lengths, peak, growth. */
export function compareVerdict(rows: readonly CompareRow[]): string[] {
	const [a, ...others] = rows;
	if (!a) {
		return [];
	}

	const lines: string[] = [];
	const lengths = rows.map(row => row.durationSeconds);
	if (Math.max(...lengths) > 1.1 * Math.min(...lengths)) {
		lines.push(`Note: the runs differ in length (${rows.map(row => `${row.label} ${formatDuration(row.durationSeconds * 1000)}`).join(', ')}): growth and peak are not like for like.`);
	}

	for (const b of others) {
		if (a.peak !== undefined && b.peak !== undefined) {
			const change = (b.peak - a.peak) / a.peak * 100;
			const underLoad = a.underLoad !== undefined && b.underLoad !== undefined ? ` (${percent(b.underLoad, a.underLoad)} under load)` : '';
			lines.push(Math.abs(change) < 0.5
				? `${b.label} and ${a.label} peak at the same memory (within 1%)${underLoad}.`
				: `${b.label} uses ${Math.abs(change).toFixed(0)}% ${change < 0 ? 'less' : 'more'} memory at peak than ${a.label}${underLoad}.`);
		}

		if ([a.low, a.high, b.low, b.high].every(value => value !== undefined && Number.isFinite(value))) {
			const apart = b.low! > a.high! || b.high! < a.low!;
			lines.push(apart
				? `Growth rates differ: ${b.label} ${formatRate(b.rate)} vs ${a.label} ${formatRate(a.rate)} (95% intervals do not overlap).`
				: `Growth rates are indistinguishable (${a.label} ${formatRate(a.rate)}, ${b.label} ${formatRate(b.rate)}; 95% intervals overlap).`);
		} else {
			lines.push(`Growth rates cannot be compared yet: ${[a, b].filter(row => row.low === undefined).map(row => row.label).join(' and ')} has no bounds (run longer).`);
		}
	}

	return lines;
}

/** The table and the verdict lines. */
export function renderCompare(rows: readonly CompareRow[]): string {
	const base = rows[0];
	const columns: Array<[string, number, (row: CompareRow) => string]> = [
		['run', 18, row => row.label],
		['duration', 8, row => formatDuration(row.durationSeconds * 1000)],
		['initial', 16, row => `${formatBytes(row.initial)} ${percent(row.initial, base?.initial)}`],
		['under load', 16, row => `${formatBytes(row.underLoad)} ${percent(row.underLoad, base?.underLoad)}`],
		['peak', 16, row => `${formatBytes(row.peak)} ${percent(row.peak, base?.peak)}`],
		['growth', 16, row => `${formatDelta(row.growth)} ${percent(row.growth, base?.growth)}`],
		['rate (95% bounds)', 32, row => row.rate === undefined ? '—' : `${formatRate(row.rate)}${row.low === undefined || row.high === undefined ? '' : ` (${formatRateRange(row.low, row.high)})`}`],
		['verdict', 10, row => row.verdict],
	];
	const line = (cells: string[]): string => cells.map((cell, i) => fit(cell, columns[i]![1])).join('  ').trimEnd();
	return [
		line(columns.map(([name]) => name)),
		// The first run is the baseline: no percentages on its own row.
		...rows.map((row, i) => line(columns.map(([, , value]) => i === 0 ? value(row).replace(/ [+−]\d+%$/, '') : value(row)))),
		'',
		...compareVerdict(rows),
	].join('\n') + '\n';
}
