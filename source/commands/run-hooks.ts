/**
What a run can be given to do besides its job, read from the environment at the entry and handed
to `run()`: test-only fault injection, memmon's own memory trace, and the pidusage sampler in
place of procfs (MEMMON_SAMPLER=pidusage, for comparing the two).
*/
import fs from 'node:fs';
import type {Session} from '../session.js';

/** Something done to a session once it exists. */
export type RunHook = (session: Session) => void;

/**
Test-only fault injection (MEMMON_FAULT=throw-after:N): an uncaught error after N samples, to
prove that an error inside memmon still leaves a complete report.
*/
export function injectFault(after: number): RunHook {
	return session => {
		const unsubscribe = session.subscribe(() => {
			if (session.store.count >= after) {
				unsubscribe();
				setImmediate(() => {
					throw new Error(`injected fault after ${after} samples (MEMMON_FAULT)`);
				});
			}
		});
	};
}

/**
Diagnostics (MEMMON_TRACE_MEMORY=FILE): memmon's own process.memoryUsage() every 100 samples as
NDJSON, to tell heap growth from heap capacity or native memory in a long live run.
*/
export function traceOwnMemory(file: string): RunHook {
	return session => {
		session.subscribe(() => {
			if (session.store.count % 100 === 0) {
				try {
					fs.appendFileSync(file, `${JSON.stringify({samples: session.store.count, ...process.memoryUsage()})}\n`);
				} catch {}
			}
		});
	};
}

/** A run's hooks. */
export type RunHooks = {
	readonly session: readonly RunHook[];
	readonly sampler?: 'pidusage' | undefined;
};

/** The hooks the environment asks for (none unless MEMMON_FAULT, MEMMON_TRACE_MEMORY or MEMMON_SAMPLER is set). */
export function hooksFromEnvironment(env: NodeJS.ProcessEnv): RunHooks {
	const hooks: RunHook[] = [];
	const fault = /^throw-after:(\d+)$/.exec(env.MEMMON_FAULT ?? '');
	if (fault) {
		hooks.push(injectFault(Number(fault[1])));
	}

	if (env.MEMMON_TRACE_MEMORY) {
		hooks.push(traceOwnMemory(env.MEMMON_TRACE_MEMORY));
	}

	return {session: hooks, sampler: env.MEMMON_SAMPLER === 'pidusage' ? 'pidusage' : undefined};
}
