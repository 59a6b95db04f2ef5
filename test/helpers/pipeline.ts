/** Drive the full pipeline — Session, and optionally the Ink view — on a fake clock. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {render} from 'ink';
import React from 'react';
import {DEFAULT_ANALYSIS} from '../../source/analysis/index.js';
import {FakeClock} from '../../source/clock.js';
import type {RunFacts} from '../../source/record/run-report.js';
import type {Reading, Sampler} from '../../source/sampler/types.js';
import {Session} from '../../source/session.js';
import {App, type LiveSource} from '../../source/ui/app.js';
import {FrameWriter} from '../../source/ui/frame-writer.js';
import {MIB} from '../../source/units.js';

/** A sampler of a made-up process: a sawtooth over a slow leak. */
export function syntheticSampler(): Sampler & {count: number; systemReads: number} {
	const sampler = {
		count: 0,
		systemReads: 0,
		async sample(): Promise<Reading> {
			const i = sampler.count++;
			const rss = (80 * MIB) + (i * 100) + ((i % 37) * 64 * 1024);
			return {kind: 'ok', rss, hwm: rss + MIB, swap: 0, cpu: (i % 7) / 2, processes: [{pid: 1, name: 'synthetic', rss}], pss: i % 10 === 0 ? rss - MIB : undefined};
		},
		async system() {
			sampler.systemReads++;
			return {total: 24 * 1024 * MIB, available: 20 * 1024 * MIB, used: 4 * 1024 * MIB, free: 18 * 1024 * MIB};
		},
		close() {},
	};
	return sampler;
}

/** A terminal that throws its output away. */
export function nullTerminal(columns: number, rows: number): NodeJS.WriteStream & {writes: number} {
	const stream = new Writable({
		write(_chunk, _encoding, callback) {
			stream.writes++;
			callback();
		},
	}) as unknown as NodeJS.WriteStream & {columns: number; rows: number; isTTY: boolean; writes: number};
	stream.writes = 0;
	stream.columns = columns;
	stream.rows = rows;
	stream.isTTY = true;
	return stream;
}

/** A session on a fake clock, optionally drawn by the live view into a null terminal. */
export function syntheticRun(options: {live: boolean; intervalMs?: number; machineMemory?: boolean; sampler?: Sampler; onWorkloadExecutable?: () => void}) {
	const clock = new FakeClock();
	const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-pipeline-'));
	const intervalMs = options.intervalMs ?? 1000;
	const facts: RunFacts = {
		version: 'test', label: 'synthetic', pid: 1, children: true, host: 'test', startedAtMs: clock.wallNow(), intervalMs, runDir,
	};
	// The synthetic sampler, unless one is given (then `sampler` below is the synthetic one, unused).
	const sampler = syntheticSampler();
	const tail = ['line one', 'line two'];
	const session = new Session({clock, sampler: options.sampler ?? sampler, facts, targetText: 'synthetic', spawned: true, tail, checkpointMs: 3_600_000, analysis: DEFAULT_ANALYSIS, machineMemory: options.machineMemory, onWorkloadExecutable: options.onWorkloadExecutable});
	let frames = 0;
	let unmount = (): void => {};
	// 80×24: the smallest supported screen; the per-frame cost grows with the area, a leak would not.
	const terminal = nullTerminal(80, 24);
	if (options.live) {
		const source: LiveSource = {
			subscribe: listener => session.subscribe(listener),
			snapshot: () => session.snapshot(),
			chart(columns, zoom) {
				frames++;
				return session.chart(columns, zoom);
			},
			quit() {},
			interrupt() {},
			writeReport() {},
			mark() {},
		};
		// As memmon draws: the lines go to a FrameWriter on the terminal, Ink renders nothing.
		const writer = new FrameWriter(terminal);
		const instance = render(React.createElement(App, {
			source,
			interactive: false,
			draw(lines: readonly string[], width: number) {
				writer.draw(lines, width);
			},
		}), {
			stdout: terminal,
			stderr: nullTerminal(120, 40),
			patchConsole: false,
			exitOnCtrlC: false,
			// Unthrottled: every frame is laid out and written, as at 1 Hz in real use.
			maxFps: 0,
		});
		unmount = () => {
			instance.unmount();
		};
	}

	void session.run();
	return {
		clock,
		session,
		sampler,
		facts,
		runDir,
		/** The workload's output lines, as the run keeps them. */
		tail,
		frames: () => frames,
		writes: () => terminal.writes,
		/** Advance by `n` intervals. */
		async advance(n: number) {
			for (let i = 0; i < n; i++) {
				 
				await clock.advance(intervalMs);
			}
		},
		close() {
			session.stop({kind: 'stopped', by: 'test'});
			unmount();
			fs.rmSync(runDir, {recursive: true, force: true});
		},
	};
}
