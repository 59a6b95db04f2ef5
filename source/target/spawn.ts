/**
Spawn the workload: argv, no shell, in its own process group so that memmon can stop the whole
group (the command and everything it started) and a Ctrl+C in the terminal reaches memmon, which
then stops the workload gracefully: SIGTERM, a grace period, then SIGKILL.
*/
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import {LogReader} from './workload-log.js';
import {workloadEnvironment} from '../environment.js';
import {UsageError} from '../errors.js';
import type {Identity} from '../sampler/types.js';
import {readIdentity} from './identity.js';

/** How the workload ended. */
export type WorkloadExit = {readonly code: number | null; readonly signal: NodeJS.Signals | null};

/** A process the workload started that runs on outside its process group; `writes` when it holds workload.log open. */
export type Escaped = {readonly pid: number; readonly name: string; readonly writes: boolean};

/**
The variable that marks the workload's processes: every process it starts inherits it, a server
that daemonizes (setsid, out of the group memmon stops) too, so it can be found at the end and
named, even with its output closed (`nginx`, `redis-server --daemonize yes`).
*/
export const WORKLOAD_MARK = 'MEMMON_WORKLOAD';

/** A running workload. */
export type Workload = {
	readonly pid: number;
	readonly identity: Identity;
	readonly exited: Promise<WorkloadExit>;
	/** True once the process has exited. */
	hasExited(): boolean;
	/** Processes the workload started that run on outside its group (setsid, daemons): marked by WORKLOAD_MARK, or holding the log open. */
	escaped(): Escaped[];
	/** What went wrong with the log, if anything (it was emptied at its cap, or could not be read). */
	logProblem(): string | undefined;
	/** Read the workload's new output now (before a sample, so its marks land on the right side). */
	readOutput(): void;
	/** SIGTERM the process group, SIGKILL after `graceMs`; resolves when it has exited. */
	stop(graceMs: number): Promise<WorkloadExit>;
};

/** Options for spawning. */
export type SpawnOptions = {
	/** `inherit` passes memmon's stdin on (plain mode); `ignore` keeps it for the live view's keys. */
	readonly stdin: 'inherit' | 'ignore';
	/**
	The file the workload writes its stdout and stderr to, itself: not a pipe through memmon, so a
	memmon killed with -9 takes nothing down with it (no SIGPIPE), and `--resume` finds the workload
	still running.
	*/
	readonly logPath: string;
	/** Past this size the log is emptied (with a note), so a runaway workload cannot fill the disk through memmon. */
	readonly maxLogBytes: number;
	/** Only the newest output matters: a backlog is passed over (see LogOptions). */
	readonly latestOnly?: boolean | undefined;
	/** New output, as memmon reads it from the log; `afterGap` when output before it was passed over. */
	readonly onOutput: (chunk: Buffer, afterGap: boolean) => void;
	readonly cwd?: string;
	/** The workload's environment; default the user's as memmon found it. */
	readonly env?: NodeJS.ProcessEnv | undefined;
};

/** Spawn `argv` and wait until it has started, or throw a usage error (not found, not executable). */
export async function spawnWorkload(argv: readonly string[], options: SpawnOptions): Promise<Workload> {
	const [file, ...args] = argv;
	if (!file) {
		throw new UsageError('no command given after `--`: add the command to run, e.g. `memmon -- node server.js`');
	}

	// O_APPEND: the workload's two streams and memmon's notes interleave whole writes, and emptying
	// the file at its cap moves every writer back to its start.
	const writeFd = fs.openSync(options.logPath, 'a');
	const readFd = fs.openSync(options.logPath, 'r');
	// Read from where the file ends now, before the workload starts: a fast one writes before
	// 'spawn' is seen.
	const startOffset = fs.fstatSync(readFd).size;
	const mark = `${process.pid}-${Date.now().toString(36)}`;
	let child: ChildProcess;
	try {
		child = spawn(file, args, {
			stdio: [options.stdin, writeFd, writeFd],
			detached: true,
			cwd: options.cwd,
			// The user's environment, not memmon's (which forces NODE_ENV=production for itself).
			env: {...options.env ?? workloadEnvironment, [WORKLOAD_MARK]: mark},
		});
		await new Promise<void>((resolve, reject) => {
			child.once('spawn', resolve);
			child.once('error', (error: NodeJS.ErrnoException) => {
				if (error.code === 'ENOENT') {
					reject(new UsageError(`command not found: ${file}: check the spelling, or give its full path`));
				} else if (error.code === 'EACCES') {
					reject(new UsageError(`cannot run ${file}: permission denied (is it executable? try \`chmod +x ${file}\`)`));
				} else {
					reject(new UsageError(`cannot run ${file}: ${error.message}`));
				}
			});
		});
	} catch (error) {
		fs.closeSync(writeFd);
		fs.closeSync(readFd);
		throw error;
	}

	const reader = new LogReader(readFd, writeFd, options, startOffset);
	const pid = child.pid!;
	let exitInfo: WorkloadExit | undefined;
	const exited = new Promise<WorkloadExit>(resolve => {
		child.once('exit', (code, signal) => {
			// Everything it wrote is in the file: read the rest, then stop reading.
			reader.finish();
			exitInfo = {code, signal};
			resolve(exitInfo);
		});
	});
	const identity = readIdentity(pid);
	return {
		pid,
		identity: typeof identity === 'object' ? identity : {pid, startTime: 0},
		exited,
		hasExited: () => exitInfo !== undefined || child.exitCode !== null || child.signalCode !== null,
		escaped: () => escapedFrom(child.pid!, options.logPath, `${WORKLOAD_MARK}=${mark}`),
		logProblem: () => reader.problem,
		readOutput() {
			reader.readNow();
		},
		stop: async graceMs => stopGroup(child, exited, graceMs),
	};
}

/** The process group of `pid` (the fifth field of /proc/PID/stat), or undefined once it is gone. */
function groupOf(pid: string): number | undefined {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
	} catch {
		return undefined;
	}
}

/**
The processes outside the workload's group `group` that it started (their environment holds
`mark`, `NAME=value`) or that hold `file` (workload.log) open; none where /proc does not tell. A
member of the group can still hold the log for a moment after the group was killed (the kill not
yet done): not escaped.
*/
function escapedFrom(group: number, file: string, mark: string): Escaped[] {
	let target: string;
	let pids: string[];
	try {
		target = fs.realpathSync(file);
		pids = fs.readdirSync('/proc').filter(name => /^\d+$/.test(name) && Number(name) !== process.pid);
	} catch {
		return [];
	}

	const entry = Buffer.from(`\0${mark}\0`);
	const result: Escaped[] = [];
	for (const pid of pids) {
		try {
			if ([undefined, group].includes(groupOf(pid))) {
				continue;
			}

			const writes = fs.readdirSync(`/proc/${pid}/fd`).some(fd => {
				try {
					return fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === target;
				} catch {
					return false;
				}
			});
			let marked = false;
			try {
				// Entries are NUL-terminated: the first has none before it.
				marked = Buffer.concat([Buffer.from([0]), fs.readFileSync(`/proc/${pid}/environ`)]).includes(entry);
			} catch {}

			if (writes || marked) {
				result.push({pid: Number(pid), name: fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), writes});
			}
		} catch {}
	}

	return result;
}

async function stopGroup(child: ChildProcess, exited: Promise<WorkloadExit>, graceMs: number): Promise<WorkloadExit> {
	const pid = child.pid!;
	const signal = (name: NodeJS.Signals): void => {
		try {
			process.kill(-pid, name);
		} catch {
			try {
				child.kill(name);
			} catch {}
		}
	};

	if (child.exitCode === null && child.signalCode === null) {
		signal('SIGTERM');
	}

	let timer: NodeJS.Timeout | undefined;
	const killed = new Promise<void>(resolve => {
		timer = setTimeout(() => {
			signal('SIGKILL');
			resolve();
		}, graceMs);
	});
	const result = await Promise.race([exited, killed.then(async () => exited)]);
	clearTimeout(timer);
	// Anything left in the group (grandchildren that ignored SIGTERM) goes too.
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {}

	return result;
}

/**
Stop a workload memmon spawned in an earlier run (`--resume`): it is no child of this memmon, so
its end is seen by polling its identity. SIGTERM to its process group (memmon started it as the
group's leader), SIGKILL after `graceMs`. Resolves true when it is gone.
*/
export async function stopSpawnedGroup(target: Identity, graceMs: number, read: typeof readIdentity = readIdentity): Promise<boolean> {
	const alive = (): boolean => {
		const now = read(target.pid);
		return typeof now === 'object' && now.startTime === target.startTime;
	};

	const signal = (name: NodeJS.Signals): void => {
		try {
			process.kill(-target.pid, name);
		} catch {
			try {
				process.kill(target.pid, name);
			} catch {}
		}
	};

	if (!alive()) {
		return true;
	}

	signal('SIGTERM');
	const killAt = Date.now() + graceMs;
	let killed = false;
	for (let waited = 0; waited < graceMs + 5000; waited += 50) {
		if (!alive()) {
			break;
		}

		if (!killed && Date.now() >= killAt) {
			signal('SIGKILL');
			killed = true;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}

	try {
		process.kill(-target.pid, 'SIGKILL');
	} catch {}

	return !alive();
}
