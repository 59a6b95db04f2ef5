/** Attach to a running process by PID. Never signals it. */
import {UsageError} from '../options.js';
import type {Identity} from '../sampler/tree.js';
import {readIdentity} from './identity.js';

/** Check that `pid` exists and can be read; return its identity or throw a usage error. */
export function attach(pid: number, read: typeof readIdentity = readIdentity): Identity {
	const identity = read(pid);
	if (identity === 'not-found') {
		throw new UsageError(`no process with PID ${pid}: check it with \`ps -p ${pid}\` (it may have exited)`);
	}

	if (identity === 'denied') {
		throw new UsageError(`not allowed to read the memory of PID ${pid}: run memmon as the process's user or as root`);
	}

	return identity;
}
