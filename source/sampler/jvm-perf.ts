/**
A HotSpot JVM's heap, read from the performance counters it publishes in a memory-mapped file
(`/tmp/hsperfdata_USER/PID`, what `jstat` reads): no attach, no agent, no flag, nothing run in
the JVM, a 32 KiB read. The file is found through the process's own mappings, so a JVM in a
container (another /tmp, another PID inside) or one started with another user is found too; a
JVM run with `-XX:-UsePerfData` has none, and then there is no reading.

The layout (HotSpot's perfMemory.hpp, version 2.0 since JDK 1.4.2):

```
 prologue (32 bytes)                         entry (at entry_offset, then each entry_length on)
 ┌───────┬──┬──┬──┬──┬────┬────┬───────┬─────┬─────┐   ┌──────┬──────┬──────┬────┬─┬─┬─┬──────┐
 │ magic │bo│mj│mn│ac│used│ovfl│mod_ts │e_off│count│   │length│name_o│vector│type│f│u│v│data_o│
 └───────┴──┴──┴──┴──┴────┴────┴───────┴─────┴─────┘   └──────┴──────┴──────┴────┴─┴─┴─┴──────┘
   magic: big-endian; bo: byte order of every number after it (1: little-endian); type 'J': a 64-bit long
   (vector 0), 'B': bytes (a NUL-ended string)
```
*/
import fs from 'node:fs';

/** The counters of one JVM: longs and strings by name (`sun.gc.generation.1.space.0.used`). */
export type PerfCounters = ReadonlyMap<string, number | string>;

/** One JVM's heap at one reading, in bytes. */
export type JvmHeapReading = {
	/**
	Objects that survived a collection: every space but eden (which each young collection empties,
	and which a reading finds at any fill), live or not yet reached by an old collection.
	*/
	readonly used: number;
	/** What the JVM has committed to the heap: the most its heap can hold in RSS now. */
	readonly committed: number;
	/** The most it may commit (-Xmx; without it, a quarter of the machine's memory). */
	readonly max: number;
	/** Collections so far: young ones, and the others (full, concurrent cycles). */
	readonly youngGcs: number;
	readonly oldGcs: number;
	/** The collector's name, as the JVM gives it (GarbageFirst, ParallelGC, Copy:MSC…). */
	readonly collector: string;
};

const MAGIC = 0xca_fe_c0_c0;
const PROLOGUE_BYTES = 32;
const ENTRY_HEADER_BYTES = 20;

/** The counters in a hsperfdata file's bytes; undefined when they are not one (wrong magic, cut short). */
export function parsePerfData(bytes: Uint8Array): PerfCounters | undefined {
	if (bytes.length < PROLOGUE_BYTES) {
		return undefined;
	}

	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const little = view.getUint8(4) === 1;
	// The magic is big-endian on every machine; the numbers after it are in the byte order's.
	if (view.getUint32(0, false) !== MAGIC || view.getUint8(5) !== 2) {
		return undefined;
	}

	const counters = new Map<string, number | string>();
	let offset = view.getInt32(24, little);
	const count = view.getInt32(28, little);
	for (let i = 0; i < count && offset >= PROLOGUE_BYTES && offset + ENTRY_HEADER_BYTES <= bytes.length; i++) {
		const length = view.getInt32(offset, little);
		const nameAt = offset + view.getInt32(offset + 4, little);
		const vector = view.getInt32(offset + 8, little);
		const type = String.fromCodePoint(view.getUint8(offset + 12));
		const dataAt = offset + view.getInt32(offset + 16, little);
		if (length <= 0 || offset + length > bytes.length) {
			break;
		}

		const name = text(bytes, nameAt, offset + length);
		if (type === 'J' && vector === 0 && dataAt + 8 <= offset + length) {
			counters.set(name, Number(view.getBigInt64(dataAt, little)));
		} else if (type === 'B' && vector > 0) {
			counters.set(name, text(bytes, dataAt, Math.min(dataAt + vector, offset + length)));
		}

		offset += length;
	}

	return counters;
}

/** The NUL-ended text at `from`, read no further than `to`. */
function text(bytes: Uint8Array, from: number, to: number): string {
	let end = from;
	while (end < to && bytes[end] !== 0) {
		end++;
	}

	return Buffer.from(bytes.buffer, bytes.byteOffset + from, end - from).toString('latin1');
}

/** Collectors whose generations each report the whole heap as their maximum (their regions move between them). */
const REGIONAL = /^(GarbageFirst|Shenandoah|Z)/;

/** The heap in a JVM's counters; undefined when they have none (not a HotSpot heap: another VM, or one still starting). */
export function jvmHeapOf(counters: PerfCounters): JvmHeapReading | undefined {
	const long = (name: string): number | undefined => {
		const value = counters.get(name);
		return typeof value === 'number' ? value : undefined;
	};

	const collector = counters.get('sun.gc.policy.name');
	const generations = long('sun.gc.policy.generations') ?? 0;
	let used = 0;
	let committed = 0;
	let max = 0;
	for (let g = 0; g < generations; g++) {
		const prefix = `sun.gc.generation.${g}`;
		committed += long(`${prefix}.capacity`) ?? 0;
		const most = long(`${prefix}.maxCapacity`) ?? 0;
		max = typeof collector === 'string' && REGIONAL.test(collector) ? Math.max(max, most) : max + most;
		for (let s = 0; s < (long(`${prefix}.spaces`) ?? 0); s++) {
			used += counters.get(`${prefix}.space.${s}.name`) === 'eden' ? 0 : long(`${prefix}.space.${s}.used`) ?? 0;
		}
	}

	if (generations === 0 || committed === 0) {
		return undefined;
	}

	let oldGcs = 0;
	for (let c = 1; long(`sun.gc.collector.${c}.invocations`) !== undefined; c++) {
		oldGcs += long(`sun.gc.collector.${c}.invocations`) ?? 0;
	}

	return {used, committed, max, youngGcs: long('sun.gc.collector.0.invocations') ?? 0, oldGcs, collector: typeof collector === 'string' ? collector : 'unknown'};
}

/** A hsperfdata file's name in a mappings line: `…/hsperfdata_USER/PID`. */
const PERF_FILE = /\s(\/\S*\/hsperfdata_[^/\s]+\/\d+)$/m;

/**
Where a process's hsperfdata file is, seen from here: the file it maps, under its own root (a
container's /tmp is not ours). Undefined for a process that maps none — not a JVM, or one run with
-XX:-UsePerfData — or one gone or not ours to read.
*/
export function perfDataPath(pid: number): string | undefined {
	let maps: string;
	try {
		maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8');
	} catch {
		return undefined;
	}

	const found = PERF_FILE.exec(maps)?.[1];
	return found === undefined ? undefined : `/proc/${pid}/root${found}`;
}

/** One reading of the heap in the hsperfdata file at `file`; undefined when it cannot be read or holds none. */
export function readJvmHeap(file: string): JvmHeapReading | undefined {
	let bytes: Uint8Array;
	try {
		bytes = fs.readFileSync(file);
	} catch {
		return undefined;
	}

	const counters = parsePerfData(bytes);
	return counters ? jvmHeapOf(counters) : undefined;
}

/** A mapping's head line in smaps: `start-end perms offset dev inode [path]`. */
const MAPPING = /^([\da-f]+)-([\da-f]+) (\S+) \S+ \S+ (\d+)\s*(\S*)/;

/** How far a run of mappings may be from the heap's maximum and its committed size, together, as a share of each. */
const HEAP_FIT = 0.05;

/**
The RSS of a JVM's heap: the run of adjacent anonymous mappings (committed rw-p, reserved ---p)
that spans its maximum heap and whose writable part is what it has committed — the run that fits
both best, within 5% summed (glibc's arenas make runs of 64 MiB multiples: one can span as much
as a small heap, but not with the heap's writable share) — read from /proc/PID/smaps. Undefined
where no run fits, or smaps cannot be read. A JVM's smaps is a few hundred mappings: read every
few seconds it costs about a millisecond.
*/
export function heapReservationRss(pid: number, max: number, committed: number): number | undefined {
	let text: string;
	try {
		text = fs.readFileSync(`/proc/${pid}/smaps`, 'utf8');
	} catch {
		return undefined;
	}

	const runs: Array<{size: number; writable: number; rss: number}> = [];
	let run: {size: number; writable: number; rss: number} | undefined;
	let end = -1;
	for (const line of text.split('\n')) {
		const mapping = MAPPING.exec(line);
		if (mapping) {
			const low = Number.parseInt(mapping[1]!, 16);
			const high = Number.parseInt(mapping[2]!, 16);
			if (mapping[4] !== '0' || mapping[5] !== '') {
				run = undefined;
			} else {
				if (!run || low !== end) {
					run = {size: 0, writable: 0, rss: 0};
					runs.push(run);
				}

				run.size += high - low;
				run.writable += mapping[3]!.startsWith('rw') ? high - low : 0;
			}

			end = high;
		} else if (run && line.startsWith('Rss:')) {
			run.rss += Number.parseInt(line.slice(4), 10) * 1024;
		}
	}

	const misfit = (candidate: {size: number; writable: number}): number => (Math.abs(candidate.size - max) / max) + (Math.abs(candidate.writable - committed) / committed);
	const best = runs.filter(candidate => misfit(candidate) <= HEAP_FIT).sort((a, b) => misfit(a) - misfit(b))[0];
	return best?.rss;
}
