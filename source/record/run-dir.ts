/**
The run folder: `<report-dir>/<label>-<YYYYMMDD-HHMMSS>/`, checked for writing before sampling
starts — an unwritable folder is an error now, not after 24 hours.
*/
import fs from 'node:fs';
import path from 'node:path';
import {UsageError} from '../errors.js';
import {makeDirectory, writeAll} from '../files.js';

/** Format a wall time as `YYYYMMDD-HHMMSS` in UTC. */
export function folderStamp(wallMs: number): string {
	const iso = new Date(wallMs).toISOString();
	return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

function problem(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	switch (code) {
		case 'EACCES':
		case 'EPERM': {
			return 'permission denied';
		}

		case 'EROFS': {
			return 'read-only file system';
		}

		case 'ENOSPC': {
			return 'no space left on device';
		}

		case 'ENOENT': {
			return 'a folder on its path cannot hold folders: a broken link, or a file system like /proc';
		}

		case 'ENOTDIR':
		case 'EEXIST': {
			return 'a file is in the way';
		}

		default: {
			return code ?? (error instanceof Error ? error.message : String(error));
		}
	}
}

/** Create a fresh run folder and prove it writable; throws a usage error naming the fix. */
export function createRunDir(reportDir: string, label: string, wallMs: number): string {
	const base = path.resolve(reportDir);
	try {
		makeDirectory(base);
	} catch (error) {
		throw new UsageError(`cannot create report folder ${reportDir} (${problem(error)}): choose another with --report-dir`);
	}

	const stamp = `${label}-${folderStamp(wallMs)}`;
	let dir = path.join(base, stamp);
	for (let n = 2; fs.existsSync(dir); n++) {
		dir = path.join(base, `${stamp}-${n}`);
	}

	try {
		fs.mkdirSync(dir);
		const probe = path.join(dir, '.write-test');
		fs.writeFileSync(probe, 'ok');
		fs.rmSync(probe);
	} catch (error) {
		throw new UsageError(`cannot write to report folder ${reportDir} (${problem(error)}): choose another with --report-dir`);
	}

	pointLatest(base, path.basename(dir));
	return dir;
}

/** Remove a run folder made for a run that could not start, and `latest` with it when it points there. */
export function discardRunDir(dir: string): void {
	fs.rmSync(dir, {recursive: true, force: true});
	const link = path.join(path.dirname(dir), 'latest');
	try {
		if (fs.readlinkSync(link) === path.basename(dir)) {
			fs.rmSync(link, {force: true});
		}
	} catch {}
}

/** Make `<report-dir>/latest` point at the newest run folder (best effort). */
function pointLatest(base: string, name: string): void {
	const link = path.join(base, 'latest');
	const temporary = path.join(base, `.latest-${process.pid}`);
	try {
		fs.rmSync(temporary, {force: true});
		fs.symlinkSync(name, temporary);
		fs.renameSync(temporary, link);
	} catch {
		fs.rmSync(temporary, {force: true});
	}
}

/** Write a file atomically: a temporary file, fsync, rename. Readers see the old or the new. */
export function writeAtomic(file: string, text: string): void {
	const temporary = `${file}.tmp`;
	const fd = fs.openSync(temporary, 'w');
	try {
		writeAll(fd, text);
		fs.fsyncSync(fd);
	} catch (error) {
		// A full disk: no half-written temporary file is left behind.
		fs.closeSync(fd);
		fs.rmSync(temporary, {force: true});
		throw error;
	}

	fs.closeSync(fd);
	fs.renameSync(temporary, file);
}
