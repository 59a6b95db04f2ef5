/**
`memmon compare RUN_A RUN_B … [--json | --markdown]`: the same workload on different
implementations (the plan's "Rust vs Python"), the first run the baseline. A row per figure —
initial footprint (once start-up is done), under load (after the warm-up), peak, growth, growth per
100K operations, the rate with its bounds — each run a column with its difference from the first in
percent, and a conclusion per row. Growth rates are called different only when their 95% intervals
do not overlap. Runs of different length are compared, but the output says so first.
*/
import fs from 'node:fs';
import path from 'node:path';
import {analyzePath} from './analyze.js';
import {UsageError} from '../errors.js';
import type {AnalysisConfig, GrowthSince, WorkEnd} from '../analysis/index.js';
import {formatBytes, formatDelta, formatDuration, formatRate, formatRateRange} from '../units.js';
import {fit} from '../ui/text.js';

/** What "initial" and "under load" mean, said under every comparison. */
export const DEFINITIONS = [
	'initial: the median RSS over 2–10% of the run after its start-up',
	'under load: the mean RSS after any warm-up, until the workload ended',
	'growth: to the end, from where a warm-up levelled off, else after start-up',
];

/** The figures compared for one run. */
export type CompareRow = {
	readonly label: string;
	readonly dir: string;
	readonly durationSeconds: number;
	readonly initial: number | undefined;
	readonly underLoad: number | undefined;
	readonly peak: number | undefined;
	readonly growth: number | undefined;
	/** Where the growth counts from: the warm-up's end (elapsed seconds), or 0 for the first sample. */
	readonly growthFrom: number | undefined;
	readonly growthSince: GrowthSince | undefined;
	/** Where the growth counts to, when the workload ended before the run did (analysis/exit.ts). */
	readonly growthUntil: WorkEnd | undefined;
	/** Operations the run did (--ops or --ops-pattern), and growth per 100,000 of them. */
	readonly operations: number | undefined;
	readonly growthPer100kOps: number | undefined;
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
	const levels = levelsOf(path.join(dir, 'samples.csv'));
	const {memory, assessment} = report;
	const q = assessment.quarters;
	// Where the workload ended before the run did, the run was under load until then: a warm-up cut
	// past that end is none of the workload's, and the idle tree after it is not its load (a test that
	// kept 60 MiB, then the shell's `sleep`, read "under load 3.3 MiB").
	// (A run folder's times are elapsed seconds from its first sample, as the quarters' centres are.)
	const until = assessment.growthUntil?.t;
	const span = until ?? report.elapsedSeconds;
	const warmupEnd = Math.min(assessment.growth.warmupEnd ?? 0, span);
	// Under load: the mean of the quarters that lie after the warm-up (all four without one); where the
	// workload ended first, the time-weighted mean of the samples from the warm-up's end to its end.
	const after = q ? q.averages.filter((_, i) => q.centres[i]! >= warmupEnd || warmupEnd >= span) : [];
	const underLoad = until === undefined ? (after.length > 0 ? after.reduce((sum, value) => sum + value, 0) / after.length : undefined) : meanLevel(levels, warmupEnd >= span ? 0 : warmupEnd, until);
	const operations = report.facts.operations;
	return {
		label: report.facts.label,
		dir,
		durationSeconds: report.elapsedSeconds,
		initial: initialLevel(levels, memory.initialAt ?? 0) ?? memory.initial,
		underLoad,
		peak: Math.max(memory.peakHwm ?? 0, memory.peakSampled ?? 0) || undefined,
		growth: assessment.totalGrowth,
		growthFrom: assessment.growthFrom,
		growthSince: assessment.growthSince,
		growthUntil: assessment.growthUntil,
		operations,
		growthPer100kOps: report.perOperations?.bytes,
		rate: assessment.growth.rate,
		low: assessment.growth.low,
		high: assessment.growth.high,
		verdict: assessment.growth.verdict,
	};
}

/**
The rows with labels that tell them apart. Runs of one program share its label (two runs of
`python3 ops.py` are both "ops"), and "ops uses 81% less memory at peak than ops" says nothing: a
label that repeats becomes its run folder's name (label and start time), and one still repeated
gets its place among the runs ("#2").
*/
export function distinctLabels(rows: readonly CompareRow[]): CompareRow[] {
	const repeated = (label: string, among: readonly CompareRow[]): boolean => among.filter(row => row.label === label).length > 1;
	const byFolder = rows.map(row => repeated(row.label, rows) ? {...row, label: path.basename(realFolder(row.dir))} : row);
	return byFolder.map((row, i) => repeated(row.label, byFolder) ? {...row, label: `${row.label} #${i + 1}`} : row);
}

/** A run folder's own path: `memmon-reports/latest` is a link to the newest run's folder. */
function realFolder(dir: string): string {
	try {
		return fs.realpathSync(dir);
	} catch {
		return path.resolve(dir);
	}
}

/**
The initial level: the median RSS from 2% to 10% of the way through the run after its start-up
(which ended `loadedAt` seconds in: a started command's runtime loaded, or a build step before it
ended — report.txt's "Initial"; see DEFINITIONS). Counted from the run's start, `npm run` with a
pretest build read the build's 262 MiB as the test's footprint at start (148).
*/
function initialLevel({t, rss}: Levels, loadedAt: number): number | undefined {
	const span = (t.at(-1) ?? 0) - (t[0] ?? 0);
	const rest = span - loadedAt;
	const window = rss.filter((value, i) => Number.isFinite(value) && t[i]! - t[0]! >= loadedAt + (0.02 * rest) && t[i]! - t[0]! <= loadedAt + (0.1 * rest)).sort((a, b) => a - b);
	return window.length === 0 ? undefined : window[window.length >> 1];
}

/** A run's samples.csv as times (seconds) and RSS (bytes). */
type Levels = {readonly t: number[]; readonly rss: number[]};

function levelsOf(file: string): Levels {
	const rows = fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map(line => line.split(','));
	return {t: rows.map(row => Number(row[0])), rss: rows.map(row => Number(row[2]))};
}

/** The mean RSS of a samples.csv from `from` to `to` (elapsed seconds), each sample weighted by the time to the next. */
function meanLevel({t: times, rss}: Levels, from: number, to: number): number | undefined {
	const t = times.map(time => time - times[0]!);
	let sum = 0;
	let weight = 0;
	for (let i = 0; i + 1 < t.length; i++) {
		if (t[i]! >= from && t[i]! < to && Number.isFinite(rss[i]!)) {
			const step = Math.min(t[i + 1]!, to) - t[i]!;
			sum += rss[i]! * step;
			weight += step;
		}
	}

	return weight > 0 ? sum / weight : undefined;
}

function percent(value: number | undefined, base: number | undefined): string {
	if (value === undefined || base === undefined || base === 0) {
		return '';
	}

	const change = (value - base) / Math.abs(base) * 100;
	if (Math.abs(change) >= 1000) {
		// Against a small base (a few KiB of growth) a percentage says little and fills the row.
		return value / base > 0 ? `×${Math.round(value / base)}` : '';
	}

	return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(0)}%`;
}

/** A figure in words, for two runs: about the same (within 5%), or how much more or less B is. */
function conclusion(value: number | undefined, base: number | undefined): string {
	if (value === undefined || base === undefined) {
		return '';
	}

	if (base === 0) {
		return value === 0 ? 'the same' : value > 0 ? 'more (A: none)' : 'less (A: none)';
	}

	const change = (value - base) / Math.abs(base) * 100;
	if (Math.abs(change) >= 1000) {
		return value / base > 0 ? `${Math.round(value / base)}× as much` : `${change > 0 ? 'more' : 'less'} (A ${base < 0 ? 'shrank' : 'grew'})`;
	}

	return Math.abs(change) < 5 ? 'about the same' : `${Math.abs(change).toFixed(0)}% ${change > 0 ? 'more' : 'less'}`;
}

/** How B's growth rate stands to A's: unknown (a run has no bounds), overlapping, or apart at 95%. */
type RateComparison = 'unknown' | 'overlapping' | 'faster' | 'slower';

const bounded = (row: CompareRow): boolean => [row.rate, row.low, row.high].every(value => value !== undefined && Number.isFinite(value));

function compareRates(a: CompareRow, b: CompareRow): RateComparison {
	if (!bounded(a) || !bounded(b)) {
		return 'unknown';
	}

	return b.low! > a.high! ? 'faster' : b.high! < a.low! ? 'slower' : 'overlapping';
}

/** The table's words for it. */
function ratesApart(a: CompareRow, b: CompareRow): string {
	const comparison = compareRates(a, b);
	return comparison === 'unknown' ? 'run longer to tell' : comparison === 'overlapping' ? 'indistinguishable' : `${comparison} (95% apart)`;
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

	if (new Set(rows.map(row => row.growthSince)).size > 1) {
		const from = rows.map(row => row.growthSince === 'first sample' || !row.growthFrom ? `${row.label}'s first sample` : `${row.label}'s ${row.growthSince} end (${formatDuration(row.growthFrom * 1000)})`);
		lines.push(`Note: growth counts from ${from.slice(0, -1).join(', ')} and ${from.at(-1)!}.`);
	}

	// A workload that exited while its command went on: its growth is to where it ended, not to the run's end.
	for (const row of rows) {
		if (row.growthUntil) {
			lines.push(`Note: ${row.label}'s growth counts to where its workload ended: ${row.growthUntil.name} (PID ${row.growthUntil.pid}) at ${formatDuration(row.growthUntil.t * 1000)}, before the run's end at ${formatDuration(row.durationSeconds * 1000)}.`);
		}
	}

	for (const b of others) {
		if (a.peak !== undefined && b.peak !== undefined) {
			const change = (b.peak - a.peak) / a.peak * 100;
			const underLoad = a.underLoad !== undefined && b.underLoad !== undefined ? ` (${percent(b.underLoad, a.underLoad)} under load)` : '';
			lines.push(Math.abs(change) < 0.5
				? `${b.label} and ${a.label} peak at the same memory (within 1%)${underLoad}.`
				: `${b.label} uses ${Math.abs(change).toFixed(0)}% ${change < 0 ? 'less' : 'more'} memory at peak than ${a.label}${underLoad}.`);
		}

		const rates = compareRates(a, b);
		const unbounded = [a, b].filter(row => !bounded(row)).map(row => row.label);
		lines.push(rates === 'unknown'
			? `Growth rates cannot be compared yet: ${unbounded.join(' and ')} ${unbounded.length > 1 ? 'have' : 'has'} no rate with bounds (run longer).`
			: rates === 'overlapping'
				? 'Growth rates are indistinguishable (95% intervals overlap).'
				: `Growth rates differ: ${b.label} grows ${rates} (95% intervals apart).`);
	}

	return lines;
}

type Figure = {name: string; value: (row: CompareRow) => string; number?: (row: CompareRow) => number | undefined; what?: string; conclude?: (a: CompareRow, b: CompareRow) => string};

const FIGURES: Figure[] = [
	{name: 'initial ¹', value: row => formatBytes(row.initial), number: row => row.initial, what: 'at start'},
	{name: 'under load ²', value: row => formatBytes(row.underLoad), number: row => row.underLoad, what: 'under load'},
	{name: 'peak', value: row => formatBytes(row.peak), number: row => row.peak, what: 'at peak'},
	{name: 'growth ³', value: row => formatDelta(row.growth), number: row => row.growth, what: 'growth'},
	{name: 'per 100K ops', value: row => formatDelta(row.growthPer100kOps), number: row => row.growthPer100kOps, what: 'per op'},
	{name: 'rate', value: row => formatRate(row.rate), number: row => row.rate, conclude: ratesApart},
	{name: '  95% bounds', value: row => row.low === undefined || row.high === undefined || !Number.isFinite(row.low) || !Number.isFinite(row.high) ? '—' : formatRateRange(row.low, row.high)},
	{name: 'verdict', value: row => row.verdict},
	{name: 'duration', value: row => formatDuration(row.durationSeconds * 1000)},
];

/**
The comparison as rows of cells: the figure, each run's value (and % from the first), the
conclusion. With two runs, a figure whose conclusion says the difference ("88% more") gives B's
value alone: "135 MiB +88%  88% more" said it twice.
*/
function table(rows: readonly CompareRow[]): string[][] {
	const [a, b] = rows;
	return FIGURES.filter(figure => figure.name !== 'per 100K ops' || rows.some(row => row.operations !== undefined)).map(figure => [
		figure.name,
		...rows.map((row, i) => {
			const concluded = rows.length === 2 && figure.conclude === undefined && figure.what !== undefined;
			const change = i === 0 || !figure.number || concluded ? '' : percent(figure.number(row), figure.number(rows[0]!));
			return change ? `${figure.value(row)} ${change}` : figure.value(row);
		}),
		rows.length === 2 && a && b ? figure.conclude?.(a, b) ?? (figure.number && figure.what ? conclusion(figure.number(b), figure.number(a)) : '') : '',
	]);
}

/** The table, the definitions and the verdict lines, in 80 columns for two runs. */
export function renderCompare(rows: readonly CompareRow[]): string {
	const cells = table(rows);
	const width = (column: number): number => Math.max(...cells.map(row => row[column]!.length), column === 0 ? 0 : rows[column - 1]?.label.length ?? 0);
	const widths = [14, ...rows.map((_, i) => Math.min(24, Math.max(width(i + 1), 10)))];
	const line = (row: string[]): string => row.map((cell, i) => i < widths.length ? (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)) : cell).join('  ').trimEnd();
	return [
		line(['', ...rows.map(row => row.label.length > 24 ? fit(row.label, 24) : row.label), rows.length === 2 ? 'B against A' : '']),
		...cells.map(row => line(row)),
		'',
		...DEFINITIONS.map((text, i) => `${'¹²³'[i]} ${text}`),
		'',
		...compareVerdict(rows),
	].join('\n') + '\n';
}

/** The same as a Markdown table, for a pull request's comment. */
export function renderCompareMarkdown(rows: readonly CompareRow[]): string {
	const cells = table(rows);
	const escape = (text: string): string => text.replaceAll('|', '\\|');
	return [
		`| | ${rows.map(row => escape(row.label)).join(' | ')} |${rows.length === 2 ? ' B against A |' : ''}`,
		`|---|${rows.map(() => '---:|').join('')}${rows.length === 2 ? '---|' : ''}`,
		...cells.map(row => `| ${row.slice(0, rows.length === 2 ? rows.length + 2 : rows.length + 1).map(escape).join(' | ')} |`),
		'',
		...DEFINITIONS.map((text, i) => `${'¹²³'[i]} ${text}  `),
		'',
		...compareVerdict(rows),
	].join('\n') + '\n';
}
