/**
An attached Node process's heap snapshots on the run's requests, through its inspector
(node-inspector.ts): the counterpart of a spawned workload's preload (node-heap.ts).
*/
import fs from 'node:fs';
import path from 'node:path';
import {makeDirectory} from '../files.js';
import {InspectorSession, takeHeapSnapshot} from './node-inspector.js';

/**
Takes the heap snapshots a run asks for (`request-NAME` files in heap/, as a spawned workload's
preload does) of one attached process, through its inspector: one at a time, as
`PID-NAME.heapsnapshot`, all over one connection — V8 forgets its object ids when a connection's
heap profiler is disabled, and the diff compares snapshots by id. The inspector stays open after
the run: closing it from outside (`inspector.close()` in the target) crashed Node 20 now and then.
*/
export class InspectorAgent {
	readonly #dir: string;
	readonly #pid: number;
	readonly #port: number;
	readonly #taken = new Set<string>();
	#timer: NodeJS.Timeout | undefined;
	#busy: Promise<void> = Promise.resolve();
	#session: InspectorSession | undefined;
	/** Why the last snapshot failed, if it did. */
	problem: string | undefined;

	constructor(dir: string, pid: number, port: number) {
		this.#dir = dir;
		this.#pid = pid;
		this.#port = port;
		makeDirectory(dir);
		fs.writeFileSync(path.join(dir, `${pid}.pid`), String(Date.now()));
		this.#poll();
	}

	/** Take snapshot `name` now (once per name), after any under way. */
	take(name: string): Promise<void> {
		if (this.#taken.has(name)) {
			return this.#busy;
		}

		this.#taken.add(name);
		this.#busy = this.#busy.then(async () => {
			try {
				this.#session ??= await InspectorSession.connect(this.#port);
				await takeHeapSnapshot(this.#session, path.join(this.#dir, `${this.#pid}-${name}.heapsnapshot`));
			} catch (error) {
				this.#session?.close();
				this.#session = undefined;
				this.problem = `heap snapshot "${name}" of PID ${this.#pid} failed: ${error instanceof Error ? error.message : String(error)}`;
			}
		});
		return this.#busy;
	}

	#poll(): void {
		this.#timer = setTimeout(() => {
			let entries: string[] = [];
			try {
				entries = fs.readdirSync(this.#dir);
			} catch {}

			for (const entry of entries) {
				if (entry.startsWith('request-')) {
					void this.take(entry.slice('request-'.length));
				}
			}

			this.#poll();
		}, 250);
		this.#timer.unref();
	}

	/** Stop watching for requests, and disconnect once a snapshot under way is written. */
	async stop(): Promise<void> {
		clearTimeout(this.#timer);
		await this.#busy;
		this.#session?.close();
		this.#session = undefined;
	}
}
