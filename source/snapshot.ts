/**
What the live view and the plain lines are given: a snapshot of the run, no behaviour. The
assessment and the quarters are computed when first read (a plain line needs only the quarters).
*/
import type {Assessment} from './analysis/index.js';
import type {QuarterSummary} from './analysis/quarters.js';
import type {ProcessMemory, SystemMemory} from './sampler/types.js';
import type {Count, KindGrowth, Kinds} from './series.js';

/** A snapshot of a run for the sinks. */
export type Snapshot = {
	readonly label: string;
	/** `PID 1234` or the command line. */
	readonly target: string;
	readonly pid: number;
	/** `system`: the machine is the target (`--system`); `now.rss` is its used memory. */
	readonly mode: 'process' | 'system';
	readonly spawned: boolean;
	readonly children: boolean;
	readonly intervalMs: number;
	readonly durationMs: number | undefined;
	readonly elapsedMs: number;
	readonly samples: number;
	readonly failed: number;
	/** The latest good reading. */
	readonly now: {
		readonly rss: number;
		readonly pss?: number | undefined;
		readonly uss?: number | undefined;
		readonly swap?: number | undefined;
		readonly cpu?: number | undefined;
		readonly processes: readonly ProcessMemory[];
	} | undefined;
	/** Each listed process's level a second after it started (RSS by process), by PID: the Processes panel's Δ. */
	readonly processFirst?: ReadonlyMap<number, number> | undefined;
	/** The latest PSS/USS (they are read at a lower cadence), and how old. */
	readonly pss: {readonly pss?: number | undefined; readonly uss?: number | undefined; readonly ageMs: number} | undefined;
	/** The level a plain line's Δ counts from: the first sample, or a spawned command's once its runtime has loaded (SeriesStore.afterStartup). */
	readonly first: number | undefined;
	readonly min: number | undefined;
	readonly peak: number | undefined;
	readonly hwm: number | undefined;
	/** Threads and open file descriptors of the tree: first, latest, largest. */
	readonly threads?: Count | undefined;
	readonly fds?: Count | undefined;
	/** RSS by kind (anonymous, file-backed, shared) over the run. */
	readonly kinds?: Kinds | undefined;
	/** How each kind moved from the first quarter to the last (SeriesStore.kindGrowth). */
	readonly kindGrowth?: KindGrowth | undefined;
	/** `--heap-snapshots`: what grew in the Node heap by the time the verdict turned, in one line. */
	readonly heapLine?: string | undefined;
	/** The `h` key takes a heap snapshot (`--heap-snapshots`). */
	readonly heapKey?: boolean | undefined;
	/** How the root's malloc heap (`[heap]`) moved from its first smaps read 10 s in to its last. */
	readonly heapGrowth?: number | undefined;
	readonly system: SystemMemory | undefined;
	/** The cgroup memory limit the target runs under, bytes, where it has one. */
	readonly memoryLimit?: number | undefined;
	readonly assessment: Assessment;
	/** The quarter averages: the same as `assessment.quarters`, without computing the rest. */
	readonly quarters: QuarterSummary | undefined;
	/** Last lines of the workload's output, oldest first. */
	readonly logTail: readonly string[];
	/** Set while the sample log cannot be written. */
	readonly diskError: string | undefined;
	/** How often the run folder (or samples.csv) was deleted mid-run and made again. */
	readonly folderRecreated: number;
	readonly runDir: string;
	/** Set once the run has ended. */
	readonly ended: string | undefined;
	/** A short message for the status line (e.g. "report written"). */
	readonly notice: string | undefined;
};
