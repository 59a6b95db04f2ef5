/**
`--resume RUN_DIR`: after memmon died, check that its run can go on (run.json is input like any
other, and its target must be the same process, still alive) and read what was recorded.
*/
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {UsageError} from '../errors.js';
import {MAX_INTERVAL_MS, MIN_INTERVAL_MS} from '../options.js';
import type {RunFacts} from '../record/run-report.js';
import type {MemoryLimit} from '../sampler/cgroup.js';
import {parseSamples, type ParsedSamples} from '../record/samples-reader.js';
import {readIdentity} from '../target/identity.js';
import {formatDuration} from '../units.js';
import {version} from '../version.js';

export type RunJson = {
	label?: string;
	command?: string[] | null;
	attached_command?: string | null;
	pid?: number;
	start_time_ticks?: number;
	started_at?: string;
	host?: string;
	interval_seconds?: number;
	duration_seconds?: number | null;
	children?: boolean;
	system?: boolean;
	memory_limit_bytes?: number | null;
	memory_limit_file?: string | null;
	workload_executable?: string;
	resumed?: unknown[];
};

/** The memory limit a run.json recorded (run-files.ts newRunJson), for `--resume` and `memmon analyze`. */
export function memoryLimitOf(runJson: {readonly memory_limit_bytes?: number | null; readonly memory_limit_file?: string | null}): MemoryLimit | undefined {
	return typeof runJson.memory_limit_bytes === 'number' ? {bytes: runJson.memory_limit_bytes, file: runJson.memory_limit_file ?? 'a cgroup'} : undefined;
}

/** What is wrong with a run.json read for --resume (a file like any other input), or undefined. */
export function checkRunJson(value: unknown, nowWall: number): string | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return 'not a JSON object';
	}

	const json = value as Record<string, unknown>;
	const show = (key: string): string => `${key} is ${JSON.stringify(json[key])?.slice(0, 40) ?? 'undefined'}`;
	const optional = (key: string, ok: (v: unknown) => boolean): boolean => json[key] === undefined || ok(json[key]);
	const integer = (min: number) => (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
	const text = (v: unknown) => typeof v === 'string';
	const checks: Array<[string, boolean, string]> = [
		['pid', optional('pid', integer(1)), 'a process ID'],
		['start_time_ticks', optional('start_time_ticks', integer(0)), 'a start time in clock ticks'],
		['started_at', optional('started_at', v => typeof v === 'string' && Number.isFinite(Date.parse(v)) && Date.parse(v) <= nowWall + 60_000), 'a time in the past'],
		['interval_seconds', optional('interval_seconds', v => typeof v === 'number' && v >= MIN_INTERVAL_MS / 1000 && v <= MAX_INTERVAL_MS / 1000), 'between 0.1 and 3600'],
		['duration_seconds', optional('duration_seconds', v => v === null || (typeof v === 'number' && v > 0 && v <= 366 * 86_400)), 'null or seconds up to a year'],
		['label', optional('label', text), 'text'],
		['host', optional('host', text), 'text'],
		['command', optional('command', v => v === null || (Array.isArray(v) && v.every(text))), 'a list of words'],
		['attached_command', optional('attached_command', v => v === null || text(v)), 'text'],
		['children', optional('children', v => typeof v === 'boolean'), 'true or false'],
		['system', optional('system', v => typeof v === 'boolean'), 'true or false'],
		['resumed', optional('resumed', Array.isArray), 'a list'],
	];
	const bad = checks.find(([, ok]) => !ok);
	return bad ? `${show(bad[0])}, not ${bad[2]}` : undefined;
}

/**
Check that a run can resume: its run.json names a target (PID and start time) that is still
alive. Nothing is written unless it can; the last line of samples.csv, if a kill cut it in half,
is trimmed (it cannot be read anyway) so that new lines start clean.
*/
export function prepareResume(runDir: string, nowWall: number) {
	let runJson: RunJson;
	try {
		runJson = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as RunJson;
	} catch {
		throw new UsageError(`${runDir} is not a memmon run folder (no readable run.json): give the folder of the run to resume`);
	}

	const damaged = checkRunJson(runJson, nowWall);
	if (damaged) {
		throw new UsageError(`${path.join(runDir, 'run.json')} is damaged (${damaged}): it cannot be resumed; memmon analyze ${runDir} rebuilds its reports`);
	}

	const csv = path.join(runDir, 'samples.csv');
	const system = runJson.system === true;
	if (system) {
		// The machine is the target: the same host, and its samples.csv.
		if (!fs.existsSync(csv) || runJson.host !== os.hostname()) {
			throw new UsageError(`${runDir} is a --system run of ${runJson.host ?? 'another host'}${fs.existsSync(csv) ? '' : ' without samples.csv'}: it can only be resumed on that host; memmon analyze ${runDir} rebuilds its reports`);
		}
	} else if (runJson.pid === undefined || runJson.start_time_ticks === undefined || !fs.existsSync(csv)) {
		throw new UsageError(`${runDir} lacks the target's identity or its samples.csv: it cannot be resumed; memmon analyze ${runDir} rebuilds its reports`);
	} else {
		const now = readIdentity(runJson.pid);
		if (typeof now !== 'object' || now.startTime !== runJson.start_time_ticks) {
			throw new UsageError(`the target of ${runDir} (PID ${runJson.pid}) is no longer running${typeof now === 'object' ? ' (the PID belongs to another process now)' : ''}: nothing to resume; memmon analyze ${runDir} rebuilds its reports`);
		}
	}

	const text = fs.readFileSync(csv, 'utf8');
	let samples: ParsedSamples;
	try {
		samples = parseSamples(text, csv);
	} catch (error) {
		throw new UsageError(error instanceof Error ? error.message : String(error));
	}

	if (samples.truncated) {
		fs.truncateSync(csv, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
	}

	const startedAtMs = runJson.started_at ? Date.parse(runJson.started_at) : nowWall;
	const lastT = samples.t.at(-1) ?? 0;
	const intervalMs = (runJson.interval_seconds ?? 1) * 1000;
	const offsetMs = Math.max((lastT * 1000) + intervalMs, nowWall - startedAtMs);
	const gapSeconds = (offsetMs / 1000) - lastT;
	const facts: RunFacts = {
		version: version(),
		label: runJson.label ?? path.basename(runDir),
		command: runJson.command ?? undefined,
		attached: runJson.attached_command ?? undefined,
		pid: runJson.pid ?? 0,
		system,
		children: runJson.children ?? true,
		host: runJson.host ?? os.hostname(),
		startedAtMs,
		intervalMs,
		durationMs: runJson.duration_seconds ? runJson.duration_seconds * 1000 : undefined,
		runDir,
		memoryLimit: memoryLimitOf(runJson),
		workloadExecutable: typeof runJson.workload_executable === 'string' ? runJson.workload_executable : undefined,
	};
	return {
		runDir,
		runJson,
		facts,
		startedAtMs,
		gapSeconds,
		identity: system ? undefined : {pid: runJson.pid!, startTime: runJson.start_time_ticks!},
		session: {samples, offsetMs, mark: `resumed after a ${formatDuration(gapSeconds * 1000)} gap`},
	};
}
