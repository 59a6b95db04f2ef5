/**
`memmon report [DIR…] [--label TEXT] [--since DUR] [--json]`: every run under the folders (nested
folders too), newest first — label, start, duration, samples, start/end/peak memory, growth, rate
with bounds, verdict, gates, status. The memory-test plan's summary of all runs, from the runs'
report.json files (a run that died before writing one is listed without a report, with what its
samples.csv says: `memmon analyze` rebuilds it). The exit code is 1 when a listed run failed a gate.
*/
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {isAlive} from '../target/identity.js';
import {count, formatBytes, formatDelta, formatDuration, formatRate, formatRateRange} from '../units.js';
import {fit} from '../ui/text.js';

/** One run, as the table shows it. */
export type RunSummary = {
	readonly dir: string;
	readonly label: string;
	readonly startedAt: string | undefined;
	readonly durationSeconds: number | undefined;
	readonly samples: number | undefined;
	readonly initialBytes: number | undefined;
	readonly finalBytes: number | undefined;
	readonly peakBytes: number | undefined;
	readonly growthBytes: number | undefined;
	readonly rate: number | undefined;
	readonly rateLow: number | undefined;
	readonly rateHigh: number | undefined;
	readonly verdict: string | undefined;
	/** The gates the run had: `pass`, `FAIL growth, rate`, `undecided`, or `—` when none. */
	readonly gates: string;
	readonly failed: boolean;
	/** finished, running (a partial report rewritten lately), interrupted, or no report. */
	readonly status: string;
};

type ReportJson = {
	label?: string;
	started_at?: string;
	partial?: boolean;
	status?: string;
	elapsed_seconds?: number;
	samples?: number;
	memory?: {initial_bytes?: number | null; final_bytes?: number | null; peak_sampled_bytes?: number | null; peak_hwm_bytes?: number | null; growth_bytes?: number | null};
	growth?: {rate_bytes_per_hour?: number | null; rate_low_bytes_per_hour?: number | null; rate_high_bytes_per_hour?: number | null; verdict?: string; growth_after_warmup_bytes?: number | null};
	thresholds?: Array<{name: string; status: string}>;
};

/**
Where run.json does not say which memmon wrote the run (runs of older versions, or of another
host): a partial report whose last sample is this recent is a run still going (checkpoints come
every 5 min by default).
*/
const RUNNING_WITHIN_MS = 11 * 60_000;

type RunJsonFacts = {label?: string; started_at?: string; host?: string; memmon_pid?: number; memmon_start_ticks?: number | null};

/** Whether the memmon that writes the run is still running it; undefined where run.json cannot tell. */
function writerAlive(run: RunJsonFacts): boolean | undefined {
	if (typeof run.memmon_pid !== 'number' || typeof run.memmon_start_ticks !== 'number' || run.host !== os.hostname()) {
		return undefined;
	}

	return isAlive({pid: run.memmon_pid, startTime: run.memmon_start_ticks});
}

const orUndefined = (value: number | null | undefined): number | undefined => value ?? undefined;

/** Read one run folder. */
export function summarizeRun(dir: string, now = Date.now()): RunSummary | undefined {
	let run: RunJsonFacts = {};
	try {
		run = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as typeof run;
	} catch {
		return undefined; // Not a run folder.
	}

	let report: ReportJson | undefined;
	try {
		report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as ReportJson;
	} catch {}

	const alive = writerAlive(run);
	if (!report) {
		let samples: number | undefined;
		try {
			samples = Math.max(0, fs.readFileSync(path.join(dir, 'samples.csv'), 'utf8').trim().split('\n').length - 1);
		} catch {}

		return {
			dir, label: run.label ?? path.basename(dir), startedAt: run.started_at, durationSeconds: undefined, samples, initialBytes: undefined, finalBytes: undefined, peakBytes: undefined, growthBytes: undefined, rate: undefined, rateLow: undefined, rateHigh: undefined, verdict: undefined, gates: '—', failed: false,
			// Before its first checkpoint (30 s in) a run has no report yet.
			status: alive ? 'running' : 'no report',
		};
	}

	const thresholds = report.thresholds ?? [];
	const failedGates = thresholds.filter(threshold => threshold.status === 'fail').map(threshold => threshold.name);
	const gates = thresholds.length === 0 ? '—' : failedGates.length > 0 ? `FAIL ${failedGates.join(', ')}` : thresholds.some(threshold => threshold.status === 'undecided') ? 'undecided' : 'pass';
	let status = report.status ?? 'finished';
	if (report.partial) {
		// The time of its last sample (not the file's, which a copy or a checkout changes).
		const lastAt = Date.parse(report.started_at ?? run.started_at ?? '') + ((report.elapsed_seconds ?? 0) * 1000);
		status = (alive ?? now - lastAt < RUNNING_WITHIN_MS) ? 'running' : 'interrupted';
	}

	const memory = report.memory ?? {};
	const peak = Math.max(memory.peak_hwm_bytes ?? 0, memory.peak_sampled_bytes ?? 0);
	return {
		dir,
		label: report.label ?? run.label ?? path.basename(dir),
		startedAt: report.started_at ?? run.started_at,
		durationSeconds: report.elapsed_seconds,
		samples: report.samples,
		initialBytes: orUndefined(memory.initial_bytes),
		finalBytes: orUndefined(memory.final_bytes),
		peakBytes: peak > 0 ? peak : undefined,
		growthBytes: orUndefined(report.growth?.growth_after_warmup_bytes ?? memory.growth_bytes),
		rate: orUndefined(report.growth?.rate_bytes_per_hour),
		rateLow: orUndefined(report.growth?.rate_low_bytes_per_hour),
		rateHigh: orUndefined(report.growth?.rate_high_bytes_per_hour),
		verdict: report.growth?.verdict,
		gates,
		failed: failedGates.length > 0,
		status,
	};
}

/** Which runs to list. */
export type RunFilter = {readonly label?: string | undefined; readonly sinceMs?: number | undefined};

/**
Every run in or below the folders (a folder may itself be a run), newest first. Symbolic links are
not followed (`latest` points at a run listed anyway; a link loop or a dangling link is skipped).
*/
export function listRuns(roots: readonly string[], filter: RunFilter = {}, now = Date.now()): RunSummary[] {
	const runs: RunSummary[] = [];
	const seen = new Set<string>();
	const visit = (dir: string, depth: number): void => {
		const real = fs.realpathSync(dir);
		if (seen.has(real)) {
			return;
		}

		seen.add(real);
		const summary = summarizeRun(dir, now);
		if (summary) {
			runs.push(summary);
			return;
		}

		if (depth >= 6) {
			return;
		}

		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(dir, {withFileTypes: true});
		} catch {
			return;
		}

		for (const entry of entries) {
			if (entry.isDirectory() && !entry.name.startsWith('.')) {
				visit(path.join(dir, entry.name), depth + 1);
			}
		}
	};

	for (const root of roots) {
		visit(root, 0);
	}

	return runs
		.filter(run => filter.label === undefined || run.label.includes(filter.label))
		.filter(run => filter.sinceMs === undefined || (run.startedAt !== undefined && Date.parse(run.startedAt) >= now - filter.sinceMs))
		.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || b.dir.localeCompare(a.dir));
}

/** The table for people. */
export function renderRunTable(runs: readonly RunSummary[]): string {
	const columns: Array<[string, number, (run: RunSummary) => string]> = [
		['label', 18, run => run.label],
		['started (UTC)', 16, run => run.startedAt?.slice(0, 16).replace('T', ' ') ?? '—'],
		['duration', 8, run => formatDuration(run.durationSeconds === undefined ? undefined : run.durationSeconds * 1000)],
		['samples', 7, run => run.samples === undefined ? '—' : String(run.samples)],
		['start', 9, run => formatBytes(run.initialBytes)],
		['end', 9, run => formatBytes(run.finalBytes)],
		['peak', 9, run => formatBytes(run.peakBytes)],
		['growth', 10, run => formatDelta(run.growthBytes)],
		['rate (95% bounds)', 38, run => run.rate === undefined ? '—' : `${formatRate(run.rate)} (${run.rateLow === undefined && run.rateHigh === undefined ? 'not yet bounded' : formatRateRange(run.rateLow, run.rateHigh)})`],
		['verdict', 10, run => run.verdict ?? '—'],
		['gates', 14, run => run.gates],
		['status', 11, run => run.status],
	];
	const line = (cells: string[]): string => cells.map((cell, i) => fit(cell, columns[i]![1])).join('  ').trimEnd();
	const missing = runs.filter(run => run.status === 'no report');
	const running = runs.filter(run => run.status === 'running').length;
	return [
		line(columns.map(([name]) => name)),
		...runs.map(run => line(columns.map(([, , value]) => value(run)))),
		...running > 0 || missing.length > 0 ? [''] : [],
		...running > 0 ? [`${running === 1 ? '1 run still running: its figures are from its' : `${running} runs still running: their figures are from their`} last checkpoint (every 5 min by default, the first 30 s in; r in a run's screen writes one now)`] : [],
		...missing.length > 0 ? [`${count(missing.length, 'run')} without a report (memmon was killed): memmon analyze ${missing.map(run => run.dir).join(' ')}`] : [],
	].join('\n') + '\n';
}
