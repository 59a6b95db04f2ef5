/**
What a report says beyond the samples, read where the run left it: the Python lines of a
`--tracemalloc` run (its run folder) and the tools that fit the target (its runtime, and what is
installed here). The live run and `memmon analyze` both call this.
*/
import {nextSteps} from '../target/next-steps.js';
import {readAllocations} from './allocations.js';
import type {ReportExtras, RunFacts} from './run-report.js';

export function reportExtras(facts: RunFacts): ReportExtras {
	const allocations = readAllocations(facts.runDir, facts.startedAtMs);
	if (facts.system) {
		return {allocations};
	}

	const executable = facts.command?.[0] ?? facts.attached?.split(' ')[0] ?? '';
	return {allocations, nextSteps: nextSteps({command: facts.command, pid: facts.pid, executable, traced: allocations !== undefined})};
}
