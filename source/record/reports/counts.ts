/** Words every report shares: threads and open descriptors, RSS by kind, heap and allocation rows, the warm-up, the initial level. */
import type {Growth} from '../../analysis/index.js';
import type {MemoryLimit} from '../../sampler/cgroup.js';
import type {Count, Kinds} from '../../series.js';
import type {Allocations} from '../allocations.js';
import type {HeapDiff} from '../heap-diff.js';
import {type JsHeap, uncollectedPhrase} from '../js-heap.js';
import type {MappingKinds} from '../smaps-split.js';
import {type ProcessSpan, TRACKED_PER_SAMPLE} from '../processes.js';
import {formatBytes, formatBytesChange, formatDelta, formatDuration} from '../../units.js';

/** `12`, or `12 → 140` when the run ended elsewhere than it began; `—` when never read. */
export function countValue(count: Count | undefined): string {
	return count === undefined ? '—' : count.first === count.last ? String(count.last) : `${count.first} → ${count.last}`;
}

/** What the count did: grew (a thread or descriptor leak often comes with a memory leak), peaked, or held. */
export function countNote(count: Count | undefined): string {
	if (count === undefined) {
		return 'not readable here';
	}

	// A workload that closes its files on the way out ends low: the peak says what it reached.
	const peak = count.peak > count.last ? `peak ${count.peak}${count.peak > count.first ? ` (+${count.peak - count.first})` : ''}` : '';
	if (count.last > count.first) {
		return [`grew by ${count.last - count.first}`, peak].filter(Boolean).join(', ');
	}

	return peak || 'steady';
}

/** The RSS by kind as report rows: label, `first → last`, and the change. */
export function kindRows(kinds: Kinds | undefined): Array<[string, string, string]> {
	if (!kinds) {
		return [];
	}

	const rows: Array<[string, Count]> = [['RSS anonymous', kinds.anon], ['RSS file-backed', kinds.file], ['RSS shared (shmem)', kinds.shmem]];
	return rows.map(([label, count]) => [label, `${formatBytes(count.first)} → ${formatBytes(count.last)}`, formatDelta(count.last - count.first)]);
}

/** How many processes the rows name at most: those that grew most. */
const PROCESS_ROWS = 5;

/**
The tree's processes as report rows, where it had more than one: the ones that grew most, each
`first → last` with the change, when it joined (after the run's first second) and when it ended;
after a row saying how many there were. `end`: the run's elapsed seconds; `interval`: seconds
between samples (a process last seen more than two before the end had ended).
*/
export function processRows(processes: readonly ProcessSpan[], end: number, interval: number): Array<[string, string, string]> {
	if (processes.length < 2) {
		return [];
	}

	const grown = [...processes].sort((a, b) => (b.lastRss - b.firstRss) - (a.lastRss - a.firstRss)).slice(0, PROCESS_ROWS);
	// Fewer than TRACKED_PER_SAMPLE followed: no reading had more, so they were all of them; else
	// "followed": of each reading only the largest TRACKED_PER_SAMPLE join.
	const of = processes.length < TRACKED_PER_SAMPLE ? `${processes.length}` : `the ${processes.length} followed`;
	const shown = grown.length < processes.length ? `the ${grown.length} that grew most of ${of}` : `all ${processes.length}`;
	return [
		['RSS by process', '', `${shown}, each from where it had loaded`],
		...grown.map((span): [string, string, string] => {
			const when = [
				span.firstSeconds > 2 ? `from ${formatDuration(span.firstSeconds * 1000)}` : '',
				span.lastSeconds < end - Math.max(2 * interval, 1) ? `ended at ${formatDuration(span.lastSeconds * 1000)}` : '',
				span.peakRss > Math.max(span.firstRss, span.lastRss) ? `peak ${formatBytes(span.peakRss)}` : '',
			].filter(Boolean);
			return [`  ${span.name} (${span.pid})`, formatBytesChange(span.firstRss, span.lastRss), [formatDelta(span.lastRss - span.firstRss), ...when].join(' · ')];
		}),
	];
}

/** The tree's RSS by mapping (smaps) as report rows, after a row saying what they are. */
export function mappingRows(mappings: MappingKinds | undefined): Array<[string, string, string]> {
	if (!mappings) {
		return [];
	}

	const rows: Array<[string, Count]> = [['  malloc heap [heap]', mappings.heap], ['  main stack', mappings.stack], ['  other anonymous', mappings.anon], ['  files', mappings.file], ['  shared memory', mappings.shmem]];
	const adds = mappings.mismatch === undefined ? '' : `; the parts are within ${(mappings.mismatch * 100).toFixed(mappings.mismatch < 0.001 ? 2 : 1)}% of VmRSS`;
	// One read shows what the memory held then: "1.6 MiB → 1.6 MiB ±0 B" would say nothing changed.
	const once = mappings.reads === 1;
	const at = mappings.points[0]?.[0];
	const reads = once ? `one read${at === undefined ? '' : ` at ${formatDuration(at * 1000)}`}, so no change to show` : `${mappings.reads} reads`;
	return [
		['RSS by mapping', '', `smaps${mappings.processes === undefined ? '' : ` of ${mappings.processes === 1 ? 'the process' : `${mappings.processes} processes`}`}, ${reads}${adds}`],
		...rows.map(([label, count]): [string, string, string] => once ? [label, formatBytes(count.last), ''] : [label, `${formatBytes(count.first)} → ${formatBytes(count.last)}`, formatDelta(count.last - count.first)]),
	];
}

/**
`--js-heap` as report rows, after a row saying what they are: the objects live after a full
collection (the lowest reading of the first and of the last quarter of the time the collections
span: one reading can catch a batch in flight), V8's heap size and Buffers, first → last.
*/
export function jsHeapRows(heap: JsHeap | undefined): Array<[string, string, string]> {
	if (!heap) {
		return [];
	}

	const once = heap.collections === 1;
	const span = once ? `one, at ${formatDuration(heap.toSeconds * 1000)}` : `${heap.collections}, ${formatDuration(heap.fromSeconds * 1000)} → ${formatDuration(heap.toSeconds * 1000)}`;
	const processes = heap.processes === 1 ? 'the Node process' : `${heap.processes} Node processes`;
	const rows: Array<[string, {first: number; last: number}]> = [['  objects live', heap.live], ['  V8\'s heap size', heap.size], ['  Buffers (external)', heap.external]];
	return [
		['JS heap after full GCs', '', `${processes}; full collections: ${span}${heap.uncollected > 0 ? `; ${uncollectedPhrase(heap.uncollected)} (not counted)` : ''}`],
		...rows.map(([label, count]): [string, string, string] => once ? [label, formatBytes(count.last), ''] : [label, `${formatBytes(count.first)} → ${formatBytes(count.last)}`, formatDelta(count.last - count.first)]),
	];
}

/** The title of the heap section: which snapshots were compared, of which process. */
export function heapTitle(heap: HeapDiff): string {
	const at = (seconds: number | undefined): string => seconds === undefined ? '—' : formatDuration(seconds * 1000);
	return `JavaScript objects that grew (heap snapshots${heap.pid === undefined ? '' : ` of PID ${heap.pid}`}, ${at(heap.fromSeconds)} → ${at(heap.toSeconds)})`;
}

/** The heap diff as rows: instances added, their own bytes added, bytes they retain added, constructor. */
export function heapRows(heap: HeapDiff): Array<[string, string, string, string]> {
	return heap.classes.map(row => [`+${row.count.toLocaleString('en-US')}`, formatDelta(row.size), formatDelta(row.retained), row.name]);
}

/** The title of the allocations section: which snapshots were compared. */
export function allocationsTitle(allocations: Allocations): string {
	const at = (seconds: number | undefined): string => seconds === undefined ? 'the start of tracing' : formatDuration(seconds * 1000);
	return `Python allocations that stayed (tracemalloc, ${at(allocations.fromSeconds)} → ${allocations.toSeconds === undefined ? 'no end snapshot' : at(allocations.toSeconds)})`;
}

/** The allocations as rows: bytes added, blocks added, `file:line`. */
export function allocationRows(allocations: Allocations): Array<[string, string, string]> {
	return allocations.lines.map(line => [formatDelta(line.size), `${line.count >= 0 ? '+' : ''}${line.count.toLocaleString('en-US')} blocks`, line.where]);
}

/** Where a memory limit comes from, and how near the run's peak came to it: "cgroup (/sys/fs/cgroup/…/memory.max); the peak at 73% of it". */
export function limitNote(limit: MemoryLimit, peak: number | undefined): string {
	const share = peak === undefined ? '' : `; the peak at ${Math.round(peak / limit.bytes * 100)}% of it`;
	return `cgroup (${limit.file})${share}`;
}

/** The "Initial" level's note: `once loaded, at 801ms` for a spawned command's level after its runtime loaded (`initialAt` seconds in); '' for the first sample. */
export function initialNote(initialAt: number | undefined): string {
	return initialAt ? `once loaded, at ${formatDuration(initialAt * 1000)}` : '';
}

/** `a 2m 10s warm-up`, or `a warm-up of 4m 35s so far (its end not found yet)` while the rise may not be over; undefined without one. */
export function warmupPhrase(growth: Growth): string | undefined {
	if (!growth.warmupEnd) {
		return undefined;
	}

	const duration = formatDuration(growth.warmupEnd * 1000);
	return growth.warmupOpen ? `a warm-up of ${duration} so far (its end not found yet)` : `a ${duration} warm-up`;
}
