/** How a run ended, in words for the reports and the terminal, and the exit code it gives. */
import type {EndReason} from '../monitor.js';
import type {RunEnd} from '../record/run-report.js';
import path from 'node:path';
import type {SampleLog} from '../record/sample-log.js';
import type {Workload, WorkloadExit} from '../target/spawn.js';
import {count, formatBytes} from '../units.js';

const signalNumbers: Readonly<Record<string, number>> = {SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15};

/**
The exit code for how a run ended: the spawned command's non-zero code wins; then a stop by a
signal (128 + N); then 1 when a threshold or the verdict failed; else 0.
*/
export function exitCodeFor(end: RunEnd, thresholds: ReadonlyArray<{status: string}> = []): number {
	if (end.reason === 'target-exited' && end.exitCode !== undefined && end.exitCode !== 0) {
		if (end.exitCode !== null) {
			return end.exitCode;
		}

		return 128 + (signalNumbers[end.signal ?? ''] ?? 1);
	}

	if (end.reason === 'stopped') {
		if (end.by === 'error') {
			return 1;
		}

		const signal = signalNumbers[end.by ?? ''];
		if (signal !== undefined) {
			return 128 + signal;
		}
	}

	return thresholds.some(threshold => threshold.status === 'fail') ? 1 : 0;
}

export function describeEnd(reason: EndReason, exit: WorkloadExit | undefined, spawned: boolean): RunEnd {
	if (reason.kind === 'target-exited') {
		if (!spawned) {
			return {reason: 'target-exited', text: 'target exited'};
		}

		const how = exit?.signal ? `killed by ${exit.signal}` : `exit code ${exit?.code ?? '?'}`;
		return {reason: 'target-exited', exitCode: exit?.code ?? null, signal: exit?.signal ?? null, text: `target exited (${how})`};
	}

	if (reason.kind === 'duration') {
		return {reason: 'duration', text: spawned ? 'duration reached (workload stopped)' : 'duration reached'};
	}

	const by = reason.by;
	const text = by === 'q' ? 'stopped with q' : by === 'error' ? 'stopped by an error in memmon' : `interrupted by ${by}`;
	return {reason: 'stopped', by, text};
}

/** What the user should know of the workload's output at the end: a log that stopped, output not passed on, processes that escaped. */
export function workloadNotes(workload: Workload, droppedPassthrough: number): string[] {
	const notes: string[] = [];
	const problem = workload.logProblem();
	if (problem) {
		notes.push(problem);
	}

	if (droppedPassthrough > 0) {
		notes.push(`${formatBytes(droppedPassthrough)} of the workload's output were not passed on (the reader was slower than the workload); workload.log has it`);
	}

	const escaped = workload.escaped();
	if (escaped.length > 0) {
		const one = escaped.length === 1;
		const names = escaped.slice(0, 5).map(p => `PID ${p.pid} ${p.name}`).join(', ');
		const processes = one ? 'a process' : `${escaped.length} processes`;
		// Still writing to the log, or only marked as the workload's (a daemon closes its output: nginx).
		notes.push(escaped.every(p => p.writes)
			? `${processes} that left the workload's process group still ${one ? 'writes' : 'write'} to workload.log (${names}); memmon did not wait for ${one ? 'it' : 'them'} (a server that daemonizes goes on there: watch it with memmon --pid ${escaped[0]!.pid})`
			: `${processes} the workload started ${one ? 'runs' : 'run'} on outside its process group (${names}), not watched: a server that daemonizes goes on there — watch it with memmon --pid ${escaped[0]!.pid}, or start it in the foreground`);
	}

	return notes;
}

/** The final report could not be written: what samples.csv still holds, and how to rebuild the reports. */
export function lostReportNote(writeError: string, log: SampleLog, runDir: string): string {
	const lost = log.pending + log.dropped;
	const held = lost > 0 ? `samples.csv holds ${count(log.written, 'sample')}; the last ${count(lost, 'sample')} could not be written` : 'samples.csv holds every sample';
	return `could not write the final report (${writeError}); ${held}: ${path.join(runDir, 'samples.csv')} (memmon analyze rebuilds the reports from it)`;
}
