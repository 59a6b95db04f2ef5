import {describe, expect, test} from 'vitest';
import {nextSteps, onPath, runtimeOf} from '../../source/target/next-steps.js';

const none = (): boolean => false;
const all = (): boolean => true;

describe('where to look next', () => {
	test('the runtime from the executable\'s name', () => {
		expect(['/usr/bin/node', 'node22', 'python3.11', '/opt/pypy3', 'java', '/usr/sbin/redis-server', 'bash'].map(runtimeOf))
			.toEqual(['node', 'node', 'python', 'python', 'jvm', 'native', 'native']);
	});

	test('Python: --tracemalloc for a spawned script unless it ran with it; memray where installed', () => {
		const spawned = {command: ['python3', 'app.py', '--port', '8080'], pid: 42, executable: 'python3', traced: false};
		expect(nextSteps(spawned, none)).toEqual(['the lines that allocate what stays: memmon --tracemalloc -- python3 app.py --port 8080']);
		expect(nextSteps({...spawned, traced: true}, none)).toEqual([]);
		expect(nextSteps({command: undefined, pid: 42, executable: '/usr/bin/python3', traced: false}, all)).toEqual(['every allocation with its stack: memray attach 42']);
		// A wrapper (a pyenv shim, `sh -c`) whose largest process ran Python: --tracemalloc reaches it
		// through the environment; memray, which runs a script itself, is not given the wrapper's arguments.
		const pytest = {command: ['pytest', 'tests/test_leaks.py'], pid: 43, executable: '/root/.pyenv/versions/3.11.7/bin/python3.11', traced: false};
		expect(nextSteps(pytest, all)).toEqual(['the lines that allocate what stays: memmon --tracemalloc -- pytest tests/test_leaks.py']);
	});

	test('Node: --js-heap and --heap-snapshots for a spawned program unless it ran with them; the signal and DevTools for an attached one', () => {
		const spawned = {command: ['node', 'server.js'], pid: 5, executable: 'node', traced: false};
		const jsHeap = 'objects that stay, or V8 sizing its heap (costs next to nothing): memmon --js-heap -- node server.js';
		const snapshots = 'the objects that grow and what holds them: memmon --heap-snapshots -- node server.js';
		expect(nextSteps(spawned, none)).toEqual([jsHeap, snapshots]);
		expect(nextSteps({...spawned, jsHeap: true}, none)).toEqual([snapshots]);
		expect(nextSteps({...spawned, traced: true}, none)).toEqual([jsHeap]);
		expect(nextSteps({...spawned, traced: true, jsHeap: true}, none)).toEqual([]);
		expect(nextSteps({command: undefined, pid: 5, executable: '/usr/bin/node', traced: false}, none)[0]).toMatch(/memmon --pid 5 --heap-snapshots --open-inspector$/);
		expect(nextSteps({command: undefined, pid: 5, executable: '/usr/bin/node', traced: true}, none)).toEqual([]);
	});

	test('native: heaptrack and massif with the exact command where installed, else how to get heaptrack', () => {
		const spawned = {command: ['./server', '--name', 'a b'], pid: 7, executable: './server', traced: false};
		expect(nextSteps(spawned, all)).toEqual([
			'every allocation with its stack: heaptrack ./server --name \'a b\' (then heaptrack_print, or heaptrack_gui)',
			'heap over time: valgrind --tool=massif ./server --name \'a b\' (slow; then ms_print massif.out.<pid>)',
		]);
		expect(nextSteps({command: undefined, pid: 7, executable: '/usr/bin/redis-server', traced: false}, none)).toEqual(['every allocation with its stack: heaptrack (apt-get install heaptrack), then heaptrack -p 7']);
	});

	test('JVM: a class histogram by PID where jcmd is installed, nothing where it is not; a maximum heap where a spawned JVM has none', () => {
		const bounded = {command: ['java', '-Xmx256m', '-jar', 'a.jar'], pid: 9, executable: 'java', traced: false};
		expect(nextSteps(bounded, tool => tool === 'jcmd')).toHaveLength(1);
		expect(nextSteps(bounded, tool => tool === 'jcmd')[0]).toMatch(/^the classes that grow: jcmd 9 GC\.class_histogram/);
		expect(nextSteps(bounded, none)).toEqual([]);
		const maxHeap = /^a maximum heap for the test \(java -Xmx512m …\)/;
		const unbounded = {...bounded, command: ['java', '-jar', 'a.jar']};
		expect(nextSteps(unbounded, none)).toHaveLength(1);
		expect(nextSteps(unbounded, none)[0]).toMatch(maxHeap);
		expect(nextSteps({...unbounded, javaOptions: '-XX:MaxRAMPercentage=50'}, none)).toEqual([]);
		expect(nextSteps({...unbounded, command: ['java', '-XX:MaxHeapSize=1g', 'Main']}, none)).toEqual([]);
		// An attached JVM: its command line is not known here.
		expect(nextSteps({...unbounded, command: undefined}, none)).toEqual([]);
	});

	test('PATH is searched for an executable file', () => {
		expect(onPath('sh', '/nonexistent:/bin:/usr/bin')).toBe(true);
		expect(onPath('sh', '/nonexistent')).toBe(false);
	});
});
