/**
Spawn the workload: argv, no shell, in its own process group so that memmon can stop the whole
group (the command and everything it started) and a Ctrl+C in the terminal reaches memmon, which
then stops the workload gracefully: SIGTERM, a grace period, then SIGKILL.
*/
import {spawn, type ChildProcess} from 'node:child_process';
import {workloadEnvironment} from '../environment.js';
import {UsageError} from '../options.js';
import type {Identity} from '../sampler/tree.js';
import {readIdentity} from './identity.js';

/** After the workload exits, its output pipes get this long to close before memmon stops waiting. */
const OUTPUT_GRACE_MS = 1000;

/** How the workload ended. */
export type WorkloadExit = {readonly code: number | null; readonly signal: NodeJS.Signals | null};

/** A running workload. */
export type Workload = {
	readonly pid: number;
	readonly identity: Identity;
	readonly exited: Promise<WorkloadExit>;
	/** True once the process has exited. */
	hasExited(): boolean;
	/** True when the output pipes were still held open (by a process that escaped the group) after the workload exited. */
	outputHeld(): boolean;
	/** SIGTERM the process group, SIGKILL after `graceMs`; resolves when it has exited. */
	stop(graceMs: number): Promise<WorkloadExit>;
};

/** Options for spawning. */
export type SpawnOptions = {
	/** `inherit` passes memmon's stdin on (plain mode); `ignore` keeps it for the live view's keys. */
	readonly stdin: 'inherit' | 'ignore';
	/** Every chunk of output, from stdout or stderr. */
	readonly onOutput: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
	readonly cwd?: string;
};

/** Spawn `argv` and wait until it has started, or throw a usage error (not found, not executable). */
export async function spawnWorkload(argv: readonly string[], options: SpawnOptions): Promise<Workload> {
	const [file, ...args] = argv;
	if (!file) {
		throw new UsageError('no command given after `--`: add the command to run, e.g. `memmon -- node server.js`');
	}

	const child = spawn(file, args, {
		stdio: [options.stdin, 'pipe', 'pipe'],
		detached: true,
		cwd: options.cwd,
		// The user's environment, not memmon's (which forces NODE_ENV=production for itself).
		env: workloadEnvironment,
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

	child.stdout!.on('data', (chunk: Buffer) => {
		options.onOutput(chunk, 'stdout');
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		options.onOutput(chunk, 'stderr');
	});

	const pid = child.pid!;
	let exitInfo: WorkloadExit | undefined;
	let held = false;
	const exited = new Promise<WorkloadExit>(resolve => {
		child.once('exit', (code, signal) => {
			const info = {code, signal};
			const finish = (): void => {
				if (!exitInfo) {
					exitInfo = info;
					resolve(info);
				}
			};

			// 'close' waits for the output pipes too, so the log holds the last line. A process that
			// escaped the group (setsid, a daemon) may hold them open for ever: the run ends on the
			// workload's exit all the same, a moment later.
			child.once('close', finish);
			setTimeout(() => {
				if (!exitInfo) {
					held = true;
					child.stdout?.destroy();
					child.stderr?.destroy();
					finish();
				}
			}, OUTPUT_GRACE_MS).unref();
		});
	});
	const identity = readIdentity(pid);
	return {
		pid,
		identity: typeof identity === 'object' ? identity : {pid, startTime: 0},
		exited,
		hasExited: () => exitInfo !== undefined || child.exitCode !== null || child.signalCode !== null,
		outputHeld: () => held,
		stop: async graceMs => stopGroup(child, exited, graceMs),
	};
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

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}

	try {
		process.kill(-target.pid, 'SIGKILL');
	} catch {}

	return !alive();
}
