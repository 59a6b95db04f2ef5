/**
`--heap-snapshots --open-inspector` on an attached Node process: heap snapshots through its
inspector. Only with that explicit opt-in does memmon send the process SIGUSR1, which makes Node
open its inspector on 127.0.0.1 (port 9229, or the target's `--inspect-port`); memmon finds the
port from the sockets the process listens on, takes `HeapProfiler.takeHeapSnapshot`s over the
inspector's WebSocket into the run folder's heap/ — under the same names and on the same
requests as a spawned workload's preload (node-heap.ts), so the rest of memmon reads them alike.
The inspector stays open after the run (see InspectorAgent); memmon says where.
*/
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import WebSocket from 'ws';
import {writeAll} from '../files.js';

/** Why the inspector could not be used, in words for the user. */
export class InspectorError extends Error {}

/** Whether `pid` runs Node: its executable, or its first argument, is `node` (or `nodejs`, `node22`…). */
export function isNodeProcess(pid: number, procRoot = '/proc'): boolean {
	const names: string[] = [];
	try {
		names.push(path.basename(fs.readlinkSync(`${procRoot}/${pid}/exe`)));
	} catch {}

	try {
		names.push(path.basename(fs.readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8').split('\0')[0] ?? ''));
	} catch {}

	return names.some(name => /^node(js)?\d*$/.test(name));
}

/** The loopback TCP ports `pid` listens on (its sockets matched to /proc/PID/net/tcp and tcp6). */
export function loopbackPorts(pid: number, procRoot = '/proc'): Set<number> {
	const inodes = new Set<string>();
	try {
		for (const fd of fs.readdirSync(`${procRoot}/${pid}/fd`)) {
			try {
				const match = /^socket:\[(\d+)]$/.exec(fs.readlinkSync(`${procRoot}/${pid}/fd/${fd}`));
				if (match) {
					inodes.add(match[1]!);
				}
			} catch {}
		}
	} catch {}

	const ports = new Set<number>();
	for (const table of ['tcp', 'tcp6']) {
		let text = '';
		try {
			text = fs.readFileSync(`${procRoot}/${pid}/net/${table}`, 'utf8');
		} catch {}

		for (const line of text.split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			// local address, state (0A: listening), inode.
			const [address, port] = (fields[1] ?? '').split(':');
			const loopback = address === '0100007F' || address === '00000000000000000000000001000000';
			if (fields[3] === '0A' && loopback && inodes.has(fields[9] ?? '')) {
				ports.add(Number.parseInt(port!, 16));
			}
		}
	}

	return ports;
}

function getJson(port: number, route: string): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const request = http.get({host: '127.0.0.1', port, path: route, timeout: 2000}, response => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				body += chunk;
			});
			response.on('end', () => {
				try {
					resolve(JSON.parse(body));
				} catch (error) {
					reject(error as Error);
				}
			});
		});
		request.on('timeout', () => request.destroy(new Error('timed out')));
		request.on('error', reject);
	});
}

/** Whether an inspector answers on `port`. */
async function isInspector(port: number): Promise<boolean> {
	try {
		const version = await getJson(port, '/json/version') as {Browser?: unknown};
		return typeof version.Browser === 'string' && version.Browser.startsWith('node');
	} catch {
		return false;
	}
}

/** Where the inspector listens, and whether memmon opened it. */
export type InspectorPort = {readonly port: number; readonly opened: boolean};

/**
Open the inspector of `pid` (SIGUSR1) and find its port: the loopback port it listens on that it
did not before. When none appears (the inspector was open already), the loopback ports it listens
on are asked whether they are an inspector.
*/
export async function openInspector(pid: number, timeoutMs = 5000, procRoot = '/proc'): Promise<InspectorPort> {
	if (!isNodeProcess(pid, procRoot)) {
		throw new InspectorError(`PID ${pid} is not a Node process (SIGUSR1 would end most others)`);
	}

	const before = loopbackPorts(pid, procRoot);
	try {
		process.kill(pid, 'SIGUSR1');
	} catch (error) {
		throw new InspectorError(`cannot signal PID ${pid} (${(error as NodeJS.ErrnoException).code ?? String(error)}): run memmon as its user`);
	}

	for (const until = Date.now() + timeoutMs; Date.now() < until;) {
		await new Promise(resolve => setTimeout(resolve, 100));
		for (const port of loopbackPorts(pid, procRoot)) {
			if (!before.has(port) && await isInspector(port)) {
				return {port, opened: true};
			}
		}
	}

	for (const port of before) {
		if (await isInspector(port)) {
			return {port, opened: false};
		}
	}

	throw new InspectorError(`PID ${pid} opened no inspector within ${timeoutMs / 1000} s after SIGUSR1 (its port in use by another process? start it with --inspect-port=0, or with --inspect)`);
}

/** One connection to a Node inspector: protocol commands and their results, events to a handler. */
export class InspectorSession {
	readonly #socket: WebSocket;
	readonly #pending = new Map<number, {resolve: (value: unknown) => void; reject: (error: Error) => void}>();
	#next = 1;
	onEvent: ((method: string, params: unknown) => void) | undefined;

	private constructor(socket: WebSocket) {
		this.#socket = socket;
		socket.on('message', data => {
			const message = JSON.parse(String(data)) as {id?: number; method?: string; params?: unknown; result?: unknown; error?: {message?: string}};
			if (message.id === undefined) {
				this.onEvent?.(message.method ?? '', message.params);
				return;
			}

			const waiting = this.#pending.get(message.id);
			this.#pending.delete(message.id);
			if (message.error) {
				waiting?.reject(new InspectorError(message.error.message ?? 'inspector error'));
			} else {
				waiting?.resolve(message.result);
			}
		});
		socket.on('close', () => {
			for (const waiting of this.#pending.values()) {
				waiting.reject(new InspectorError('the inspector closed the connection'));
			}

			this.#pending.clear();
		});
	}

	/** Connect to the first target of the inspector on `port`. */
	static async connect(port: number): Promise<InspectorSession> {
		const targets = await getJson(port, '/json/list') as Array<{webSocketDebuggerUrl?: string}>;
		const url = targets.find(target => target.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
		if (!url) {
			throw new InspectorError(`the inspector on port ${port} lists no target`);
		}

		const socket = new WebSocket(url, {perMessageDeflate: false, maxPayload: 256 * 1024 * 1024});
		await new Promise<void>((resolve, reject) => {
			socket.once('open', () => {
				resolve();
			});
			socket.once('error', reject);
		});
		return new InspectorSession(socket);
	}

	/** Send a command; resolves with its result. */
	async send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
		const id = this.#next++;
		return new Promise((resolve, reject) => {
			this.#pending.set(id, {resolve, reject});
			this.#socket.send(JSON.stringify({id, method, params}), error => {
				if (error) {
					this.#pending.delete(id);
					reject(error);
				}
			});
		});
	}

	close(): void {
		this.#socket.close();
	}
}

/** Take a heap snapshot over `session` into `file` (written to `file.tmp`, then renamed). */
export async function takeHeapSnapshot(session: InspectorSession, file: string): Promise<void> {
	const fd = fs.openSync(`${file}.tmp`, 'w');
	let failed: Error | undefined;
	session.onEvent = (method, params) => {
		if (method === 'HeapProfiler.addHeapSnapshotChunk') {
			try {
				writeAll(fd, (params as {chunk: string}).chunk);
			} catch (error) {
				failed ??= error as Error;
			}
		}
	};

	try {
		await session.send('HeapProfiler.takeHeapSnapshot', {reportProgress: false});
	} finally {
		session.onEvent = undefined;
		fs.closeSync(fd);
	}

	if (failed) {
		throw failed;
	}

	fs.renameSync(`${file}.tmp`, file);
}
