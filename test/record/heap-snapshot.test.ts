import {describe, expect, test} from 'vitest';
import {grownSince, readHeapGraph, type ClassSummary, type HeapGraph, type HeapSnapshotJson} from '../../source/record/heap-snapshot.js';
import {pickSnapshots, type Snapshot} from '../../source/record/heap-diff.js';

type Node = {type: string; name: string; id: number; size: number; edges: Array<{type: string; name: string | number; to: number}>};

/** A snapshot in V8's format from a list of nodes (node 0 is the root). */
function snapshot(nodes: Node[]): HeapSnapshotJson {
	const nodeTypes = ['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic'];
	const edgeTypes = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];
	const strings: string[] = [];
	const string = (text: string): number => {
		const at = strings.indexOf(text);
		return at === -1 ? strings.push(text) - 1 : at;
	};

	const flatNodes: number[] = [];
	const flatEdges: number[] = [];
	for (const node of nodes) {
		flatNodes.push(nodeTypes.indexOf(node.type), string(node.name), node.id, node.size, node.edges.length, 0, 0);
		for (const edge of node.edges) {
			flatEdges.push(edgeTypes.indexOf(edge.type), typeof edge.name === 'number' ? edge.name : string(edge.name), edge.to * 7);
		}
	}

	return {
		snapshot: {meta: {
			node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
			node_types: [nodeTypes, 'string', 'number', 'number', 'number', 'number', 'number'],
			edge_fields: ['type', 'name_or_index', 'to_node'],
			edge_types: [edgeTypes, 'string_or_number', 'node'],
		}},
		nodes: flatNodes,
		edges: flatEdges,
		strings,
	};
}

/**
root ⇢ global .list → Array [i] → Session .payload → (string); `sessions` of them. Session 5 also
holds session 3's string; a Cache is held only weakly; a native node has a huge id.
*/
function heap(sessions: number): HeapSnapshotJson {
	const nodes: Node[] = [
		{type: 'synthetic', name: '', id: 0, size: 0, edges: [{type: 'shortcut', name: 1, to: 1}, {type: 'element', name: 2, to: 3}]},
		{type: 'object', name: 'global', id: 11, size: 40, edges: [{type: 'property', name: 'list', to: 2}, {type: 'weak', name: 'cache', to: 4}]},
		{type: 'object', name: 'Array', id: 13, size: 32, edges: []},
		{type: 'native', name: 'isolate', id: 900_000_000, size: 8, edges: []},
		{type: 'object', name: 'Cache', id: 15, size: 1000, edges: []},
	];
	for (let i = 0; i < sessions; i++) {
		const session = nodes.length;
		nodes[2]!.edges.push({type: 'element', name: i, to: session});
		// Numbered in the order they were made, as V8 does: session i 101 + 4i, its string 103 + 4i.
		nodes.push({type: 'object', name: 'Session', id: 101 + (4 * i), size: 48, edges: [{type: 'property', name: 'payload', to: session + 1}]});
		nodes.push({type: 'string', name: `payload ${i}`, id: 103 + (4 * i), size: 200, edges: []});
	}

	if (sessions > 5) {
		const third = 5 + (2 * 3);
		nodes[5 + (2 * 5)]!.edges.push({type: 'property', name: 'shared', to: third + 1});
	}

	return snapshot(nodes);
}

describe('heap snapshots', () => {
	test('classes with instances, own and retained sizes; weakly held objects are not counted', () => {
		const graph = readHeapGraph(heap(3));
		expect(graph.classes().get('Session')).toEqual({count: 3, size: 144, retained: 744});
		expect(graph.classes().get('Array')).toEqual({count: 1, size: 32, retained: 32 + 744});
		expect(graph.classes().has('Cache')).toBe(false);
		expect(graph.maxId).toBe(111);
	});

	test('what grew: objects made after the baseline that still live, the containers left out, what holds them', () => {
		const before = readHeapGraph(heap(3));
		const after = readHeapGraph(heap(8));
		const grown = grownSince(before, after);
		// Sessions 3–7 are new; session 3's string is held by session 5 too, so neither retains it alone.
		// The new strings retain under a KiB: left out as churn.
		expect(grown).toEqual([{name: 'Session', count: 5, size: 240, retained: (5 * 48) + (4 * 200)}]);
		expect(after.classes(before.maxId).get('(string)')).toEqual({count: 5, size: 1000, retained: 1000});
		expect(after.pathTo('Session')).toBe('global.list → Array[0] → Session');
		// What holds one made since the baseline.
		expect(after.pathTo('Session', before.maxId)).toBe('global.list → Array[3] → Session');
		expect(after.pathTo('Nothing')).toBeUndefined();
	});

	test('the program\'s own objects lead V8\'s internal kinds that retain less than four times as much', () => {
		const graph = (classes: Record<string, ClassSummary>): HeapGraph => ({maxId: 0, classes: () => new Map(Object.entries(classes))} as unknown as HeapGraph);
		const before = graph({});
		const row = (count: number, retained: number): ClassSummary => ({count, size: retained / 2, retained});
		// A Map's new backing store retains its old entries too: the Buffers in it say more.
		expect(grownSince(before, graph({'(array)': row(4, 15_000_000), Buffer: row(28_000, 9_500_000), '(string)': row(28_000, 700_000)})).map(r => r.name))
			.toEqual(['Buffer', '(array)', '(string)']);
		// Strings kept in an old array: no object grew much, the strings come first.
		expect(grownSince(before, graph({'(string)': row(50_000, 8_000_000), Timeout: row(3, 600_000)})).map(r => r.name))
			.toEqual(['(string)', 'Timeout']);
		// Bun: a growing array's new storage shows as a few new Arrays retaining a hair more than the
		// thousands of objects in them; the objects lead (and the path is to one of them).
		expect(grownSince(before, graph({Array: row(8, 4_400_000), LeakySession: row(14_050, 4_300_000), '(string)': row(26_454, 3_300_000)})).map(r => r.name))
			.toEqual(['LeakySession', 'Array', '(string)']);
		// A leak of a few big objects still leads: nothing else of the program's grew.
		expect(grownSince(before, graph({'(array)': row(2, 9_000_000), Cache: row(3, 8_000_000)})).map(r => r.name))
			.toEqual(['Cache', '(array)']);
	});
	test('objects held in a variable of a module or closure: the path starts at that variable, not at whichever closure led to its scope', () => {
		const nodes: Node[] = [
			{type: 'synthetic', name: '', id: 0, size: 0, edges: [{type: 'shortcut', name: 1, to: 1}]},
			{type: 'object', name: 'global', id: 11, size: 40, edges: [{type: 'property', name: 'CustomEvent', to: 2}]},
			{type: 'closure', name: 'CustomEvent', id: 13, size: 32, edges: [{type: 'internal', name: 'context', to: 3}]},
			{type: 'object', name: 'system / Context', id: 15, size: 64, edges: [{type: 'context', name: 'cache', to: 4}]},
			{type: 'object', name: 'Map', id: 17, size: 32, edges: [{type: 'internal', name: 'table', to: 5}]},
			{type: 'array', name: '', id: 19, size: 64, edges: [{type: 'element', name: 0, to: 6}, {type: 'element', name: 1, to: 7}]},
			{type: 'object', name: 'Buffer', id: 101, size: 80, edges: []},
			{type: 'object', name: 'Buffer', id: 103, size: 80, edges: []},
		];
		const graph = readHeapGraph(snapshot(nodes));
		expect(graph.pathTo('Buffer', 100)).toBe('(module or closure scope).cache → Map.table → (array)[0] → Buffer');
		// Held from the global object directly, the path is as before.
		expect(readHeapGraph(heap(8)).pathTo('Session', 111)).toBe('global.list → Array[3] → Session');
	});

	test('a JavaScriptCore (Bun) snapshot: its GlobalObject is the global, and its unnamed internal references add no dot', () => {
		const nodes: Node[] = [
			// The root reaches the array sooner through a handle than through the global object.
			{type: 'synthetic', name: '', id: 0, size: 0, edges: [{type: 'element', name: 1, to: 3}, {type: 'internal', name: '', to: 1}]},
			{type: 'object', name: 'GlobalObject', id: 11, size: 40, edges: [{type: 'property', name: 'sessions', to: 2}]},
			{type: 'object', name: 'Array', id: 13, size: 32, edges: [{type: 'internal', name: '', to: 3}]},
			{type: 'array', name: '', id: 15, size: 64, edges: [{type: 'element', name: 0, to: 4}, {type: 'element', name: 1, to: 5}]},
			{type: 'object', name: 'Session', id: 101, size: 48, edges: []},
			{type: 'object', name: 'Session', id: 103, size: 48, edges: []},
		];
		expect(readHeapGraph(snapshot(nodes)).pathTo('Session', 100)).toBe('global.sessions → Array → (array)[0] → Session');
	});
});

describe('which snapshots are diffed', () => {
	const at = (pid: number, name: string, bytes: number): Snapshot => ({file: `${pid}-${name}.heapsnapshot`, pid, name, bytes, timeMs: 0});
	test('the process whose heap grew most from its baseline, not the one with the largest heap', () => {
		// `npm run test`: npm's heap is the larger, the test's grew.
		const npm = [at(10, 'start', 7_700_000), at(10, 'exit', 7_720_000)];
		const test = [at(11, 'start', 5_200_000), at(11, 'exit', 6_300_000)];
		expect(pickSnapshots([...npm, ...test], ['end', 'exit'])).toEqual({before: test[0], after: test[1]});
		// A baseline asked for is preferred to the snapshot a second in.
		const baseline = at(11, 'baseline', 5_900_000);
		expect(pickSnapshots([...npm, ...test, baseline], ['end', 'exit'])).toEqual({before: baseline, after: test[1]});
	});

	test('without a baseline anywhere, the largest last snapshot (the note then says why there is no diff); none without a last one', () => {
		const lasts = [at(10, 'exit', 7_700_000), at(11, 'exit', 9_000_000)];
		expect(pickSnapshots(lasts, ['end', 'exit'])).toEqual({before: undefined, after: lasts[1]});
		// One process with a baseline beats a larger one without.
		const pair = [at(10, 'start', 7_000_000), at(10, 'exit', 7_100_000)];
		expect(pickSnapshots([...pair, lasts[1]!], ['end', 'exit'])).toEqual({before: pair[0], after: pair[1]});
		expect(pickSnapshots([at(10, 'start', 7_000_000)], ['end', 'exit'])).toBeUndefined();
	});
});
