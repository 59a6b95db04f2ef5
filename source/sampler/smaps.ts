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
	// One pass over the text without splitting it: ~20 lines a mapping, five of them read. A field
	// line starts with its capitalised key; a mapping's header with an address in lower-case hex.
	// (Split into lines and matched by a regular expression each, a 3,000-line smaps took 2–4 ms
	// to parse in memmon, which reads it rarely and so never optimised: more than the kernel's read.)
	let start = 0;
	while (start < text.length) {
		let end = text.indexOf('\n', start);
		if (end === -1) {
			end = text.length;
		}

		const first = text.charCodeAt(start);
		if (first >= 65 && first <= 90) {
			const key = text.startsWith('Rss:', start) ? 'rss'
				: text.startsWith('Pss:', start) ? 'pss'
					: text.startsWith('Private_Clean:', start) || text.startsWith('Private_Dirty:', start) ? 'uss'
						: text.startsWith('Swap:', start) ? 'swap' : undefined;
			if (key !== undefined) {
				const bytes = Number.parseInt(text.slice(text.indexOf(':', start) + 1, end), 10) * 1024;
				if (Number.isFinite(bytes)) {
					split[key] += bytes;
					if (key === 'rss') {
						split[kind] += bytes;
					}
				}
			}
		} else {
			// A mapping's header: "start-end perms offset dev inode [name]".
			const line = text.slice(start, end);
			if (/^[\da-f]+-[\da-f]+ /.test(line)) {
				const fields = line.trim().split(/\s+/);
				if (fields.length >= 5) {
					const name = fields.slice(5).join(' ');
					kind = name === '[heap]' ? 'heap'
						: name === '[stack]' ? 'stack'
							: name.startsWith('/dev/shm/') || name.startsWith('/memfd:') || name.startsWith('/SYSV') || name === '[anon_shmem]' ? 'shmem'
								: name.startsWith('/') ? 'file' : 'anon';
				}
			}
		}

		start = end + 1;
	}

	return split;
}
