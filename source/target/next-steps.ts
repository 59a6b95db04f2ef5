/**
Where to look next once memory grows: the tool that fits the target's runtime, with the exact
command for its PID or command line — only tools that are installed (found on PATH), and for a
native program the one to install when none is. memmon runs none of them.
*/
import fs from 'node:fs';
import path from 'node:path';

/** What kind of program the target is, as far as its executable's name says. */
export type Runtime = 'node' | 'python' | 'jvm' | 'native';

/** The runtime of an executable by its name (`/usr/bin/python3.11` → python). */
export function runtimeOf(executable: string): Runtime {
	const name = path.basename(executable);
	if (/^(node|nodejs|bun|deno)(\d.*)?$/.test(name)) {
		return 'node';
	}

	if (/^(python|pypy)(\d.*)?$/.test(name)) {
		return 'python';
	}

	return /^java$/.test(name) ? 'jvm' : 'native';
}

/** A command line as a shell would take it back. */
function shellLine(argv: readonly string[]): string {
	return argv.map(arg => /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll('\'', '\'\\\'\'')}'`).join(' ');
}

/** True when `tool` is an executable file in a folder of PATH. */
export function onPath(tool: string, pathVariable = process.env.PATH ?? ''): boolean {
	return pathVariable.split(path.delimiter).some(dir => {
		try {
			fs.accessSync(path.join(dir || '.', tool), fs.constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

/** The target as the suggestions need it. */
export type NextTarget = {
	/** The spawned command, or undefined for an attached process. */
	readonly command: readonly string[] | undefined;
	readonly pid: number;
	/** The executable: the tree's largest process's (RunFacts.workloadExecutable), else the command's first word or the attached command line's. */
	readonly executable: string;
	/** `--tracemalloc` or `--heap-snapshots` was on. */
	readonly traced: boolean;
	/** `--js-heap` was on (and the workload wrote what it saw). */
	readonly jsHeap?: boolean | undefined;
	/** The options a JVM reads from the environment (JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, _JAVA_OPTIONS), joined. */
	readonly javaOptions?: string | undefined;
};

/** What to run to see where the memory goes, one suggestion a line. */
export function nextSteps(target: NextTarget, installed: (tool: string) => boolean = tool => onPath(tool)): string[] {
	const {command, pid} = target;
	const line = command ? shellLine(command) : undefined;
	switch (runtimeOf(target.executable)) {
		case 'python': {
			const steps: string[] = [];
			if (line && !target.traced) {
				steps.push(`the lines that allocate what stays: memmon --tracemalloc -- ${line}`);
			}

			// memray runs a script or a module itself: the command's arguments, where its first word is Python.
			if (installed('memray') && (!command || runtimeOf(command[0] ?? '') === 'python')) {
				steps.push(command ? `every allocation with its stack: memray run -o memray.bin ${command.slice(1).join(' ')} (then memray flamegraph memray.bin)` : `every allocation with its stack: memray attach ${pid}`);
			}

			return steps;
		}

		case 'node': {
			if (line) {
				return [
					...target.jsHeap ? [] : [`objects that stay, or V8 sizing its heap (costs next to nothing): memmon --js-heap -- ${line}`],
					...target.traced ? [] : [`the objects that grow and what holds them: memmon --heap-snapshots -- ${line}`],
				];
			}

			return target.traced ? [] : [`the objects that grow and what holds them, through its inspector (memmon sends it SIGUSR1; the inspector stays open on 127.0.0.1): memmon --pid ${pid} --heap-snapshots --open-inspector`];
		}

		case 'jvm': {
			// Without a maximum heap, G1 sizes it against a quarter of the machine's memory for hours: a
			// bounded LRU server rose in a line at 220 MiB/h for half an hour (bench/real/periodic/).
			const options = [...command ?? [], target.javaOptions ?? ''].join(' ');
			const unbounded = command !== undefined && !/(^|\s)(-Xmx\S|-XX:MaxHeapSize=|-XX:MaxRAM(Percentage)?=)/.test(options);
			return [
				...unbounded ? ['a maximum heap for the test (java -Xmx512m …): without one the JVM sizes its heap against a quarter of the machine\'s memory for hours, and RSS rises like a leak meanwhile'] : [],
				...installed('jcmd') ? [`the classes that grow: jcmd ${pid} GC.class_histogram, twice, minutes apart (or jcmd ${pid} GC.heap_dump heap.hprof for a heap analyser)`] : [],
			];
		}

		default: {
			const steps: string[] = [];
			if (installed('heaptrack')) {
				steps.push(`every allocation with its stack: ${line ? `heaptrack ${line}` : `heaptrack -p ${pid}`} (then heaptrack_print, or heaptrack_gui)`);
			}

			if (line && installed('valgrind')) {
				steps.push(`heap over time: valgrind --tool=massif ${line} (slow; then ms_print massif.out.<pid>)`);
			}

			if (steps.length === 0) {
				steps.push(`every allocation with its stack: heaptrack (apt-get install heaptrack), then ${line ? `heaptrack ${line}` : `heaptrack -p ${pid}`}`);
			}

			return steps;
		}
	}
}
