/** How a run ended, in words for the reports, and the exit code it gives. */
import type {EndReason} from '../monitor.js';
import type {RunEnd} from '../record/run-report.js';
import type {WorkloadExit} from '../target/spawn.js';

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
