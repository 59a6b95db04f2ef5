/** Memory of the whole machine, from /proc/meminfo (or `os` elsewhere). */
import os from 'node:os';
import {hasProcfs, parseMeminfo, readOnce} from './procfs.js';
import type {SystemMemory} from './types.js';

/** Read the machine's memory. On Linux from /proc/meminfo; elsewhere total and free from `os`. */
export function readSystemMemory(): SystemMemory | undefined {
	if (hasProcfs()) {
		const text = readOnce('/proc/meminfo');
		return text === undefined ? undefined : parseMeminfo(text);
	}

	const total = os.totalmem();
	const free = os.freemem();
	return {total, available: free, used: total - free, free};
}
