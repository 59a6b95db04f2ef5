/**
After every test file has run: no workload a test started may outlive the run. memmon never takes
its workload with it when it dies (by design), so a test that failed before stopping memmon, and
killed it, left the workload running — one of them, leaking 1.3 MiB a second, held 7 GiB ninety
minutes later. Any process still running one of this checkout's fixtures is killed.
*/
import fs from 'node:fs';
import path from 'node:path';

const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures') + path.sep;

export function teardown(): void {
	let pids: string[] = [];
	try {
		pids = fs.readdirSync('/proc').filter(name => /^\d+$/.test(name) && Number(name) !== process.pid);
	} catch {
		return;
	}

	const left: string[] = [];
	for (const pid of pids) {
		let commandLine = '';
		try {
			commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
		} catch {
			continue;
		}

		if (commandLine.includes(fixtures)) {
			left.push(`${pid} ${commandLine.trim()}`);
			try {
				process.kill(Number(pid), 'SIGKILL');
			} catch {}
		}
	}

	if (left.length > 0) {
		console.warn(`killed ${left.length} fixture process(es) a test left running:\n${left.join('\n')}`);
	}
}
