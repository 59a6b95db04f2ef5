/**
The files a run is asked to write besides its samples and reports: `run.json` (what was run, for
`--resume`, `analyze` and people), and the checks, before anything is written, that the outputs
asked for (`--junit`, `$GITHUB_STEP_SUMMARY`) can be.
*/
import fs from 'node:fs';
import path from 'node:path';
import {UsageError} from '../errors.js';
import {readIdentity} from '../target/identity.js';
import type {RunFacts} from '../record/run-report.js';
import {version} from '../version.js';
import type {RunJson} from './resume.js';

/**
Throw a usage error now when `--junit` or `$GITHUB_STEP_SUMMARY` could not be written at the end;
returns the step summary's path when it is set.
*/
export function checkOutputs(junit: string | undefined, stepSummary: string | undefined): string | undefined {
	if (junit) {
		try {
			fs.accessSync(path.dirname(path.resolve(junit)), fs.constants.W_OK);
		} catch {
			throw new UsageError(`cannot write --junit ${junit}: its folder does not exist or is not writable; create it or choose another path`);
		}

		if (fs.statSync(junit, {throwIfNoEntry: false})?.isDirectory()) {
			throw new UsageError(`--junit ${junit} is a folder: give a file name, e.g. --junit ${path.join(junit, 'junit.xml')}`);
		}
	}

	// $GITHUB_STEP_SUMMARY is input too: a folder there would fail only after the whole run.
	if (stepSummary !== undefined && fs.statSync(stepSummary, {throwIfNoEntry: false})?.isDirectory()) {
		throw new UsageError(`GITHUB_STEP_SUMMARY=${stepSummary} is a folder: point it at a file (GitHub sets it so), or unset it`);
	}

	return stepSummary;
}

/**
The memmon process writing the run (PID and start time), so that `memmon report` can tell a run
still going from one whose memmon died, before and between its checkpoints.
*/
function writer(): {memmon_pid: number; memmon_start_ticks: number | null} {
	const self = readIdentity(process.pid);
	return {memmon_pid: process.pid, memmon_start_ticks: typeof self === 'object' ? self.startTime : null};
}

/** The text of a new run's run.json. */
export function newRunJson(facts: RunFacts, extra: {readonly startTime: number | undefined; readonly reportDir: string; readonly metricsUrl: string | undefined}): string {
	return `${JSON.stringify({
		memmon: facts.version,
		label: facts.label,
		command: facts.command ?? null,
		attached_command: facts.attached ?? null,
		pid: facts.system ? null : facts.pid,
		start_time_ticks: extra.startTime ?? null,
		system: facts.system,
		started_at: new Date(facts.startedAtMs).toISOString(),
		host: facts.host,
		platform: `${process.platform}-${process.arch}`,
		node: process.version,
		interval_seconds: facts.intervalMs / 1000,
		duration_seconds: facts.durationMs === undefined ? null : facts.durationMs / 1000,
		children: facts.children,
		report_dir: path.resolve(extra.reportDir),
		metrics_url: extra.metricsUrl ?? null,
		operations: facts.operations ?? null,
		memory_limit_bytes: facts.memoryLimit?.bytes ?? null,
		memory_limit_file: facts.memoryLimit?.file ?? null,
		...writer(),
	}, null, 2)}\n`;
}

/** run.json's text with the executable of the tree's largest process (RunFacts.workloadExecutable), where one was seen. */
export function withWorkloadExecutable(runJsonText: string, executable: string | undefined): string {
	return executable === undefined ? runJsonText : `${JSON.stringify({...JSON.parse(runJsonText) as object, workload_executable: executable}, null, 2)}\n`;
}

/** A resumed run's run.json: what it was, with this resumption added to its list. */
export function resumedRunJson(runJson: RunJson, nowWall: number, gapSeconds: number): string {
	return `${JSON.stringify({...runJson, ...writer(), resumed: [...runJson.resumed ?? [], {at: new Date(nowWall).toISOString(), gap_seconds: gapSeconds, by_memmon: version()}]}, null, 2)}\n`;
}
