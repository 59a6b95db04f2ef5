/**
One run's pipeline, without the outside world: a sampler and a clock go in; the store, the sample
log, the assessment and the snapshots for the sinks come out. `commands/run.ts` adds the process,
the signals and the terminal; tests drive a Session with a fake clock and sampler.
*/
import path from 'node:path';
import {asShownAtEnd, assessAtEnd, keepOperationCount, workEndOf, type Assessment} from './analysis/index.js';
import type {QuarterSummary} from './analysis/quarters.js';
import {Monitor, type EndReason} from './monitor.js';
import {writeReports, type ReportOutputs} from './record/report.js';
import {reportExtras} from './record/extras.js';
import {replay} from './record/samples-reader.js';
import {buildReport, type RunEnd, type RunReport} from './record/run-report.js';
import {rowOf, SampleLog} from './record/sample-log.js';
import {ProcessTracker, readProcesses, writeProcesses} from './record/processes.js';
import {appendSplit} from './record/smaps-split.js';
import type {ProcessMemory, SystemMemory, TreeReading} from './sampler/types.js';
import {COUNT_SETTLED_SECONDS, SeriesStore} from './series.js';
import {ShownVerdict} from './shown-verdict.js';
import {chartWindow, type ChartWindow, type Zoom} from './ui/chart-window.js';
import type {Snapshot} from './snapshot.js';
import type {SessionOptions} from './session-options.js';

export type {SessionOptions} from './session-options.js';

/** How many processes a Processes panel lists at most (dashboard.ts panelRows: five rows, a heading and four). */
const PANEL_PROCESSES = 8;

/** The first partial report, at most this far into a run (then every `checkpointMs`). */
export const FIRST_CHECKPOINT_MS = 30_000;

/** The pipeline of one run. */
export class Session {
	readonly store: SeriesStore;
	readonly sampleLog: SampleLog;
	readonly monitor: Monitor;
	readonly #options: SessionOptions;
	readonly #listeners = new Set<() => void>();
	readonly #end: Promise<EndReason>;
	#latest: TreeReading | undefined;
	#latestPss: {pss?: number | undefined; uss?: number | undefined; at: number} | undefined;
	#system: SystemMemory | undefined;
	#elapsedMs = 0;
	#assessment: Assessment | undefined;
	#notice: string | undefined;
	#ended: RunEnd | undefined;
	#lastCheckpoint = 0;
	#checkpoints = 0;
	readonly #offsetMs: number;
	#pendingMark: string | undefined;
	/** The workload's latest operation count, waiting for the sample that anchors it. */
	#pendingOperations: number | undefined;
	readonly #shown: ShownVerdict;
	/** The tree's largest process as last seen (PID and name: an exec changes the name; its RSS as last read), whose executable facts hold. */
	#largest: {readonly pid: number; readonly name: string; rss: number} | undefined;
	/** facts.workloadExecutable changed since it was last handed on (at a checkpoint, or the end). */
	#executableChanged = false;
	/** Each process of the tree, first → last (processes.csv, with the reports). */
	readonly #processes: ProcessTracker;
	/** The programs of the latest reading, by PID. */
	#programs: Map<number, string> | undefined;
	/** The command lines the tree ran at the reading before (#programsStarted). */
	#commands = new Set<string>();
	/** The root's malloc heap at its first smaps read 10 s in, and at its latest. */
	#heapFirst: number | undefined;
	#heapLast: number | undefined;

	constructor(options: SessionOptions) {
		this.#options = options;
		const {clock, facts} = options;
		this.#shown = new ShownVerdict(options.analysis, clock, options.verdictBaseMs ?? 5000, facts.durationMs);
		this.store = new SeriesStore({baseWidth: facts.intervalMs / 1000, spawned: facts.command !== undefined && facts.system !== true});
		const resume = options.resume;
		this.#processes = new ProcessTracker(resume ? readProcesses(facts.runDir) : []);
		this.#offsetMs = resume?.offsetMs ?? 0;
		this.#pendingMark = resume?.mark;
		if (resume) {
			replay(this.store, resume.samples);
			this.store.workEnd = workEndOf(this.#processes.spans, at => this.store.levelAt(at));
			this.#elapsedMs = (resume.samples.t.at(-1) ?? 0) * 1000;
			this.#lastCheckpoint = this.#offsetMs;
		}

		this.sampleLog = new SampleLog(path.join(facts.runDir, 'samples.csv'), clock.now(), undefined, facts.system ? 'system' : 'process', () => {
			options.onFolderRecreated?.();
			this.#notice = 'the run folder was deleted: memmon made it again, with every sample so far';
		});
		let resolveEnd: (reason: EndReason) => void = () => {};
		this.#end = new Promise(resolve => {
			resolveEnd = resolve;
		});
		this.monitor = new Monitor({
			clock,
			sampler: options.sampler,
			intervalMs: facts.intervalMs,
			startup: options.resume ? undefined : options.startup,
			beforeRead: options.beforeRead,
			durationMs: facts.durationMs === undefined ? undefined : Math.max(0, facts.durationMs - this.#offsetMs),
			listener: {
				onSample: (reading, at) => {
					this.#onSample(reading, at);
				},
				onGap: (_error, at) => {
					this.#elapsedMs = at + this.#offsetMs;
					this.store.addGap();
					this.publish();
				},
				onEnd: resolveEnd,
			},
		});
	}

	#onSample(reading: TreeReading, monitorAt: number): void {
		const {clock, facts, sampler, checkpointMs} = this.#options;
		const at = monitorAt + this.#offsetMs;
		const mark = this.#pendingMark;
		this.#pendingMark = undefined;
		if (mark !== undefined) {
			this.store.mark({t: at / 1000, label: mark});
		}

		this.#elapsedMs = at;
		this.#latest = reading;
		// Milliseconds, as samples.csv keeps them: `memmon analyze` then replays exactly this store.
		const t = Math.round(at) / 1000;
		if (this.#pendingOperations !== undefined) {
			const point = {t, count: this.#pendingOperations};
			if (facts.operationsFrom === undefined) {
				facts.operationsFrom = point;
				this.store.loadedBy(t);
			}

			keepOperationCount(facts.operationCounts ??= [], point);
			this.#pendingOperations = undefined;
		}

		if (reading.pss !== undefined || reading.uss !== undefined) {
			this.#latestPss = {pss: reading.pss, uss: reading.uss, at};
		}

		const started = facts.system ? undefined : this.#programsStarted(reading);
		this.store.add({t, rss: reading.rss, hwm: reading.hwm, pss: reading.pss, swap: reading.swap, threads: reading.threads, fds: reading.fds, anon: reading.anon, file: reading.file, shmem: reading.shmem, started});
		this.#assessment = undefined;
		this.sampleLog.append(rowOf(reading, t, facts.startedAtMs + at, mark, started), clock.now());
		if (reading.split) {
			appendSplit(facts.runDir, t, reading.split);
			if (t >= COUNT_SETTLED_SECONDS) {
				this.#heapFirst ??= reading.split.heap;
				this.#heapLast = reading.split.heap;
			}
		}

		this.#followLargest(reading);
		if (!facts.system) {
			this.#processes.add(t, reading.processes);
			// Where the work ended changes only where a process ended, to one that ended then.
			const ended = this.#processes.ended;
			if (ended.length > 0) {
				this.store.workEnd = workEndOf(ended, at => this.store.levelAt(at), t) ?? this.store.workEnd;
			}
		}

		if (reading.system) {
			this.#system = reading.system;
		} else if (this.#options.machineMemory ?? true) {
			void sampler.system().then(value => {
				this.#system = value;
			});
		}
		// The first checkpoint comes early, so there is a report to read (and memmon's own report
		// path has run once) within the first half minute rather than after five.
		if (at - this.#lastCheckpoint >= (this.#checkpoints === 0 ? Math.min(checkpointMs, FIRST_CHECKPOINT_MS) : checkpointMs)) {
			this.#lastCheckpoint = at;
			this.#checkpoints++;
			this.writePartial();
		}

		this.publish();
	}

	/**
	The RSS of the programs that started in the tree since the reading before: processes it did not
	have, and processes whose program changed (an exec). 0 for the first reading. A script that
	waits, or runs a small step, before it starts the workload shows its start here, and the level
	without it (StartupRestarts).
	A new process with the command line of one the tree ran at the reading before is another worker
	of a workload under way, not a program starting: a pre-fork Python server replacing a worker
	every 8–12 minutes (as gunicorn's --max-requests does) began its start-up again at each, and 40
	minutes in read "Growth +21.2 MiB since start-up ended at 32m 37s" (+15.5 since its warm-up's
	end): a leak its workers' replacement did not reset would have been measured from the latest one.
	The whole command line, not the name: `node --test` starts each test file in a Node of its own,
	which loads a runtime as the first did.
	*/
	#programsStarted(reading: TreeReading): number {
		const before = this.#programs;
		const now = new Map<number, string>();
		let started = 0;
		for (const process of reading.processes) {
			now.set(process.pid, process.name);
			const was = before?.get(process.pid);
			if (before !== undefined && was !== process.name && (was !== undefined || process.command === undefined || !this.#commands.has(process.command))) {
				started += process.rss;
			}
		}

		this.#programs = now;
		this.#commands = new Set(reading.processes.flatMap(process => process.command === undefined ? [] : [process.command]));
		return started;
	}

	/**
	The executable of the tree's largest process, read again when that process changes or execs: where
	the command is a wrapper (`npm run`, a pyenv shim, `sh -c`), what to run next fits the program
	that holds the memory, not the wrapper ("heaptrack pytest …" for a Python test).
	*/
	#followLargest(reading: TreeReading): void {
		const {facts, sampler} = this.#options;
		const largest = reading.processes[0];
		if (facts.system || !largest) {
			return;
		}

		const followed = this.#largest;
		if (followed?.pid === largest.pid && followed.name === largest.name) {
			followed.rss = largest.rss;
			return;
		}

		// Not to one under half the size of the one followed, as that one was last read: where the
		// workload exited and the command went on (`sh -c 'node test.js; sleep 30'`), what to run next
		// is for Node, not for `sleep`.
		if (followed) {
			followed.rss = reading.processes.find(process => process.pid === followed.pid && process.name === followed.name)?.rss ?? followed.rss;
			if (largest.rss < followed.rss / 2) {
				return;
			}
		}

		this.#largest = {pid: largest.pid, name: largest.name, rss: largest.rss};
		const executable = sampler.executable?.(largest.pid);
		if (executable !== undefined && executable !== facts.workloadExecutable) {
			facts.workloadExecutable = executable;
			this.#executableChanged = true;
		}
	}

	/** With the reports: processes.csv, and a changed executable (run.json; not each time two processes swap places). */
	#recordProcesses(): void {
		writeProcesses(this.#options.facts.runDir, this.#processes.spans);
		if (this.#executableChanged) {
			this.#executableChanged = false;
			this.#options.onWorkloadExecutable?.();
		}
	}

	/** Start sampling; resolves with the reason the monitor stopped. */
	async run(): Promise<EndReason> {
		this.monitor.start();
		return this.#end;
	}

	/** Stop sampling (a key, a signal, the workload exiting). A mark still waiting for its sample gets one first. */
	stop(reason: EndReason): void {
		if (this.#pendingMark !== undefined) {
			this.monitor.sampleNow(true);
		}

		this.monitor.stop(reason);
	}

	/** Milliseconds since the start, as of the last sample. */
	get elapsedMs(): number {
		return this.#elapsedMs;
	}

	/** Mark the run: a sample taken now starts a new phase with this label. */
	mark(label: string): void {
		this.#pendingMark = this.#pendingMark === undefined ? label : `${this.#pendingMark}; ${label}`;
		this.#notice = `mark: ${label}`;
		this.monitor.sampleNow();
		this.publish();
	}

	/**
	The workload printed its operation count (--ops-pattern). The first is anchored to a sample taken
	right away: growth per operation counts from there (analysis/gates.ts perOperations). Later ones
	are kept at the next sample, so the operations done by a later warm-up's end are known.
	*/
	operationsCounted(count: number): void {
		const first = this.#options.facts.operationsFrom === undefined && this.#pendingOperations === undefined;
		this.#pendingOperations = count;
		if (first) {
			this.monitor.sampleNow();
		}
	}

	/** Listen for new data; returns the unsubscribe. */
	subscribe(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	/** Tell every listener there is something new. */
	publish(): void {
		for (const listener of this.#listeners) {
			listener();
		}
	}

	/** `--heap-snapshots`: what grew in the Node heap, for the screen. */
	heapLine: string | undefined;

	/** The processes of the latest good reading, largest first (none before one, or for --system). */
	get processes(): readonly ProcessMemory[] {
		return this.#options.facts.system ? [] : this.#latest?.processes ?? [];
	}

	/** `--heap-snapshots`: take a heap snapshot now (the `h` key); undefined without. */
	heapSnapshot: (() => void) | undefined;

	/** A message for the status line. */
	set notice(text: string | undefined) {
		this.#notice = text;
	}

	/**
	The assessment, computed at most once per sample. On screen a verdict shows only once it has
	held (shown-verdict.ts); until then it is "undecided".
	*/
	assessment(): Assessment {
		this.#assessment ??= this.#shown.assess(this.store, this.#elapsedMs);
		return this.#assessment;
	}

	/** The quarter averages alone (the assessment has them too; the store keeps them cheap). */
	quarters(): QuarterSummary | undefined {
		return this.#assessment?.quarters ?? this.store.quarters();
	}

	/** The final assessment: the pipeline's verdict at the end, if it held over the last tenth of the run (assessAtEnd), else the one the screen shows (asShownAtEnd). */
	finalAssessment(): Assessment {
		return asShownAtEnd(assessAtEnd(this.store, this.#options.analysis), this.assessment());
	}

	/** The chart's data for `columns`, with the warm-up end and a detected step marked. */
	chart(columns: number, zoom: Zoom): ChartWindow {
		const growth = this.assessment().growth;
		const t0 = this.store.first?.t ?? 0;
		const extra = [];
		if (growth.warmupEnd) {
			extra.push({t: t0 + growth.warmupEnd, label: growth.warmupOpen ? 'warm-up so far' : 'warm-up end', symbol: 'W'});
		}

		if (growth.step) {
			extra.push({t: t0 + growth.step.at, label: 'step', symbol: 'S'});
		}

		return chartWindow(this.store, columns, zoom, extra);
	}

	/** The first levels of the processes the panel can list (the largest few), by PID. */
	#processFirst(): Map<number, number> | undefined {
		if (this.#options.facts.system || !this.#latest) {
			return undefined;
		}

		const first = new Map<number, number>();
		for (const process of this.#latest.processes.slice(0, PANEL_PROCESSES)) {
			const level = this.#processes.firstOf(process.pid);
			if (level !== undefined) {
				first.set(process.pid, level);
			}
		}

		return first;
	}

	/** What the sinks show. */
	snapshot(): Snapshot {
		const {facts, targetText, spawned, tail} = this.#options;
		// eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters below read the session.
		const session = this;
		let assessment: Assessment | undefined;
		let quarterSummary: {value: QuarterSummary | undefined} | undefined;
		const elapsedMs = this.#elapsedMs;
		const pss = this.#latestPss;
		return {
			label: facts.label,
			target: targetText,
			pid: facts.pid,
			mode: facts.system ? 'system' : 'process',
			spawned,
			children: facts.children,
			intervalMs: facts.intervalMs,
			durationMs: facts.durationMs,
			elapsedMs,
			samples: this.store.count,
			failed: this.store.failed,
			now: this.#latest,
			processFirst: this.#processFirst(),
			pss: pss ? {pss: pss.pss, uss: pss.uss, ageMs: elapsedMs - pss.at} : undefined,
			first: this.store.afterStartup?.rss,
			min: this.store.min,
			peak: this.store.max?.value,
			hwm: this.store.hwm,
			threads: this.store.threads,
			fds: this.store.fds,
			kinds: this.store.kinds,
			kindGrowth: this.store.kindGrowth(),
			heapLine: this.heapLine,
			heapKey: this.heapSnapshot !== undefined,
			heapGrowth: this.#heapFirst === undefined || this.#heapLast === undefined ? undefined : this.#heapLast - this.#heapFirst,
			system: this.#system,
			memoryLimit: facts.memoryLimit?.bytes,
			// Computed when first read (a plain line needs only the quarters), then kept: a snapshot
			// held on to (the paused screen's) goes on showing what it showed.
			get assessment(): Assessment {
				assessment ??= session.assessment();
				return assessment;
			},
			get quarters(): QuarterSummary | undefined {
				quarterSummary ??= {value: assessment?.quarters ?? session.quarters()};
				return quarterSummary.value;
			},
			// A copy: the workload's tail moves on, a snapshot (the paused screen's) does not.
			logTail: [...tail],
			diskError: this.sampleLog.error,
			folderRecreated: this.sampleLog.recreated,
			runDir: facts.runDir,
			ended: this.#ended?.text,
			notice: this.#notice,
		};
	}

	/** The report as of now; final when `end` is given. */
	report(end?: RunEnd): RunReport {
		const {facts} = this.#options;
		return buildReport(facts, this.store, end ? this.finalAssessment() : this.assessment(), this.#elapsedMs / 1000, end, reportExtras(facts, end !== undefined));
	}

	/** Rewrite the reports with `partial: true` (checkpoint, `r`). */
	writePartial(): void {
		this.#recordProcesses();
		try {
			writeReports(this.report());
			this.#notice = `report written ${new Date(this.#options.clock.wallNow()).toISOString().slice(11, 19)}`;
		} catch (error) {
			this.#notice = `cannot write report: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
		}
	}

	/** Close the log and write the final reports (and the extras). Returns the report and any write error. */
	finish(end: RunEnd, outputs: ReportOutputs = {}): {report: RunReport; writeError: string | undefined} {
		this.#ended = end;
		this.#options.sampler.close();
		this.sampleLog.close(this.#options.clock.now());
		// processes.csv first: the report reads it (as memmon analyze does).
		this.#recordProcesses();
		const report = this.report(end);
		let writeError: string | undefined;
		try {
			writeReports(report, outputs);
		} catch (error) {
			writeError = (error as NodeJS.ErrnoException).code ?? String(error);
		}

		this.publish();
		return {report, writeError};
	}
}
