/**
`npm run bench:memory`: memmon's own retained heap over a 24 h-equivalent run — 86,400 samples
through the full pipeline and the live view (Ink, 80×24, every frame written) on a fake clock.
Run with --expose-gc. The bar: retained heap growth ≤ 1 MiB.
*/
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {DEFAULT_ANALYSIS} from '../source/analysis/index.js';
import {FakeClock} from '../source/clock.js';
import type {Reading, Sampler} from '../source/sampler/types.js';
import {Session} from '../source/session.js';

// As memmon's entry does, before React loads: the development build keeps every
// performance.measure entry forever. And Ink must not think it runs in CI (it would not draw).
process.env.NODE_ENV = 'production';
process.env.CI = 'false';
const gc = (globalThis as {gc?: () => void}).gc;
if (!gc) {
	throw new Error('run with node --expose-gc');
}

const [{render}, React, {App}, {FrameWriter}] = await Promise.all([import('ink'), import('react'), import('../source/ui/app.js'), import('../source/ui/frame-writer.js')]);
const total = Number(process.argv[2] ?? 86_400);
const clock = new FakeClock();
let i = 0;
const sampler: Sampler = {
	async sample(): Promise<Reading> {
		i++;
		const rss = (80 * 1024 * 1024) + ((i % 37) * 65_536) + (Math.sin(i / 600) * 1_048_576);
		return {kind: 'ok', rss, hwm: rss, swap: 0, cpu: 1, processes: [{pid: 1, name: 'soak', rss}]};
	},
	async system() {
		return {total: 1e10, available: 5e9, used: 5e9, free: 4e9};
	},
	close() {},
};
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-bench-memory-'));
const session = new Session({clock, sampler, facts: {version: 'bench', label: 'soak', pid: 1, children: true, host: 'bench', startedAtMs: 0, intervalMs: 1000, runDir}, targetText: 'soak', spawned: false, tail: [], checkpointMs: 300_000, analysis: DEFAULT_ANALYSIS});
let writes = 0;
const terminal = new Writable({
	write(_chunk, _encoding, callback) {
		writes++;
		callback();
	},
}) as unknown as NodeJS.WriteStream & {columns: number; rows: number; isTTY: boolean};
terminal.columns = 80;
terminal.rows = 24;
terminal.isTTY = true;
const source = {subscribe: (listener: () => void) => session.subscribe(listener), snapshot: () => session.snapshot(), chart: (c: number, z: 'all' | 'recent') => session.chart(c, z), quit() {}, interrupt() {}, writeReport() {}, mark() {}};
// As memmon draws: lines to a FrameWriter on the terminal, Ink renders nothing.
const writer = new FrameWriter(terminal);
const instance = render(React.createElement(App, {source, interactive: false, draw(lines: readonly string[], width: number) {
	writer.draw(lines, width);
}}), {stdout: terminal, stderr: terminal, patchConsole: false, maxFps: 0});
void session.run();
const heap = (): number => {
	gc();
	gc();
	return process.memoryUsage().heapUsed;
};

const warm = 2000;
for (let k = 0; k < warm; k++) {
	 
	await clock.advance(1000);
}

const before = heap();
const started = performance.now();
const points: string[] = [];
for (let k = warm; k < total; k++) {
	 
	await clock.advance(1000);
	if ((k + 1) % 14_400 === 0) {
		points.push(`${((k + 1) / 3600).toFixed(0)}h ${((heap() - before) / 1024).toFixed(0)} KiB`);
		process.stderr.write(`  ${points.at(-1)}\n`);
	}
}

const growth = heap() - before;
session.stop({kind: 'stopped', by: 'bench'});
instance.unmount();
fs.rmSync(runDir, {recursive: true, force: true});
const line = `${total.toLocaleString('en')} samples and frames (${writes.toLocaleString('en')} terminal writes) in ${((performance.now() - started) / 1000).toFixed(0)} s: retained heap growth ${(growth / 1024).toFixed(0)} KiB after the first ${warm} (bar ≤ 1024 KiB); along the way: ${points.join(', ')}`;
process.stdout.write(`${line}\n`);
fs.writeFileSync(path.join(import.meta.dirname ?? '.', '../../bench/memory-results.md'), `# memmon's own memory, 24 h-equivalent\n\n${line}\n`);
process.exit(growth <= 1024 * 1024 ? 0 : 1);
