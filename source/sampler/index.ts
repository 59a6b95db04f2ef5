/** Choose the sampler for this platform. */
import {hasProcfs} from './procfs.js';
import {PidusageSampler} from './pidusage.js';
import {ProcfsSampler} from './tree.js';
import type {Identity, Sampler} from './types.js';

/** What a sampler needs to know. */
export type SamplerOptions = {
	readonly target: Identity;
	readonly children: boolean;
	readonly pssEveryMs: number;
	/** Space PSS reads by their cost: this share of a core at most (see ProcfsSamplerOptions). */
	readonly pssCostShare?: number | undefined;
	readonly now: () => number;
	/** Force a sampler; by default procfs where it exists. */
	readonly kind?: 'procfs' | 'pidusage' | undefined;
};

/** The procfs sampler on Linux, pidusage elsewhere. */
export function createSampler(options: SamplerOptions): Sampler {
	const kind = options.kind ?? (hasProcfs() ? 'procfs' : 'pidusage');
	if (kind === 'procfs') {
		return new ProcfsSampler(options);
	}

	return new PidusageSampler({pid: options.target.pid, children: options.children});
}

export type {Reading, Sampler, SystemMemory, TreeReading, ProcessMemory} from './types.js';
export type {Identity} from './types.js';
