/**
The house's shape (ARCHITECTURE.md): no import cycles, and no layer importing one above it.
The layers are listed bottom up; a module may import its own layer and those below.
*/
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {root} from './helpers/cli.js';
import {cycles, importGraph, upwardImports, type Layer} from './helpers/imports.js';

const LAYERS: readonly Layer[] = [
	{name: 'base', modules: ['units', 'version', 'environment', 'errors', 'clock', 'bucket', 'files']},
	{name: 'sampler', modules: ['sampler/']},
	{name: 'target', modules: ['target/']},
	{name: 'statistics', modules: ['analysis/']},
	{name: 'store', modules: ['series', 'phases', 'counts', 'ring']},
	{name: 'assessment', modules: ['analysis/index', 'analysis/gates']},
	{name: 'record', modules: ['record/']},
	{name: 'views', modules: ['monitor', 'snapshot', 'metrics', 'sinks/', 'ui/']},
	{name: 'session', modules: ['session', 'session-options', 'shown-verdict']},
	{name: 'commands', modules: ['commands/', 'options', 'options-analysis', 'option-values', 'flags', 'argv']},
	{name: 'entry', modules: ['cli']},
];

describe('the module graph', () => {
	const graph = importGraph(path.join(root, 'source'));

	test('is read from the files: the entry imports the commands through options, and the store its quarters', () => {
		expect(graph.size).toBeGreaterThan(40);
		expect(graph.get('cli')).toContain('options');
		expect(graph.get('series')).toContain('analysis/quarters');
	});

	test('has no cycles', () => {
		expect(cycles(graph)).toEqual([]);
	});

	test('imports only downward, and every module has a layer', () => {
		expect(upwardImports(graph, LAYERS)).toEqual({upward: [], unplaced: []});
	});
});

describe('the checks themselves', () => {
	test('a cycle of three and a self-import are found; a diamond is not a cycle', () => {
		const graph = new Map([
			['a', ['b']], ['b', ['c']], ['c', ['a']],
			['d', ['d']],
			['e', ['f', 'g']], ['f', ['h']], ['g', ['h']], ['h', []],
		]);
		expect(cycles(graph).sort()).toEqual([['a', 'b', 'c'], ['d']]);
	});

	test('an upward import is named with both layers; a file outranks its folder', () => {
		const layers: Layer[] = [
			{name: 'low', modules: ['units', 'analysis/']},
			{name: 'high', modules: ['analysis/index', 'ui/']},
		];
		const graph = new Map([
			['analysis/verdict', ['analysis/index', 'units']],
			['analysis/index', ['analysis/verdict']],
			['ui/app', ['analysis/index']],
			['stray', []],
		]);
		expect(upwardImports(graph, layers)).toEqual({upward: ['analysis/verdict (low) → analysis/index (high)'], unplaced: ['stray']});
	});
});
