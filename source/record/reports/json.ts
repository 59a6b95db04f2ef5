/** report.json: the report for machines. Bytes, seconds, bytes per hour. */
import type {Growth, Threshold} from '../../analysis/index.js';
import type {Count} from '../../series.js';
import type {RunReport} from '../run-report.js';

function countJson(count: Count | undefined): {first: number; last: number; peak: number} | null {
	return count ? {first: count.first, last: count.last, peak: count.peak} : null;
}

/** Render the report as pretty JSON with a trailing newline. */
export function renderJsonReport(report: RunReport): string {
	const {facts, memory, assessment} = report;
	const q = assessment.quarters;
	const growth = assessment.growth;
	return `${JSON.stringify({
		memmon: facts.version,
		label: facts.label,
		command: facts.command ?? null,
		pid: facts.system || facts.pid === 0 ? null : facts.pid,
		system: facts.system === true,
		series: facts.system ? 'used' : 'rss',
		children: facts.children,
		host: facts.host,
		// The cgroup memory limit the target ran under, and the file that set it; null where none.
		memory_limit: facts.memoryLimit ? {bytes: facts.memoryLimit.bytes, file: facts.memoryLimit.file} : null,
		started_at: facts.startedAtMs === 0 ? null : new Date(facts.startedAtMs).toISOString(),
		interval_seconds: facts.intervalMs / 1000,
		duration_limit_seconds: facts.durationMs === undefined ? null : facts.durationMs / 1000,
		partial: report.partial,
		status: report.partial ? 'running' : (report.end?.reason === 'stopped' && report.end.by !== 'q' ? 'interrupted' : 'finished'),
		end: report.end ?? null,
		elapsed_seconds: report.elapsedSeconds,
		samples: report.samples,
		failed_samples: report.failedSamples,
		operations: facts.operations ?? null,
		growth_per_100k_operations_bytes: report.perOperations?.bytes ?? null,
		// The workload's first count (--ops-pattern), at the sample after it: the operations count from it.
		operations_counted_from: facts.operationsFrom ? {t_seconds: facts.operationsFrom.t, operations: facts.operationsFrom.count} : null,
		// What growth per 100K operations counts from: the first count, or a later start-up's or warm-up's end.
		operations_since: report.perOperations?.since ?? null,
		operations_since_seconds: report.perOperations?.fromSeconds ?? null,
		// The counts as they came (at most 256, thinned evenly): the operations done by any moment.
		operation_counts: facts.operationCounts?.map(point => [point.t, point.count]) ?? null,
		memory: {
			initial_bytes: memory.initial ?? null,
			// 0 for the first sample; for a spawned command, when its runtime had loaded.
			initial_at_seconds: memory.initialAt ?? null,
			final_bytes: memory.final ?? null,
			min_bytes: memory.min ?? null,
			peak_sampled_bytes: memory.peakSampled ?? null,
			peak_sampled_at_seconds: memory.peakSampledAtSeconds ?? null,
			peak_hwm_bytes: memory.peakHwm ?? null,
			growth_bytes: memory.growth ?? null,
		},
		// first: once start-up was over (10 s in), or the first sample's in a shorter run.
		threads: countJson(report.counts.threads),
		fds: countJson(report.counts.fds),
		rss_by_mapping_bytes: report.mappings ? {
			reads: report.mappings.reads,
			processes: report.mappings.processes ?? null,
			heap: countJson(report.mappings.heap),
			stack: countJson(report.mappings.stack),
			anon: countJson(report.mappings.anon),
			file: countJson(report.mappings.file),
			shmem: countJson(report.mappings.shmem),
			largest_mismatch_with_vmrss: report.mappings.mismatch ?? null,
		} : null,
		js_heap_bytes: report.jsHeap ? {
			full_collections: report.jsHeap.collections,
			processes: report.jsHeap.processes,
			heaps_without_full_collection: report.jsHeap.uncollected,
			from_seconds: report.jsHeap.fromSeconds,
			to_seconds: report.jsHeap.toSeconds,
			live: {first: report.jsHeap.live.first, last: report.jsHeap.live.last},
			heap_size: {first: report.jsHeap.size.first, last: report.jsHeap.size.last},
			external: {first: report.jsHeap.external.first, last: report.jsHeap.external.last},
		} : null,
		jvm_heap_bytes: report.jvmHeap ? {
			pid: report.jvmHeap.pid,
			collector: report.jvmHeap.collector,
			readings: report.jvmHeap.readings,
			from_seconds: report.jvmHeap.fromSeconds,
			to_seconds: report.jvmHeap.toSeconds,
			used_lowest: {first: report.jvmHeap.used.first, last: report.jvmHeap.used.last},
			committed: {first: report.jvmHeap.committed.first, last: report.jvmHeap.committed.last},
			max: report.jvmHeap.max,
			young_gcs: report.jvmHeap.youngGcs,
			old_gcs: report.jvmHeap.oldGcs,
		} : null,
		// Each process of the tree, in the order first seen; first: a second after it started.
		processes: report.processes.map(span => ({pid: span.pid, name: span.name, first_seconds: span.firstSeconds, first_rss_bytes: span.firstRss, last_seconds: span.lastSeconds, last_rss_bytes: span.lastRss, peak_rss_bytes: span.peakRss})),
		rss_by_kind_bytes: report.counts.kinds ? {anon: countJson(report.counts.kinds.anon), file: countJson(report.counts.kinds.file), shmem: countJson(report.counts.kinds.shmem)} : null,
		next_steps: report.nextSteps,
		allocations: report.allocations ? {
			tool: report.allocations.tool,
			from_seconds: report.allocations.fromSeconds ?? null,
			to_seconds: report.allocations.toSeconds ?? null,
			lines: report.allocations.lines.map(line => ({where: line.where, size_bytes: line.size, count: line.count})),
			note: report.allocations.note ?? null,
		} : null,
		heap: report.heap ? {
			tool: report.heap.tool,
			pid: report.heap.pid ?? null,
			from_seconds: report.heap.fromSeconds ?? null,
			to_seconds: report.heap.toSeconds ?? null,
			classes: report.heap.classes.map(row => ({name: row.name, count: row.count, size_bytes: row.size, retained_bytes: row.retained})),
			path: report.heap.path ?? null,
			note: report.heap.note ?? null,
		} : null,
		quarters: q === undefined ? null : {
			averages_bytes: q.averages,
			// Quarters (0–3) with no sample in them, whose average is the level across the gap.
			gaps: q.gaps ?? [],
			centres_seconds: q.centres,
			milestones_bytes: q.milestones,
			// Seconds in of the first milestone: a spawned command's level once loaded; 0 for the first sample.
			initial_at_seconds: q.initialAt ?? 0,
			growth_bytes: q.growth,
			rate_bytes_per_hour: q.ratePerHour,
		},
		least_squares_bytes_per_hour: assessment.leastSquares ?? null,
		growth: {
			method: growth.method,
			...growthJson(growth),
			step: growth.step ? {size_bytes: growth.step.size, at_seconds: growth.step.at} : null,
			growth_after_warmup_bytes: assessment.totalGrowth ?? null,
			growth_counted_from_seconds: assessment.growthFrom ?? null,
			growth_counted_from: assessment.growthSince ?? null,
			// Where the work's largest process ended before the run did, growth counts to there.
			growth_counted_to: assessment.growthUntil ? {seconds: assessment.growthUntil.t, pid: assessment.growthUntil.pid, process: assessment.growthUntil.name} : null,
			bands_bytes_per_hour: assessment.bands,
		},
		phases: report.phases.map(phase => ({
			label: phase.label,
			start_seconds: phase.startSeconds,
			end_seconds: phase.endSeconds,
			samples: phase.samples,
			min_bytes: phase.min,
			max_bytes: phase.max,
			mean_bytes: phase.mean,
			end_level_bytes: phase.endLevel,
			delta_bytes: phase.delta,
			rate_bytes_per_hour: phase.ratePerHour ?? null,
		})),
		thresholds: assessment.thresholds.map(thresholdJson),
	}, null, 2)}\n`;
}

/** The verdict and its rate for machines: the fields report.json, `analyze --json` and `--json` share. */
export function growthJson(growth: Growth) {
	return {
		verdict: growth.verdict,
		rate_bytes_per_hour: growth.rate ?? null,
		rate_low_bytes_per_hour: growth.low ?? null,
		rate_high_bytes_per_hour: growth.high ?? null,
		mann_kendall_p: growth.p ?? null,
		warmup_end_seconds: growth.warmupEnd ?? null,
		// The warm-up's end not found yet: warmup_end_seconds is how long it has lasted so far.
		warmup_open: growth.warmupOpen === true,
		pattern: growth.pattern ?? null,
		need_more_seconds: growth.needMore ?? null,
		// The note's "at least N min more": the wait should the warm-up's end be found where it is now
		// (need_more_seconds counts the estimate still moving on with the run).
		need_more_least_seconds: growth.needMoreLeast ?? growth.needMore ?? null,
		note: growth.note ?? null,
		undecided_reason: growth.verdict === 'undecided' ? growth.reason ?? null : null,
	};
}

/** A threshold for machines: raw numbers where there are some, the sentence beside them. */
export function thresholdJson(threshold: Threshold): {name: string; status: string; limit: number | string; value: number | string; text: string} {
	return {
		name: threshold.name,
		status: threshold.status,
		limit: threshold.limitValue ?? threshold.limit,
		value: threshold.actualValue ?? threshold.value,
		text: `${threshold.value} (limit ${threshold.limit})`,
	};
}
