/** What a session is given: its clock, sampler and facts, and how it reports, checkpoints and resumes. */
import type {AnalysisConfig} from './analysis/index.js';
import type {Clock} from './clock.js';
import type {ParsedSamples} from './record/samples-reader.js';
import type {RunFacts} from './record/run-report.js';
import type {Sampler} from './sampler/types.js';

/** What a session needs. */
export type SessionOptions = {
	readonly clock: Clock;
	readonly sampler: Sampler;
	readonly facts: RunFacts;
	/** `PID 1234` or the command line, for the header. */
	readonly targetText: string;
	readonly spawned: boolean;
	/** The workload's last output lines; the session only reads it. */
	readonly tail: readonly string[];
	/** Rewrite the reports this often (partial: true). */
	readonly checkpointMs: number;
	readonly analysis: AnalysisConfig;
	/** A shorter interval for the run's first seconds (options.ts: STARTUP_MS); not on a resumed run. */
	readonly startup?: {readonly intervalMs: number; readonly untilMs: number} | undefined;
	/** Before each read: the spawned workload's output read, for its marks (Monitor's `beforeRead`). */
	readonly beforeRead?: (() => void) | undefined;
	/** Called after the run folder (or samples.csv) was deleted mid-run and samples.csv made again: write back what else belongs there (run.json). */
	readonly onFolderRecreated?: () => void;
	/** Called with the reports (a checkpoint, the end) when the tree's largest process has run another executable since (facts.workloadExecutable): record it (run.json). */
	readonly onWorkloadExecutable?: () => void;
	/**
	Recompute the robust verdict at most this often at the start of a run (see `verdictEveryMs`):
	5 s for the live screen (the default), longer when only checkpoints, NDJSON or metrics read it.
	*/
	readonly verdictBaseMs?: number | undefined;
	/**
	Read the machine's memory (/proc/meminfo) with every sample, for the live screen's panel and
	NDJSON (default true). The plain line does not show it: without a reader it is not read.
	*/
	readonly machineMemory?: boolean | undefined;
	/** Continuing a run after memmon died: what was recorded, and where elapsed time goes on. */
	readonly resume?: {
		/** What samples.csv held. */
		readonly samples: ParsedSamples;
		/** Elapsed milliseconds of the first new sample (after the last recorded one, plus the gap). */
		readonly offsetMs: number;
		/** Written in the mark column of the first new sample. */
		readonly mark: string;
	} | undefined;
};
