/**
A process is identified by (PID, start time): a PID alone can be handed to a new process once
the old one is gone, and memmon must never record a stranger.
*/
import fs from 'node:fs';
import {hasProcfs, parseStat} from '../sampler/procfs.js';
import type {Identity} from '../sampler/types.js';

/** Why a process could not be identified. */
export type IdentityProblem = 'not-found' | 'denied';

/** Read the identity of `pid`, or say why it cannot be read. */
export function readIdentity(pid: number): Identity | IdentityProblem {
	if (!hasProcfs()) {
		try {
			process.kill(pid, 0);
			return {pid, startTime: 0};
		} catch (error) {
			return (error as NodeJS.ErrnoException).code === 'EPERM' ? {pid, startTime: 0} : 'not-found';
		}
	}

	try {
		const stat = parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'latin1'));
		if (!stat || stat.state === 'Z' || stat.state === 'X') {
			return 'not-found';
		}

		// The sampler reads status too: check it here, before sampling starts.
		fs.accessSync(`/proc/${pid}/status`, fs.constants.R_OK);
		fs.readFileSync(`/proc/${pid}/status`, 'latin1');
		return {pid, startTime: stat.startTime};
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code === 'EACCES' || code === 'EPERM' ? 'denied' : 'not-found';
	}
}

/**
The command line of `pid` as one line (arguments joined by spaces, control characters dropped,
at most 200 characters), or `undefined` where /proc cannot tell.
*/
export function commandLine(pid: number): string | undefined {
	try {
		const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
		let text = raw.split('\0').filter(Boolean).join(' ');
		if (!text) {
			// A kernel thread, or a process that cleared its arguments: its name.
			text = `[${fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()}]`;
		}

		// Control characters are not printed: each run of them (and of spaces) is one space, so that
		// `python3 -c "import time<newline>time.sleep(9)"` reads "… import time time.sleep(9)", not "timetime".
		// eslint-disable-next-line no-control-regex -- control characters are what is replaced.
		return text.replaceAll(/[\s\u0000-\u001F\u007F-\u009F]+/g, ' ').trim().slice(0, 200) || undefined;
	} catch {
		return undefined;
	}
}

/** True while the process with this identity is alive (and not a zombie). */
export function isAlive(identity: Identity): boolean {
	const now = readIdentity(identity.pid);
	return typeof now === 'object' && now.startTime === identity.startTime;
}
