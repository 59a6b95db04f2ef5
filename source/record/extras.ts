/**
What a report says beyond the samples, read where the run left it: the Python lines of a
`--tracemalloc` run and the Node heap diff of a `--heap-snapshots` run and the heap after full collections of a
`--js-heap` run and a JVM's heap from its counters (its run folder), and the
tools that fit the target (its runtime, and what is installed here). The live run and `memmon
analyze` both call this.
*/
import {nextSteps} from '../target/next-steps.js';
import {readAllocations} from './allocations.js';
import {readHeapDiff} from './heap-diff.js';
import {readJsHeap} from './js-heap.js';
import {readJvmHeap} from './jvm-heap.js';
import {readProcesses} from './processes.js';
import {readMappingKinds} from './smaps-split.js';
import type {ReportExtras, RunFacts} from './run-report.js';

/** `ended`: the run is over (a partial report's snapshots at the end are still to come). */
export function reportExtras(facts: RunFacts, ended = true): ReportExtras {
	const allocations = readAllocations(facts.runDir, facts.startedAtMs, ended);
	const heap = readHeapDiff(facts.runDir, facts.startedAtMs, ended);
	if (facts.system) {
		return {allocations, heap};
	}

	const mappings = readMappingKinds(facts.runDir);

	const executable = facts.workloadExecutable ?? facts.command?.[0] ?? facts.attached?.split(' ')[0] ?? '';
	const jsHeap = readJsHeap(facts.runDir, facts.startedAtMs);
	return {allocations, heap, mappings, jsHeap, jvmHeap: readJvmHeap(facts.runDir), processes: readProcesses(facts.runDir), nextSteps: nextSteps({command: facts.command, pid: facts.pid, executable, traced: allocations !== undefined || heap !== undefined, jsHeap: jsHeap !== undefined, javaOptions: [process.env.JAVA_TOOL_OPTIONS, process.env.JDK_JAVA_OPTIONS, process.env._JAVA_OPTIONS].filter(Boolean).join(' ')})};
}
