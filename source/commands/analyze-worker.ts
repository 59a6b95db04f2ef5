/**
`memmon analyze` in a worker thread with a small young generation. A 30-day trace is 2.6M lines of
short-lived objects, and V8 grows the young generation to its largest for them: analyze then
peaked at ~120 MiB of RSS, with the store bounded and the file streamed. `resourceLimits` is
Node's worker API (not a V8 flag); with a 2 MiB young generation the same file peaks at ~93 MiB
(4 MiB: ~98) and takes ~4.5 s instead of ~3.6.
*/
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads';
import type {AnalysisConfig} from '../analysis/index.js';
import {analyze} from './analyze.js';

type Task = {readonly task: 'memmon-analyze'; readonly files: readonly string[]; readonly config: AnalysisConfig; readonly json: boolean};

/** Analyse `files` in a worker; resolves with analyze's exit code (1 on an internal error, said on stderr). */
export async function analyzeInWorker(files: readonly string[], config: AnalysisConfig, json: boolean): Promise<number> {
	const task: Task = {task: 'memmon-analyze', files, config, json};
	const worker = new Worker(new URL(import.meta.url), {workerData: task, resourceLimits: {maxYoungGenerationSizeMb: 2}});
	return new Promise(resolve => {
		let code = 1;
		worker.on('message', (value: number) => {
			code = value;
		});
		worker.on('error', error => {
			process.stderr.write(`memmon: internal error: ${error.message}\n`);
			code = 1;
		});
		worker.on('exit', () => {
			resolve(code);
		});
	});
}

if (!isMainThread && (workerData as Task | undefined)?.task === 'memmon-analyze') {
	const {files, config, json} = workerData as Task;
	const code = analyze(files, config, json, text => process.stdout.write(text), text => process.stderr.write(text));
	parentPort!.postMessage(code);
}
