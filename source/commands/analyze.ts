/**
`memmon analyze FILE… [--json]`: recompute everything from recorded samples. The samples are
replayed through the same store and pipeline as a live run, so the two can never disagree.

Accepts memmon's samples.csv, a run folder (its samples.csv; the folder's reports are rebuilt),
or any CSV whose header names a time column in seconds and an RSS column in bytes
(`t_seconds,rss_bytes`). A last line without its newline (cut by a kill -9 mid-write) is dropped with a note;
any other line that cannot be read is an error naming the file and line.
*/
import fs from 'node:fs';
import path from 'node:path';
import {assess, type AnalysisConfig, type Assessment} from '../analysis/index.js';
import {buildReport, writeReports, type RunEnd, type RunFacts, type RunReport} from '../record/report.js';
import {growthJson, thresholdJson} from '../record/reports/json.js';
import {renderTextReport} from '../record/reports/text.js';
import {SeriesStore} from '../series.js';
import {version} from '../version.js';
import {count} from '../units.js';

/** A file that could not be analysed. */
export class AnalyzeError extends Error {
	override readonly name = 'AnalyzeError';
}

/** Samples read from a CSV. */
export type ParsedSamples = {
	readonly t: number[];
	readonly rss: number[];
	readonly hwm: Array<number | undefined>;
	/** PSS and swap (`pss_bytes`, `swap_bytes`/`swap_used_bytes`), where recorded. */
	readonly pss: Array<number | undefined>;
	readonly swap: Array<number | undefined>;
	/** The mark column, where there is one. */
	readonly marks: Array<string | undefined>;
	/** Set when the last line was incomplete and was dropped. */
	readonly truncated: boolean;
};

const timeColumns = ['t_seconds', 'elapsed_seconds', 'time_seconds', 't', 'seconds', 'elapsed'];
const rssColumns = ['rss_bytes', 'rss', 'memory_bytes', 'bytes', 'used_bytes'];

/** Parse CSV text; throws an AnalyzeError naming the line. */
export function parseSamples(text: string, file: string): ParsedSamples {
	const lines = text.split('\n');
	// Every line memmon (and any CSV writer) writes ends with a newline: a last line without one
	// was cut by an interrupted write, and may parse into a wrong number. It is dropped.
	const truncated = !text.endsWith('\n') && lines.length > 1 && (lines.at(-1) ?? '') !== '';
	if (truncated || lines.at(-1) === '') {
		lines.pop();
	}

	const header = (lines[0] ?? '').trim().toLowerCase().split(',').map(name => name.trim().replaceAll('"', ''));
	const tColumn = header.findIndex(name => timeColumns.includes(name));
	const rssColumn = header.findIndex(name => rssColumns.includes(name));
	if (tColumn === -1 || rssColumn === -1) {
		throw new AnalyzeError(`${file}:1: the header must name a time column in seconds and a memory column in bytes (e.g. t_seconds,rss_bytes); found ${JSON.stringify(lines[0] ?? '')}`);
	}

	const hwmColumn = header.indexOf('hwm_bytes');
	const pssColumn = header.indexOf('pss_bytes');
	const swapColumn = header.findIndex(name => name === 'swap_bytes' || name === 'swap_used_bytes');
	const markColumn = header.indexOf('mark');
	const t: number[] = [];
	const rss: number[] = [];
	const hwm: Array<number | undefined> = [];
	const pss: Array<number | undefined> = [];
	const swap: Array<number | undefined> = [];
	const optional = (cells: readonly string[], column: number): number | undefined => {
		const value = column === -1 || cells[column] === '' ? undefined : Number(cells[column]);
		return Number.isFinite(value) ? value : undefined;
	};

	const marks: Array<string | undefined> = [];
	for (let i = 1; i < lines.length; i++) {
		const line = lines[i]!;
		if (line.trim() === '') {
			continue;
		}

		const cells = line.split(',');
		const time = Number(cells[tColumn]);
		const value = cells[rssColumn] === undefined || cells[rssColumn] === '' ? Number.NaN : Number(cells[rssColumn]);
		const bad = !Number.isFinite(time) || !Number.isFinite(value) || cells.length < header.length || (t.length > 0 && time < t.at(-1)!);
		if (bad) {
			throw new AnalyzeError(`${file}:${i + 1}: cannot read a sample from ${JSON.stringify(line.slice(0, 80))}: expected numbers in the ${header[tColumn]} and ${header[rssColumn]} columns, in time order`);
		}

		t.push(time);
		rss.push(value);
		hwm.push(optional(cells, hwmColumn));
		pss.push(optional(cells, pssColumn));
		swap.push(optional(cells, swapColumn));
		// The mark is the last column, and may be quoted (with commas inside).
		const mark = markColumn === -1 ? '' : cells.slice(markColumn).join(',');
		marks.push(mark === '' ? undefined : mark.replace(/^"(.*)"$/, '$1').replaceAll('""', '"'));
	}

	return {t, rss, hwm, pss, swap, marks, truncated};
}

/** The interval of a series: the median step. */
function medianStep(t: readonly number[]): number {
	const steps: number[] = [];
	for (let i = 1; i < t.length; i++) {
		steps.push(t[i]! - t[i - 1]!);
	}

	steps.sort((a, b) => a - b);
	return steps.length > 0 ? Math.max(steps[steps.length >> 1]!, 1e-3) : 1;
}

/** Replay samples through a store and assess them; `intervalSeconds` as the run recorded it, if known. */
export function analyzeSamples(samples: ParsedSamples, config: AnalysisConfig, intervalSeconds?: number): {store: SeriesStore; assessment: Assessment} {
	const store = new SeriesStore({baseWidth: intervalSeconds ?? medianStep(samples.t)});
	for (let i = 0; i < samples.t.length; i++) {
		const mark = samples.marks[i];
		if (mark !== undefined) {
			store.mark({t: samples.t[i]!, label: mark});
		}

		store.add({t: samples.t[i]!, rss: samples.rss[i]!, hwm: samples.hwm[i], pss: samples.pss[i], swap: samples.swap[i]});
	}

	return {store, assessment: assess(store, config)};
}

type RunJson = {operations?: number | null; label?: string; command?: string[] | null; attached_command?: string | null; pid?: number | null; system?: boolean; children?: boolean; host?: string; started_at?: string; interval_seconds?: number; duration_seconds?: number | null};

/** One analysed input. */
export type AnalyzeResult = {
	readonly file: string;
	readonly report: RunReport;
	readonly truncated: boolean;
	/** The run folder whose reports were rebuilt. */
	readonly rebuilt: string | undefined;
};

/** The operation count a run's last report gave (--ops-pattern counts as the workload prints). */
function operationsReported(runDir: string | undefined): number | undefined {
	if (!runDir) {
		return undefined;
	}

	try {
		const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {operations?: number | null};
		return report.operations ?? undefined;
	} catch {
		return undefined;
	}
}

/** Analyse one path (a CSV or a run folder); a run folder's reports are rebuilt unless `write` is false. */
export function analyzePath(input: string, config: AnalysisConfig, {write = true}: {write?: boolean} = {}): AnalyzeResult {
	let file = input;
	let runDir: string | undefined;
	if (fs.existsSync(input) && fs.statSync(input).isDirectory()) {
		runDir = input;
		file = path.join(input, 'samples.csv');
	} else if (path.basename(input) === 'samples.csv' && fs.existsSync(path.join(path.dirname(input), 'run.json'))) {
		runDir = path.dirname(input);
	}

	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new AnalyzeError(`${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : code ?? String(error)})`);
	}

	const samples = parseSamples(text, file);
	if (samples.t.length === 0) {
		throw new AnalyzeError(`${file}: no samples in it`);
	}

	let run: RunJson = {};
	if (runDir) {
		try {
			run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunJson;
		} catch {}
	}

	// The run's own interval, so the buckets are the ones the live run had.
	const {store, assessment} = analyzeSamples(samples, config, run.interval_seconds);

	const elapsed = samples.t.at(-1)! - samples.t[0]!;
	const facts: RunFacts = {
		version: version(),
		label: run.label ?? path.basename(runDir ?? file).replace(/\.csv$/i, ''),
		command: run.command ?? undefined,
		attached: run.attached_command ?? undefined,
		pid: run.pid ?? 0,
		system: run.system === true,
		children: run.children ?? true,
		host: run.host ?? '—',
		startedAtMs: run.started_at ? Date.parse(run.started_at) : 0,
		intervalMs: (run.interval_seconds ?? medianStep(samples.t)) * 1000,
		durationMs: run.duration_seconds ? run.duration_seconds * 1000 : undefined,
		runDir: runDir ?? path.dirname(file),
		operations: run.operations ?? operationsReported(runDir),
	};
	const end: RunEnd = {reason: 'stopped', by: 'analyze', text: `rebuilt by memmon analyze from ${count(samples.t.length, 'sample')}${samples.truncated ? ' (last line was cut, dropped)' : ''}`};
	const report = buildReport(facts, store, assessment, elapsed, end);
	if (runDir && write) {
		writeReports(report);
	}

	return {file, report, truncated: samples.truncated, rebuilt: write ? runDir : undefined};
}

/** One line of `--json` output. */
export function analyzeJson(result: AnalyzeResult): string {
	const {report} = result;
	const a = report.assessment;
	const g = a.growth;
	return JSON.stringify({
		file: result.file,
		samples: report.samples,
		truncated: result.truncated,
		...growthJson(g),
		quarters_bytes: a.quarters?.averages ?? null,
		quarter_rate_bytes_per_hour: a.quarters?.ratePerHour ?? null,
		least_squares_bytes_per_hour: a.leastSquares ?? null,
		growth_bytes: a.totalGrowth ?? null,
		peak_bytes: report.memory.peakHwm === undefined ? report.memory.peakSampled ?? null : Math.max(report.memory.peakHwm, report.memory.peakSampled ?? 0),
		duration_seconds: report.elapsedSeconds,
		thresholds: a.thresholds.map(thresholdJson),
	});
}

/** Run `memmon analyze`; returns the exit code. */
export function analyze(inputs: readonly string[], config: AnalysisConfig, json: boolean, write: (text: string) => void, warn: (text: string) => void): number {
	let failed = false;
	let thresholdFailed = false;
	for (const input of inputs) {
		try {
			const result = analyzePath(input, config);
			if (result.truncated) {
				warn(`memmon: ${result.file}: the last line was cut off (an interrupted write); it was dropped\n`);
			}

			write(json ? `${analyzeJson(result)}\n` : `${renderTextReport(result.report)}${result.rebuilt ? `Reports rebuilt in ${result.rebuilt}\n` : ''}\n`);
			if (result.report.assessment.thresholds.some(threshold => threshold.status === 'fail')) {
				thresholdFailed = true;
			}
		} catch (error) {
			if (!(error instanceof AnalyzeError)) {
				throw error;
			}

			failed = true;
			warn(`memmon: ${error.message}\n`);
		}
	}

	return failed ? 2 : thresholdFailed ? 1 : 0;
}
