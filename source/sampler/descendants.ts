/**
The descendants of a target: found by walking down from it through /proc/PID/task/TID/children
(every thread's file: a child may be forked by any thread), which costs in proportion to the tree,
not to the machine. Where that file does not exist (kernels without CONFIG_PROC_CHILDREN) a scan of
every /proc/PID/stat builds the ppid map instead.
*/
import fs from 'node:fs';
import {parseStat, readOnce} from './procfs.js';

/**
memmon itself, and what it starts, are never part of a tree: `memmon --pid $$` (the shell memmon
runs in), a tmux server, `--pid 1`, counted memmon's own 70 MiB as the workload's.
*/
export const SELF = process.pid;

/** How to find children: the per-thread children files, or a scan of every /proc/PID/stat. */
export type TreeStrategy = 'children' | 'scan';

/** Detect which strategy this kernel supports. */
export function treeStrategy(): TreeStrategy {
	return fs.existsSync(`/proc/${process.pid}/task/${process.pid}/children`) ? 'children' : 'scan';
}

export function parsePidList(text: string, into: number[]): void {
	let value = 0;
	let digits = 0;
	for (let i = 0; i <= text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 48 && c <= 57) {
			value = (value * 10) + (c - 48);
			digits++;
		} else if (digits > 0) {
			into.push(value);
			value = 0;
			digits = 0;
		}
	}
}

/** The descendants of `root` (not `root` itself, nor memmon's own), parents before children. */
export function descendants(root: number, strategy: TreeStrategy = treeStrategy()): number[] {
	return strategy === 'children' ? walkChildren(root) : scanDescendants(root);
}

function walkChildren(root: number): number[] {
	const found: number[] = [];
	const queue = [root];
	const children: number[] = [];
	for (let head = 0; head < queue.length; head++) {
		const pid = queue[head]!;
		let tasks: string[];
		try {
			tasks = fs.readdirSync(`/proc/${pid}/task`);
		} catch {
			continue;
		}

		for (const tid of tasks) {
			const text = readOnce(`/proc/${pid}/task/${tid}/children`);
			if (text) {
				children.length = 0;
				parsePidList(text, children);
				for (const child of children) {
					if (child !== SELF) {
						found.push(child);
						queue.push(child);
					}
				}
			}
		}
	}

	return found;
}

/** Build the ppid map from every /proc/PID/stat and walk it down from `root`. */
export function scanDescendants(root: number, procRoot = '/proc'): number[] {
	const byParent = new Map<number, number[]>();
	for (const entry of fs.readdirSync(procRoot)) {
		const c = entry.charCodeAt(0);
		if (c < 48 || c > 57) {
			continue;
		}

		const text = readOnce(`${procRoot}/${entry}/stat`);
		const stat = text === undefined ? undefined : parseStat(text);
		if (stat) {
			const siblings = byParent.get(stat.ppid);
			if (siblings) {
				siblings.push(stat.pid);
			} else {
				byParent.set(stat.ppid, [stat.pid]);
			}
		}
	}

	// memmon's own PID is none of another process table's.
	return walkDown(byParent, root, procRoot === '/proc' ? SELF : -1);
}

/** The descendants of `root` in a map of parent → children, parents before children; not memmon's own (`skip`). */
export function walkDown(byParent: ReadonlyMap<number, readonly number[]>, root: number, skip = SELF): number[] {
	const found: number[] = [];
	const queue = [root];
	for (let head = 0; head < queue.length; head++) {
		for (const child of byParent.get(queue[head]!) ?? []) {
			if (child !== skip) {
				found.push(child);
				queue.push(child);
			}
		}
	}

	return found;
}
