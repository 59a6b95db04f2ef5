/**
The sampler for platforms without procfs (macOS, BSDs, Windows): pidusage for RSS and CPU%,
`ps` for the child list where there is one. Fields these cannot give (PSS, USS, swap, peak) stay
absent.

pidusage keeps one descriptor per PID for `maxage` (60 s) on Linux and its `clear()` forgets
them without closing; `maxage: 0` never closes them at all. memmon therefore keeps the default
`maxage` (descriptors are reused and expire) and only uses this sampler where procfs is missing
or when asked to with MEMMON_SAMPLER=pidusage.
*/
import {execFile} from 'node:child_process';
import type pidusageModule from 'pidusage';

/** pidusage, loaded on first use: Linux runs never need it (and its ~4 MiB). */
let loaded: typeof pidusageModule | undefined;
async function pidusage(): Promise<typeof pidusageModule> {
	loaded ??= (await import('pidusage')).default;
	return loaded;
}
import {readSystemMemory} from './system.js';
import {walkDown} from './descendants.js';
import type {ProcessMemory, Reading, Sampler, SystemMemory} from './types.js';

/** Parse `ps -A -o pid= -o ppid=` output and return the descendants of `root`. */
export function descendantsFromPs(text: string, root: number): number[] {
	const byParent = new Map<number, number[]>();
	for (const line of text.split('\n')) {
		const [pid, ppid] = line.trim().split(/\s+/).map(Number);
		if (pid !== undefined && ppid !== undefined && Number.isFinite(pid) && Number.isFinite(ppid)) {
			byParent.set(ppid, [...byParent.get(ppid) ?? [], pid]);
		}
	}

	return walkDown(byParent, root);
}

async function listDescendants(root: number): Promise<number[]> {
	if (process.platform === 'win32') {
		return [];
	}

	return new Promise(resolve => {
		execFile('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], (error, stdout) => {
			resolve(error ? [] : descendantsFromPs(stdout, root));
		});
	});
}

/** Options of the pidusage sampler. */
export type PidusageSamplerOptions = {
	readonly pid: number;
	readonly children: boolean;
};

/** pidusage behind the common interface. */
export class PidusageSampler implements Sampler {
	readonly #options: PidusageSamplerOptions;

	constructor(options: PidusageSamplerOptions) {
		this.#options = options;
	}

	async sample(): Promise<Reading> {
		const {pid} = this.#options;
		const pids = this.#options.children ? [pid, ...await listDescendants(pid)] : [pid];
		let stats: Record<string, pidusageModule.Status | undefined>;
		try {
			stats = await (await pidusage())(pids);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT' || code === 'ESRCH' || /no matching pid/i.test(String((error as Error).message))) {
				return {kind: 'gone'};
			}

			return {kind: 'failed', error: String((error as Error).message)};
		}

		const root = stats[pid];
		if (!root) {
			return {kind: 'gone'};
		}

		const processes: ProcessMemory[] = [];
		let rss = 0;
		let cpu = 0;
		for (const each of pids) {
			const stat = stats[each];
			if (stat) {
				processes.push({pid: each, name: String(each), rss: stat.memory, cpu: stat.cpu});
				rss += stat.memory;
				cpu += stat.cpu;
			}
		}

		processes.sort((a, b) => b.rss - a.rss);
		return {kind: 'ok', rss, cpu, processes};
	}

	async system(): Promise<SystemMemory | undefined> {
		return readSystemMemory();
	}

	close(): void {
		loaded?.clear();
	}
}
