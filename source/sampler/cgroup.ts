/**
The memory limit a process runs under: its cgroup's, the tightest of the cgroup and the ones above
it. Inside a container or a CI job with a limit, /proc/meminfo still shows the host's memory (22 GiB
available beside a 2-GiB limit), and it is the limit at which the kernel kills the process.
cgroup v2: `memory.max` ("max" for none) in the unified hierarchy; v1: `memory.limit_in_bytes` in
the memory controller's, where "none" reads as a number near 2⁶³. A container may see its own
cgroup as the root of the hierarchy while /proc/PID/cgroup names the host's path: every folder
along that path is tried (those that do not exist give nothing), the root's too.
*/
import fs from 'node:fs';
import path from 'node:path';

/** A memory limit: its bytes and the file that set it. */
export type MemoryLimit = {readonly bytes: number; readonly file: string};

/** Where procfs and the cgroup hierarchies are mounted (tests point these at a folder of their own). */
export type CgroupRoots = {readonly proc: string; readonly cgroup: string};

const ROOTS: CgroupRoots = {proc: '/proc', cgroup: '/sys/fs/cgroup'};

/** v1's "no limit" is PAGE_COUNTER_MAX pages, rounded: anything from 2⁶² up is none. */
const NO_LIMIT = 2 ** 62;

function readLimit(file: string): number | undefined {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8').trim();
	} catch {
		return undefined;
	}

	const bytes = Number(text);
	return /^\d+$/.test(text) && bytes < NO_LIMIT ? bytes : undefined;
}

/** The folder `relative` names below `base`, and each above it up to `base`. */
function along(base: string, relative: string): string[] {
	const folders = [base];
	let current = base;
	for (const part of relative.split('/').filter(Boolean)) {
		current = path.join(current, part);
		folders.push(current);
	}

	return folders;
}

/**
The memory limit of process `pid` ('self' for memmon's own), or undefined where there is none (or
no cgroup to read: another system, a hierarchy not mounted).
*/
export function memoryLimit(pid: number | 'self', roots: CgroupRoots = ROOTS): MemoryLimit | undefined {
	let text: string;
	try {
		text = fs.readFileSync(path.join(roots.proc, String(pid), 'cgroup'), 'utf8');
	} catch {
		return undefined;
	}

	// Lines "ID:CONTROLLERS:PATH": v1's memory controller where it is mounted, else v2's "0::PATH".
	let v1: string | undefined;
	let v2: string | undefined;
	for (const line of text.split('\n')) {
		const [id, controllers, relative] = [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1, line.lastIndexOf(':')), line.slice(line.lastIndexOf(':') + 1)];
		if (controllers.split(',').includes('memory')) {
			v1 = relative;
		} else if (id === '0' && controllers === '') {
			v2 = relative;
		}
	}

	const [base, relative, name] = v1 === undefined ? [roots.cgroup, v2, 'memory.max'] : [path.join(roots.cgroup, 'memory'), v1, 'memory.limit_in_bytes'];
	if (relative === undefined) {
		return undefined;
	}

	let tightest: MemoryLimit | undefined;
	for (const folder of along(base, relative)) {
		const file = path.join(folder, name);
		const bytes = readLimit(file);
		if (bytes !== undefined && (tightest === undefined || bytes < tightest.bytes)) {
			tightest = {bytes, file};
		}
	}

	return tightest;
}
