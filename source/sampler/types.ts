import type {SmapsSplit} from './smaps.js';
/** The identity of a process: its PID and its start time after boot, in clock ticks. */
export type Identity = {readonly pid: number; readonly startTime: number};

/** Memory of one process, in bytes; a field the platform cannot give is `undefined`, never 0. */
export type ProcessMemory = {
	readonly pid: number;
	readonly name: string;
	/** Its command line, where read (procfs): another process with the same one is another worker of the same program. */
	readonly command?: string | undefined;
	readonly rss: number;
	readonly hwm?: number | undefined;
	readonly swap?: number | undefined;
	readonly anon?: number | undefined;
	readonly file?: number | undefined;
	readonly shmem?: number | undefined;
	readonly pss?: number | undefined;
	readonly uss?: number | undefined;
	/** CPU use since the previous reading, in percent of one core. */
	readonly cpu?: number | undefined;
	/** Threads, and open file descriptors (absent where /proc/PID/fd cannot be listed). */
	readonly threads?: number | undefined;
	readonly fds?: number | undefined;
	/** This process's RSS by mapping (smaps), on the samples where PSS was read. */
	readonly split?: SmapsSplit | undefined;
	/** VmRSS read beside the split (just before or after it, whichever is nearer to its sum). */
	readonly splitRss?: number | undefined;
};

/** One reading of the whole target: the root process and its descendants. */
export type TreeReading = {
	readonly kind: 'ok';
	/** RSS of the tree, summed. */
	readonly rss: number;
	/** VmHWM of the root process: the kernel's peak, which sees spikes between samples. */
	readonly hwm?: number | undefined;
	readonly swap?: number | undefined;
	/** PSS/USS of the tree, present only on the samples where they were read. */
	readonly pss?: number | undefined;
	readonly uss?: number | undefined;
	readonly cpu?: number | undefined;
	/** Threads and open file descriptors of the tree, summed over the processes that show them. */
	readonly threads?: number | undefined;
	readonly fds?: number | undefined;
	/** RSS by kind (RssAnon, RssFile, RssShmem of every process, summed): they add up to `rss`. */
	readonly anon?: number | undefined;
	readonly file?: number | undefined;
	readonly shmem?: number | undefined;
	/** The processes, largest first. */
	readonly processes: readonly ProcessMemory[];
	/** The tree's RSS by mapping (each process's smaps, summed), on the samples where PSS was read. */
	readonly split?: TreeSplit | undefined;
	/** The machine's memory, when read in the same sample (`--system`: `rss` is its `used`). */
	readonly system?: SystemMemory | undefined;
};

/** The smaps split of the processes of a tree, summed, with their VmRSS read beside it and how many they were. */
export type TreeSplit = SmapsSplit & {readonly statusRss: number; readonly processes: number};

/** What one attempt to sample can come to. */
export type Reading =
	| TreeReading
	| {readonly kind: 'gone'}
	| {readonly kind: 'failed'; readonly error: string};

/** Memory of the whole machine, in bytes. */
export type SystemMemory = {
	readonly total: number;
	readonly available: number;
	readonly used: number;
	readonly free: number;
	readonly buffersCache?: number | undefined;
	readonly swapTotal?: number | undefined;
	readonly swapUsed?: number | undefined;
};

/** A source of readings for one target. */
export type Sampler = {
	/** Read the target once. Never throws: a vanished target is `gone`, anything else `failed`. */
	sample(): Promise<Reading>;
	/**
	The same reading without a promise, where the read is synchronous anyway (procfs): the monitor
	then samples and re-arms its timer inside the timer's own callback.
	*/
	sampleSync?(): Reading;
	/** Read the machine's memory, when the platform can. */
	system(): Promise<SystemMemory | undefined>;
	/** The executable a process of the tree runs (/proc/PID/exe), where the platform tells. */
	executable?(pid: number): string | undefined;
	/** Release file descriptors. */
	close(): void;
};
