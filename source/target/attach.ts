/** Attach to a running process by PID. Never signals it. */
import fs from 'node:fs';
import {UsageError} from '../errors.js';
import type {Identity} from '../sampler/types.js';
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

	const status = readStatus(pid);
	if (status !== undefined && /^State:\s+Z/m.test(status)) {
		throw new UsageError(`PID ${pid} is a zombie: it has exited and waits for its parent to reap it; there is no memory to watch`);
	}

	if (status !== undefined && !/^VmRSS:/m.test(status)) {
		const name = /^Name:\s*(.*)$/m.exec(status)?.[1] ?? '?';
		throw new UsageError(`PID ${pid} (${name}) is a kernel thread: it has no memory of its own to watch; give the PID of a user process`);
	}

	return identity;
}

function readStatus(pid: number): string | undefined {
	try {
		return fs.readFileSync(`/proc/${pid}/status`, 'latin1');
	} catch {
		return undefined;
	}
}
