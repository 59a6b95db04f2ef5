/**
PSS, USS and RSS by mapping from /proc/PID/smaps_rollup and /proc/PID/smaps: the costly reads
(the kernel walks every page of every mapping), made on the PSS cadence only.
*/
import {kbField} from './procfs.js';

/** PSS and USS (private clean + private dirty) from /proc/PID/smaps_rollup, in bytes. */
export function parseSmapsRollup(text: string): {pss?: number | undefined; uss?: number | undefined; swap?: number | undefined} {
	const clean = kbField(text, 'Private_Clean:');
	const dirty = kbField(text, 'Private_Dirty:');
	return {
		pss: kbField(text, '\nPss:'),
		uss: clean === undefined || dirty === undefined ? undefined : clean + dirty,
		swap: kbField(text, '\nSwap:'),
	};
}

/** Resident bytes of one process by mapping, from /proc/PID/smaps: they add up to `rss`. */
export type SmapsSplit = {
	/** The malloc heap grown with brk (`[heap]`). */
	readonly heap: number;
	/** The main thread's stack (`[stack]`; other threads' stacks are anonymous mappings the kernel does not name). */
	readonly stack: number;
	/** Other anonymous mappings: mmap'd malloc arenas and big blocks, VM heaps, thread stacks. */
	readonly anon: number;
	/** Mappings of files: the executable, libraries, mapped data. */
	readonly file: number;
	/** Shared memory: /dev/shm, memfd, System V segments. */
	readonly shmem: number;
	readonly rss: number;
	readonly pss: number;
	readonly uss: number;
	readonly swap: number;
};

/**
/proc/PID/smaps summed by kind of mapping, in bytes. A mapping's header line names it (after the
inode, the sixth field): `[heap]`, `[stack]`, a path, a shared-memory object, or nothing.
*/
export function parseSmapsSplit(text: string): SmapsSplit {
	const split = {heap: 0, stack: 0, anon: 0, file: 0, shmem: 0, rss: 0, pss: 0, uss: 0, swap: 0};
	let kind: 'heap' | 'stack' | 'anon' | 'file' | 'shmem' = 'anon';
	for (const line of text.split('\n')) {
		const colon = line.indexOf(':');
		// A mapping's header: "start-end perms offset dev inode [name]" (no colon before the device).
		if (colon === -1 || /^[\da-f]+-[\da-f]+ /.test(line)) {
			const fields = line.trim().split(/\s+/);
			if (fields.length < 5) {
				continue;
			}

			const name = fields.slice(5).join(' ');
			kind = name === '[heap]' ? 'heap'
				: name === '[stack]' ? 'stack'
					: name.startsWith('/dev/shm/') || name.startsWith('/memfd:') || name.startsWith('/SYSV') || name === '[anon_shmem]' ? 'shmem'
						: name.startsWith('/') ? 'file' : 'anon';
			continue;
		}

		const key = line.slice(0, colon);
		if (key !== 'Rss' && key !== 'Pss' && key !== 'Private_Clean' && key !== 'Private_Dirty' && key !== 'Swap') {
			continue;
		}

		const bytes = Number.parseInt(line.slice(colon + 1), 10) * 1024;
		if (!Number.isFinite(bytes)) {
			continue;
		}

		if (key === 'Rss') {
			split[kind] += bytes;
			split.rss += bytes;
		} else if (key === 'Pss') {
			split.pss += bytes;
		} else if (key === 'Swap') {
			split.swap += bytes;
		} else {
			split.uss += bytes;
		}
	}

	return split;
}
