/** The import graph of source/, read from the files, and the two checks ARCHITECTURE.md promises. */
import fs from 'node:fs';
import path from 'node:path';

/** Each module (path relative to the root, without extension) and the modules it imports. */
export type Graph = ReadonlyMap<string, readonly string[]>;

const IMPORT = /^\s*(?:import|export)\s(?:type\s)?[^'"]*?['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Every relative import (types too: a type is a dependency of the code that reads it) of the .ts/.tsx files under `root`. */
export function importGraph(root: string): Graph {
	const graph = new Map<string, string[]>();
	const visit = (dir: string): void => {
		for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				visit(file);
			} else if (/\.tsx?$/.test(entry.name)) {
				const from = path.relative(root, file).replace(/\.tsx?$/, '');
				const imports = [...fs.readFileSync(file, 'utf8').matchAll(IMPORT)]
					.map(match => path.relative(root, path.resolve(path.dirname(file), match[1]!)).replace(/\.js$/, ''));
				graph.set(from, [...new Set(imports)]);
			}
		}
	};

	visit(root);
	return graph;
}

/** The cycles of a graph: its strongly connected components of more than one module (or a module importing itself). */
export function cycles(graph: Graph): string[][] {
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const connect = (v: string): void => {
		index.set(v, index.size);
		low.set(v, index.get(v)!);
		stack.push(v);
		onStack.add(v);
		for (const w of graph.get(v) ?? []) {
			if (!index.has(w)) {
				connect(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (onStack.has(w)) {
				low.set(v, Math.min(low.get(v)!, index.get(w)!));
			}
		}

		if (low.get(v) === index.get(v)) {
			const component: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				onStack.delete(w);
				component.push(w);
			} while (w !== v);
			if (component.length > 1 || (graph.get(v) ?? []).includes(v)) {
				found.push(component.sort());
			}
		}
	};

	for (const v of graph.keys()) {
		if (!index.has(v)) {
			connect(v);
		}
	}

	return found;
}

/** A layer: its name and the modules in it (a path, or a folder ending in `/`). */
export type Layer = {readonly name: string; readonly modules: readonly string[]};

/** The layer index of a module: the most specific match wins (a file over its folder). */
export function layerOf(layers: readonly Layer[], module: string): number | undefined {
	let best: {layer: number; length: number} | undefined;
	for (const [i, layer] of layers.entries()) {
		for (const pattern of layer.modules) {
			const matches = pattern.endsWith('/') ? module.startsWith(pattern) : module === pattern;
			if (matches && (!best || pattern.length > best.length)) {
				best = {layer: i, length: pattern.length};
			}
		}
	}

	return best?.layer;
}

/** Imports that go up the layers (`from → to`), and modules in no layer. */
export function upwardImports(graph: Graph, layers: readonly Layer[]): {upward: string[]; unplaced: string[]} {
	const upward: string[] = [];
	const unplaced: string[] = [];
	for (const [from, imports] of graph) {
		const own = layerOf(layers, from);
		if (own === undefined) {
			unplaced.push(from);
			continue;
		}

		for (const to of imports) {
			const theirs = layerOf(layers, to);
			if (theirs !== undefined && theirs > own) {
				upward.push(`${from} (${layers[own]!.name}) → ${to} (${layers[theirs]!.name})`);
			}
		}
	}

	return {upward: upward.sort(), unplaced: unplaced.sort()};
}
