/**
The report of a run, as data: built from the store and the assessment. The renderers in reports/
read it; report.ts writes them. Bytes and seconds throughout.
*/
import type {Assessment, Verdict} from '../analysis/index.js';
import {perOperations, type OperationsFrom, type PerOperations} from '../analysis/index.js';
import type {MemoryLimit} from '../sampler/cgroup.js';
import type {Allocations} from './allocations.js';
import type {HeapDiff} from './heap-diff.js';
import type {JsHeap} from './js-heap.js';
import type {JvmHeap} from './jvm-heap.js';
import type {MappingKinds} from './smaps-split.js';
import type {ProcessSpan} from './processes.js';
import {phaseEndLevel, phaseRate, type Count, type Kinds, type SeriesStore} from '../series.js';

/** How a run ended, for people and machines. */
export type RunEnd = {
	/** `target-exited`, `duration`, or `stopped` (by a key, a signal or an error). */
	readonly reason: 'target-exited' | 'duration' | 'stopped';
	/** What stopped it: `q`, `SIGINT`, `SIGTERM`, `SIGHUP`, `error`. */
	readonly by?: string | undefined;
	/** The spawned command's exit code or signal, when memmon spawned it. */
	readonly exitCode?: number | null | undefined;
	readonly signal?: string | null | undefined;
	/** One line for the report. */
	readonly text: string;
};

/** Facts about the run that do not come from the samples. */
export type RunFacts = {
	readonly version: string;
	readonly label: string;
	readonly command?: readonly string[] | undefined;
	/** The command line of an attached process (--pid), as /proc showed it at the start. */
	readonly attached?: string | undefined;
	/** The process watched; 0 in a `--system` run, and where nothing recorded it (`memmon analyze` of a bare CSV). */
	readonly pid: number;
	/** `--system`: the machine is the target, and the series is its used memory. */
	readonly system?: boolean | undefined;
	readonly children: boolean;
	readonly host: string;
	/** Wall-clock start, epoch milliseconds; 0 where nothing recorded it (`memmon analyze` of a bare CSV). */
	readonly startedAtMs: number;
	readonly intervalMs: number;
	readonly durationMs?: number | undefined;
	readonly runDir: string;
	/** Operations the workload did (--ops, or the last count --ops-pattern read from its output). */
	operations?: number | undefined;
	/** The count --ops-pattern had read by the first sample after its first line, at that sample: growth per operation counts from there. */
	operationsFrom?: OperationsFrom | undefined;
	/** The cgroup memory limit the target ran under (memmon's own for --system), where it had one (sampler/cgroup.ts). */
	memoryLimit?: MemoryLimit | undefined;
	/** Every count --ops-pattern read (the first too), each at the sample after it; thinned to at most 256. */
	operationCounts?: OperationsFrom[] | undefined;
	/**
	The executable of the tree's largest process, as last seen: the program that holds the memory
	where the command is a wrapper (`npm run`, a pyenv shim, `sh -c`). What to run next fits it.
	*/
	workloadExecutable?: string | undefined;
};

/** What was watched, in words: the command, the attached process's command line or `PID 1234`, or `system memory of HOST`. */
export function targetName(facts: RunFacts): string {
	if (facts.system) {
		return `system memory of ${facts.host}`;
	}

	return facts.command ? facts.command.join(' ') : facts.attached ?? (targetRecorded(facts) ? `PID ${facts.pid}` : 'not recorded (samples only)');
}

/** False for samples alone (another recorder's CSV): nothing says what was watched. */
export function targetRecorded(facts: RunFacts): boolean {
	return facts.system || facts.command !== undefined || facts.attached !== undefined || facts.pid !== 0;
}

/** When the run started, `YYYY-MM-DD HH:MM:SS` UTC; undefined where nothing recorded it. */
export function startedText(facts: RunFacts): string | undefined {
	return facts.startedAtMs === 0 ? undefined : new Date(facts.startedAtMs).toISOString().replace('T', ' ').slice(0, 19);
}

/** The series memmon charts and judges: a process tree's RSS, or the machine's used memory. */
export function seriesName(facts: RunFacts): string {
	return facts.system ? 'used memory' : 'RSS';
}

/** The report of one run. */
export type RunReport = {
	readonly facts: RunFacts;
	readonly partial: boolean;
	readonly end: RunEnd | undefined;
	readonly elapsedSeconds: number;
	readonly samples: number;
	readonly failedSamples: number;
	readonly memory: {
		/** The first sample's RSS; a spawned command's once its runtime had loaded (SeriesStore.afterStartup), `initialAt` seconds in. */
		readonly initial: number | undefined;
		readonly initialAt: number | undefined;
		readonly final: number | undefined;
		readonly min: number | undefined;
		readonly peakSampled: number | undefined;
		readonly peakSampledAtSeconds: number | undefined;
		/** VmHWM of the target process: catches spikes between samples. */
		readonly peakHwm: number | undefined;
		/** The last sample's RSS less `initial`. */
		readonly growth: number | undefined;
	};
	/** Threads and open file descriptors of the tree (first, last, largest), where they were read. */
	readonly counts: {readonly threads: Count | undefined; readonly fds: Count | undefined; readonly kinds: Kinds | undefined};
	/** Growth per 100K operations, where the run knows its operations. */
	readonly perOperations: PerOperations | undefined;
	/** `--tracemalloc`: the Python lines whose memory stayed. */
	readonly allocations: Allocations | undefined;
	/** `--heap-snapshots`: the constructors whose instances grew in the Node heap, and what holds them. */
	readonly heap: HeapDiff | undefined;
	/** The tree's RSS by mapping (smaps.csv), first read to last. */
	readonly mappings: MappingKinds | undefined;
	/** Each process of the tree, first → last (record/processes.ts); empty where none was recorded. */
	readonly processes: readonly ProcessSpan[];
	/** `--js-heap`: the Node workload's heap after its full collections. */
	readonly jsHeap: JsHeap | undefined;
	/** A JVM in the tree: its heap from its counters (record/jvm-heap.ts). */
	readonly jvmHeap: JvmHeap | undefined;
	/** Where to look next (a tool and its command line), when memory grew enough to ask. */
	readonly nextSteps: readonly string[];
	readonly assessment: Assessment;
	/** The phases between marks (one, `start`, when nothing was marked). */
	readonly phases: ReadonlyArray<{
		readonly label: string;
		readonly startSeconds: number;
		readonly endSeconds: number;
		readonly samples: number;
		readonly min: number;
		readonly max: number;
		readonly mean: number;
		/** End level minus the first sample of the phase. */
		readonly delta: number;
		readonly endLevel: number;
		readonly ratePerHour: number | undefined;
	}>;
	/** The run in at most 512 points (the store's buckets) and its marks, for the chart of report.html. */
	readonly series: {
		readonly points: ReadonlyArray<{readonly t: number; readonly mean: number; readonly min: number; readonly max: number; readonly pss?: number | undefined; readonly swap?: number | undefined; readonly kinds?: {readonly anon: number; readonly file: number; readonly shmem: number} | undefined}>;
		readonly marks: ReadonlyArray<{readonly t: number; readonly label: string}>;
	};
};

/** What a report says beyond the store: the Python lines (`--tracemalloc`), the Node heap (`--heap-snapshots`) and where to look next. */
export type ReportExtras = {readonly allocations?: Allocations | undefined; readonly heap?: HeapDiff | undefined; readonly mappings?: MappingKinds | undefined; readonly jsHeap?: JsHeap | undefined; readonly jvmHeap?: JvmHeap | undefined; readonly nextSteps?: readonly string[] | undefined; readonly processes?: readonly ProcessSpan[] | undefined};

/** True when memory grew enough to ask where it goes: a warning, failure or leak, one held back as a JVM's heap growing (-Xmx first), or a failed growth or rate gate. */
function growthConcerns(assessment: Assessment): boolean {
	const verdict = assessment.growth.verdict;
	return verdict === 'warning' || verdict === 'failure' || verdict === 'leak' || assessment.growth.reason === 'heap-sizing'
		|| assessment.thresholds.some(threshold => (threshold.name === 'growth' || threshold.name === 'rate') && threshold.status === 'fail');
}

/** Assemble the report from the store. */
export function buildReport(facts: RunFacts, store: SeriesStore, assessment: Assessment, elapsedSeconds: number, end: RunEnd | undefined, extras: ReportExtras = {}): RunReport {
	const max = store.max;
	const initial = store.afterStartup;
	return {
		facts,
		partial: end === undefined,
		end,
		elapsedSeconds,
		samples: store.count,
		failedSamples: store.failed,
		memory: {
			initial: initial?.rss,
			initialAt: initial && store.first ? initial.t - store.first.t : undefined,
			final: store.last?.rss,
			min: store.min,
			peakSampled: max?.value,
			peakSampledAtSeconds: max?.t,
			peakHwm: store.hwm,
			growth: initial && store.last ? store.last.rss - initial.rss : undefined,
		},
		counts: {threads: store.threads, fds: store.fds, kinds: store.kinds},
		perOperations: perOperations(store, assessment.totalGrowth === undefined || assessment.growthEnd === undefined ? undefined : {bytes: assessment.totalGrowth, from: assessment.growthFrom ?? 0, since: assessment.growthSince, end: assessment.growthEnd}, facts.operations, facts.operationsFrom, facts.operationCounts),
		allocations: extras.allocations,
		heap: extras.heap,
		mappings: extras.mappings,
		processes: extras.processes ?? [],
		jsHeap: extras.jsHeap,
		jvmHeap: extras.jvmHeap,
		nextSteps: growthConcerns(assessment) ? extras.nextSteps ?? [] : [],
		assessment,
		phases: store.phases.map(phase => ({
			label: phase.label,
			startSeconds: phase.start,
			endSeconds: phase.end,
			samples: phase.n,
			min: phase.min,
			max: phase.max,
			mean: phase.sum / phase.n,
			delta: phaseEndLevel(phase) - phase.first,
			endLevel: phaseEndLevel(phase),
			ratePerHour: phaseRate(phase),
		})),
		series: {
			points: store.buckets.map(bucket => ({
				t: bucket.sumT / bucket.n,
				mean: bucket.sum / bucket.n,
				min: bucket.min,
				max: bucket.max,
				pss: bucket.pssN > 0 ? bucket.pssSum / bucket.pssN : undefined,
				swap: bucket.swapN > 0 ? bucket.swapSum / bucket.swapN : undefined,
				kinds: bucket.kindN > 0 ? {anon: bucket.anonSum / bucket.kindN, file: bucket.fileSum / bucket.kindN, shmem: bucket.shmemSum / bucket.kindN} : undefined,
			})),
			marks: store.marks.filter(mark => mark.symbol === undefined).map(mark => ({t: mark.t, label: mark.label})),
		},
	};
}

/** The verdict word of a report. */
export function verdictOf(report: RunReport): Verdict {
	return report.assessment.growth.verdict;
}
