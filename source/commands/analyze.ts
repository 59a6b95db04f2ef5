/**
`memmon analyze FILE… [--json]`: recompute everything from recorded samples. The samples are
replayed through the same store and pipeline as a live run, so the two can never disagree.

Accepts memmon's samples.csv, a run folder (its samples.csv; the folder's reports are rebuilt),
or any CSV record/samples-reader.ts can read.
*/
import fs from 'node:fs';
import path from 'node:path';
import {assessAtEnd, workEndOf, type AnalysisConfig, type Assessment, type OperationsFrom} from '../analysis/index.js';
import {readJvmHeapPoints} from '../record/jvm-heap.js';
import {readProcesses} from '../record/processes.js';
import {reportExtras} from '../record/extras.js';
import {writeReports} from '../record/report.js';
import {buildReport, type RunEnd, type RunFacts, type RunReport} from '../record/run-report.js';
import {growthJson, thresholdJson} from '../record/reports/json.js';
import {renderTextReport} from '../record/reports/text.js';
import {SeriesStore} from '../series.js';
import {version} from '../version.js';
import {memoryLimitOf} from './resume.js';
import {count} from '../units.js';
import {AnalyzeError, replay, streamSamples, type ParsedSamples, type Sample} from '../record/samples-reader.js';

/** The interval of a series: the median step. */
function medianStep(t: readonly number[]): number {
	const steps: number[] = [];
	for (let i = 1; i < t.length; i++) {
		steps.push(t[i]! - t[i - 1]!);
	}

	steps.sort((a, b) => a - b);
	return steps.length > 0 ? Math.max(steps[steps.length >> 1]!, 1e-3) : 1;
}

/** Replay samples through a store and assess them; `intervalSeconds` as the run recorded it, if known; `spawned`: a command memmon started (SeriesOptions). */
export function analyzeSamples(samples: ParsedSamples, config: AnalysisConfig, intervalSeconds?: number, spawned = false): {store: SeriesStore; assessment: Assessment} {
	const store = new SeriesStore({baseWidth: intervalSeconds ?? medianStep(samples.t), spawned});
	replay(store, samples);
	return {store, assessment: assessAtEnd(store, config)};
}

type RunJson = {memory_limit_bytes?: number | null; memory_limit_file?: string | null; workload_executable?: string; operations?: number | null; label?: string; command?: string[] | null; attached_command?: string | null; pid?: number | null; system?: boolean; children?: boolean; host?: string; started_at?: string; interval_seconds?: number; duration_seconds?: number | null};

/** One analysed input. */
export type AnalyzeResult = {
	readonly file: string;
	readonly report: RunReport;
	readonly truncated: boolean;
	/** Unreadable lines skipped (at most 1% of the file), and the first of them. */
	readonly skipped: {readonly count: number; readonly firstLine: number | undefined};
	/** The run folder whose reports were rebuilt. */
	readonly rebuilt: string | undefined;
};

/** The operation count a run's last report gave (--ops-pattern counts as the workload prints), and its first. */
function operationsReported(runDir: string | undefined): {operations?: number; from?: OperationsFrom; counts?: OperationsFrom[]} {
	if (!runDir) {
		return {};
	}

	try {
		const report = JSON.parse(fs.readFileSync(path.join(runDir, 'report.json'), 'utf8')) as {operations?: number | null; operations_counted_from?: {t_seconds?: unknown; operations?: unknown} | null; operation_counts?: unknown};
		const from = report.operations_counted_from;
		const counts = Array.isArray(report.operation_counts) ? report.operation_counts.filter((point): point is [number, number] => Array.isArray(point) && typeof point[0] === 'number' && typeof point[1] === 'number') : [];
		return {
			operations: report.operations ?? undefined,
			from: typeof from?.t_seconds === 'number' && typeof from.operations === 'number' ? {t: from.t_seconds, count: from.operations} : undefined,
			counts: counts.length > 0 ? counts.map(([t, count]) => ({t, count})) : undefined,
		};
	} catch {
		return {};
	}
}

/** The samples file and its run folder (when it has one), checked to be a regular file. */
function resolveInput(input: string): {file: string; runDir: string | undefined} {
	let file = input;
	let runDir: string | undefined;
	if (fs.existsSync(input) && fs.statSync(input).isDirectory()) {
		runDir = input;
		file = path.join(input, 'samples.csv');
	} else if (path.basename(input) === 'samples.csv' && fs.existsSync(path.join(path.dirname(input), 'run.json'))) {
		runDir = path.dirname(input);
	}

	let stat: fs.Stats;
	try {
		stat = fs.statSync(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new AnalyzeError(`${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : code ?? String(error)})`);
	}

	// A FIFO or a device would be read until its writer stops, perhaps never.
	if (!stat.isFile()) {
		throw new AnalyzeError(`${file}: not a regular file: give a samples CSV or a run folder`);
	}

	return {file, runDir};
}

/**
The samples streamed into a store. Its bucket width is the run's own interval, or the median step
of the first thousand samples, read before the rest is streamed through.
*/
function readStore(file: string, intervalSeconds: number | undefined, spawned: boolean): {store: SeriesStore; width: number; first: number; last: number; streamed: ReturnType<typeof streamSamples>} {
	const head: Sample[] = [];
	let store: SeriesStore | undefined;
	let first: number | undefined;
	let last = 0;
	const add = (sample: Sample): void => {
		if (sample.mark !== undefined) {
			store!.mark({t: sample.t, label: sample.mark});
		}

		// A sample is a point with its mark: the store reads the point's fields.
		store!.add(sample);
	};

	let width = 1;
	const open = (): SeriesStore => {
		width = intervalSeconds ?? medianStep(head.map(sample => sample.t));
		store = new SeriesStore({baseWidth: width, spawned});
		for (const sample of head.splice(0)) {
			add(sample);
		}

		return store;
	};

	let streamed: ReturnType<typeof streamSamples>;
	try {
		streamed = streamSamples(file, sample => {
			first ??= sample.t;
			last = sample.t;
			if (store) {
				add(sample);
			} else {
				head.push(sample);
				if (head.length >= 1000) {
					open();
				}
			}
		});
	} catch (error) {
		if (error instanceof AnalyzeError) {
			throw error;
		}

		const code = (error as NodeJS.ErrnoException).code;
		throw new AnalyzeError(`${file}: cannot read it (${code ?? String(error)})`);
	}

	if (streamed.count === 0) {
		throw new AnalyzeError(`${file}: no samples in it`);
	}

	if (streamed.count > 1 && last === first) {
		throw new AnalyzeError(`${file}: all ${streamed.count} samples have the same time (${first}): a rate needs samples taken over time; check the time column`);
	}

	return {store: store ?? open(), width, first: first!, last, streamed};
}

/** The run's facts from its run.json (what there is of it), else from the file. */
function factsOf(run: RunJson, file: string, runDir: string | undefined, width: number): RunFacts {
	const reported = operationsReported(runDir);
	return {
		version: version(),
		label: run.label ?? path.basename(runDir ?? file).replace(/\.csv$/i, ''),
		command: run.command ?? undefined,
		attached: run.attached_command ?? undefined,
		pid: run.pid ?? 0,
		system: run.system === true,
		children: run.children ?? true,
		host: run.host ?? '—',
		startedAtMs: run.started_at ? Date.parse(run.started_at) : 0,
		intervalMs: width * 1000,
		durationMs: run.duration_seconds ? run.duration_seconds * 1000 : undefined,
		runDir: runDir ?? path.dirname(file),
		operations: run.operations ?? reported.operations,
		operationsFrom: reported.from,
		operationCounts: reported.counts,
		memoryLimit: memoryLimitOf(run),
		workloadExecutable: typeof run.workload_executable === 'string' ? run.workload_executable : undefined,
	};
}

/** Analyse one path (a CSV or a run folder); a run folder's reports are rebuilt unless `write` is false. */
export function analyzePath(input: string, config: AnalysisConfig, {write = true}: {write?: boolean} = {}): AnalyzeResult {
	const {file, runDir} = resolveInput(input);
	let run: RunJson = {};
	if (runDir) {
		try {
			run = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunJson;
		} catch {}
	}

	const {store, width, first, last, streamed} = readStore(file, run.interval_seconds, (run.command?.length ?? 0) > 0 && run.system !== true);
	const facts = factsOf(run, file, runDir, width);
	if (facts.operationsFrom) {
		store.loadedBy(facts.operationsFrom.t);
	}

	if (runDir) {
		store.workEnd = workEndOf(readProcesses(runDir), t => store.levelAt(t));
		const heap = readJvmHeapPoints(runDir);
		store.heap = heap.length > 0 ? heap : undefined;
	}

	const assessment = assessAtEnd(store, config);
	const skipped = streamed.skipped.count > 0 ? ` (${count(streamed.skipped.count, 'unreadable line')} skipped, the first at line ${streamed.skipped.firstLine})` : '';
	const end: RunEnd = {reason: 'stopped', by: 'analyze', text: `rebuilt by memmon analyze from ${count(streamed.count, 'sample')}${streamed.truncated ? ' (last line was cut, dropped)' : ''}${skipped}`};
	const report = buildReport(facts, store, assessment, last - first, end, runDir ? reportExtras(facts) : {});
	if (runDir && write) {
		writeReports(report);
	}

	return {file, report, truncated: streamed.truncated, skipped: streamed.skipped, rebuilt: write ? runDir : undefined};
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
		// A run folder whose workload's operations were counted (--ops, --ops-pattern): as report.json gives it.
		growth_per_100k_operations_bytes: report.perOperations?.bytes ?? null,
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

			if (result.skipped.count > 0) {
				warn(`memmon: ${result.file}: ${count(result.skipped.count, 'unreadable line')} skipped (the first at line ${result.skipped.firstLine})\n`);
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
