import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {formatRow, SAMPLE_HEADER, SampleLog} from '../../source/record/sample-log.js';
import {temporaryDir} from '../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) {
		fs.rmSync(dir, {recursive: true, force: true});
	}
});

function file(): string {
	const dir = temporaryDir();
	dirs.push(dir);
	return path.join(dir, 'samples.csv');
}

describe('sample log', () => {
	test('rows: absent fields empty, marks quoted', () => {
		expect(formatRow({t: 1.5, wallMs: Date.UTC(2026, 0, 1), rss: 1000, processes: 2})).toBe('1.500,2026-01-01T00:00:00.000Z,1000,,,,,,2,,,,,,,\n');
		expect(formatRow({t: 0, wallMs: 0, rss: 1, pss: 2, uss: 3, swap: 0, hwm: 5, cpu: 12.345, processes: 1, started: 1, threads: 7, fds: 12, mark: 'used, "twice"'}))
			.toBe('0.000,1970-01-01T00:00:00.000Z,1,2,3,0,5,12.3,1,1,7,12,,,,"used, ""twice"""\n');
	});

	test('each append reaches the file at once (a kill -9 loses nothing written)', () => {
		const at = file();
		const log = new SampleLog(at, 0);
		log.append({t: 0, wallMs: 0, rss: 10, processes: 1}, 0);
		log.append({t: 1, wallMs: 1000, rss: 11, processes: 1}, 1000);
		// Read before close: the lines are already there.
		expect(fs.readFileSync(at, 'utf8')).toBe(`${SAMPLE_HEADER}\n0.000,1970-01-01T00:00:00.000Z,10,,,,,,1,,,,,,,\n1.000,1970-01-01T00:00:01.000Z,11,,,,,,1,,,,,,,\n`);
		log.close(2000);
	});

	test('a log begun before threads and fds were recorded goes on in its own columns', () => {
		const at = file();
		const legacy = 't_seconds,time,rss_bytes,pss_bytes,uss_bytes,swap_bytes,hwm_bytes,cpu_percent,processes,mark';
		fs.writeFileSync(at, `${legacy}\n0.000,1970-01-01T00:00:00.000Z,10,,,,,,1,\n`);
		const log = new SampleLog(at, 0);
		log.append({t: 1, wallMs: 1000, rss: 11, processes: 1, threads: 3, fds: 9, mark: 'resumed'}, 1000);
		log.close(2000);
		expect(fs.readFileSync(at, 'utf8')).toBe(`${legacy}\n0.000,1970-01-01T00:00:00.000Z,10,,,,,,1,\n1.000,1970-01-01T00:00:01.000Z,11,,,,,,1,resumed\n`);
	});

	test('a log begun before started_rss_bytes was recorded goes on in its own columns', () => {
		const at = file();
		const older = 't_seconds,time,rss_bytes,pss_bytes,uss_bytes,swap_bytes,hwm_bytes,cpu_percent,processes,threads,fds,anon_bytes,file_bytes,shmem_bytes,mark';
		fs.writeFileSync(at, `${older}\n0.000,1970-01-01T00:00:00.000Z,10,,,,,,1,2,8,,,,\n`);
		const log = new SampleLog(at, 0);
		log.append({t: 1, wallMs: 1000, rss: 11, processes: 1, started: 2, threads: 3, fds: 9, mark: 'resumed'}, 1000);
		log.close(2000);
		expect(fs.readFileSync(at, 'utf8')).toBe(`${older}\n0.000,1970-01-01T00:00:00.000Z,10,,,,,,1,2,8,,,,\n1.000,1970-01-01T00:00:01.000Z,11,,,,,,1,3,9,,,,resumed\n`);
	});

	test('appending to an existing log keeps its header single', () => {
		const at = file();
		new SampleLog(at, 0).close(0);
		const log = new SampleLog(at, 0);
		log.append({t: 0, wallMs: 0, rss: 1, processes: 1}, 0);
		log.close(0);
		expect(fs.readFileSync(at, 'utf8').split('\n').filter(line => line === SAMPLE_HEADER)).toHaveLength(1);
	});

	test('a folder that vanishes: lines wait in a bounded buffer and go out when it is back', () => {
		const at = file();
		const log = new SampleLog(at, 0, 3);
		log.append({t: 0, wallMs: 0, rss: 1, processes: 1}, 0);
		const dir = path.dirname(at);
		fs.rmSync(dir, {recursive: true});
		// The open descriptor still points at the deleted file; force a reopen by closing it.
		log.close(0);
		for (let i = 1; i <= 5; i++) {
			log.append({t: i, wallMs: 0, rss: i, processes: 1}, 0);
		}

		expect(log.error).toBe('ENOENT');
		expect(log.pending).toBe(3);
		expect(log.dropped).toBe(2);
		fs.mkdirSync(dir);
		log.append({t: 6, wallMs: 0, rss: 6, processes: 1}, 0);
		expect(log.error).toBeUndefined();
		expect(log.pending).toBe(0);
		const [header, ...lines] = fs.readFileSync(at, 'utf8').trim().split('\n');
		expect(header).toBe(SAMPLE_HEADER);
		expect(lines.map(line => line.split(',')[2])).toEqual(['4', '5', '6']);
		log.close(0);
	});
});
