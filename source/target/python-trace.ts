/**
`--tracemalloc`: which lines of a spawned Python workload allocated the memory that stayed.

memmon writes a small `sitecustomize.py` into the run folder and puts that folder first on the
workload's PYTHONPATH, with PYTHONTRACEMALLOC=1 (Python's own switch: tracing from the first
allocation). The first Python process of the workload (not its Python children) then takes
tracemalloc snapshots — one second in (`start`), when memmon asks (a `request-NAME` file it
polls for four times a second), and at exit — each written as `snapshot-NAME.json`: every traced
line with its bytes and blocks. memmon diffs the baseline and the last snapshot by line.
A user's own sitecustomize still runs: memmon's imports it after its own setup.
*/
import fs from 'node:fs';
import path from 'node:path';
import {makeDirectory} from '../files.js';

const SITECUSTOMIZE = String.raw`"""memmon --tracemalloc: tracemalloc snapshots of this process on request (see memmon's README)."""
import os


def _memmon_tracemalloc():
    import atexit
    import json
    import threading
    import time
    import tracemalloc

    out = os.environ.get('MEMMON_TRACEMALLOC_DIR')
    # Only the workload's first Python process: its Python children inherit the environment.
    if not out or os.environ.get('MEMMON_TRACEMALLOC_OWNER', str(os.getpid())) != str(os.getpid()):
        return
    os.environ['MEMMON_TRACEMALLOC_OWNER'] = str(os.getpid())
    os.environ.pop('PYTHONTRACEMALLOC', None)
    if not tracemalloc.is_tracing():
        tracemalloc.start(1)
    here = os.path.abspath(__file__)
    ignored = (tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, here),
               tracemalloc.Filter(False, '<frozen importlib._bootstrap>'),
               tracemalloc.Filter(False, '<frozen importlib._bootstrap_external>'),
               tracemalloc.Filter(False, '<unknown>'))
    lock = threading.Lock()

    def snap(name):
        with lock:
            if not tracemalloc.is_tracing():
                return
            try:
                stats = tracemalloc.take_snapshot().filter_traces(ignored).statistics('lineno')
                lines = [[s.traceback[0].filename, s.traceback[0].lineno, s.size, s.count] for s in stats]
                target = os.path.join(out, 'snapshot-%s.json' % name)
                with open(target + '.tmp', 'w') as f:
                    json.dump({'name': name, 'time': time.time(), 'pid': os.getpid(), 'lines': lines}, f)
                os.replace(target + '.tmp', target)
            except OSError:
                pass  # the run folder went away: nothing to write to, and the workload goes on

    def watch():
        time.sleep(1)
        snap('start')
        while True:
            time.sleep(0.25)
            try:
                entries = sorted(os.listdir(out))
            except OSError:
                continue
            for entry in entries:
                if entry.startswith('request-'):
                    try:
                        os.remove(os.path.join(out, entry))
                    except OSError:
                        continue
                    snap(entry[len('request-'):])

    threading.Thread(target=watch, name='memmon-tracemalloc', daemon=True).start()
    atexit.register(snap, 'exit')


def _memmon_chain():
    # The environment's own sitecustomize, if there is one, runs after memmon's. Where there is
    # none, this module stays in its place: the import that runs it takes it out of sys.modules
    # when it is done (a Python without a sitecustomize of its own, pyenv's or uv's, printed
    # "Error in sitecustomize; … KeyError: 'sitecustomize'" into the workload's output).
    import sys
    folder = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or '.') != folder]
    mine = sys.modules.pop('sitecustomize', None)
    try:
        import sitecustomize  # noqa: F401
    except ImportError as error:
        if error.name != 'sitecustomize':
            raise
    finally:
        if 'sitecustomize' not in sys.modules and mine is not None:
            sys.modules['sitecustomize'] = mine


try:
    _memmon_tracemalloc()
except Exception as error:  # never break the workload
    import sys
    print('memmon --tracemalloc: not traced: %s' % error, file=sys.stderr)
_memmon_chain()
`;

/** Write sitecustomize.py into `dir` (made if needed); the environment a Python workload needs for it. */
export function preparePythonTrace(dir: string, environment: Readonly<NodeJS.ProcessEnv>): NodeJS.ProcessEnv {
	makeDirectory(dir);
	fs.writeFileSync(path.join(dir, 'sitecustomize.py'), SITECUSTOMIZE);
	const pythonPath = environment.PYTHONPATH ? `${dir}${path.delimiter}${environment.PYTHONPATH}` : dir;
	return {...environment, PYTHONPATH: pythonPath, PYTHONTRACEMALLOC: '1', MEMMON_TRACEMALLOC_DIR: dir};
}

/** Ask the workload for a snapshot named `name` (letters and digits). */
export function requestSnapshot(dir: string, name: string): void {
	try {
		fs.writeFileSync(path.join(dir, `request-${name}`), '');
	} catch {}
}

/**
Wait for the workload to write `snapshot-NAME.json`: up to `pickupMs` for it to take the request
(its watcher deletes the request file), then up to `writeMs` more while it writes — tracemalloc's
snapshot of a big or starved process takes seconds. Not past the workload's end (`running`).
True when the snapshot came.
*/
export async function waitForSnapshot(dir: string, name: string, pickupMs: number, writeMs: number, running = (): boolean => true): Promise<boolean> {
	const file = path.join(dir, `snapshot-${name}.json`);
	const request = path.join(dir, `request-${name}`);
	let until = Date.now() + pickupMs;
	let pickedUp = false;
	while (!fs.existsSync(file)) {
		if (!pickedUp && !fs.existsSync(request)) {
			pickedUp = true;
			until = Date.now() + writeMs;
		}

		if (Date.now() >= until || !running()) {
			return fs.existsSync(file);
		}

		await new Promise(resolve => setTimeout(resolve, 100));
	}

	return true;
}
