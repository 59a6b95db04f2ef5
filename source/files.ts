/** Folders on disk. */
import fs from 'node:fs';
import path from 'node:path';

/**
`mkdir -p`, without Node's recursive mkdir: that spins forever at 100% of a core when a parent
exists but cannot hold children (a folder under /proc, a link to an unmounted disk), on every Node
line. Walks up to the nearest existing ancestor, then creates down; throws the first error.
*/
export function makeDirectory(dir: string): void {
	const missing: string[] = [];
	let at = path.resolve(dir);
	for (;;) {
		const stat = fs.statSync(at, {throwIfNoEntry: false});
		if (stat) {
			break;
		}

		const parent = path.dirname(at);
		missing.push(at);
		if (parent === at) {
			break;
		}

		at = parent;
	}

	for (const folder of missing.reverse()) {
		try {
			fs.mkdirSync(folder);
		} catch (error) {
			// Made meanwhile, or a dangling link: the next step, or the caller's write, says which.
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		}
	}
}

/**
Write all of `data` at the file's position. `fs.writeSync` writes what fits and returns how much:
on a nearly full disk the first call writes part and returns, and only the next one throws ENOSPC
(a report.html cut at 16 KiB replaced the whole one a checkpoint had written).
*/
export function writeAll(fd: number, data: string | Uint8Array): void {
	const buffer = typeof data === 'string' ? Buffer.from(data) : data;
	for (let offset = 0; offset < buffer.length;) {
		offset += fs.writeSync(fd, buffer, offset, buffer.length - offset);
	}
}
