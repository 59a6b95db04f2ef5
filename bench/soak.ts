/**
`npm run bench:soak [-- DURATION]`: memmon watching memmon. A live-view memmon (tmux, 120×40,
1 s) watches a steady workload; a second memmon (plain) watches the first for DURATION (default
30m) and gives its verdict on memmon's own memory. The bar: "acceptable".
*/
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const duration = process.argv[2] ?? '30m';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memmon-soak-'));
const socket = `memmon-soak-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
const cli = path.join(root, 'dist/cli.js');
tmux('new-session', '-d', '-x', '120', '-y', '40', 'env', '-u', 'CI', process.execPath, cli, '--interval', '1s', '--report-dir', path.join(dir, 'watched'), '--', process.execPath, path.join(root, 'test/fixtures/steady.js'), '50');
const pid = Number(tmux('list-panes', '-F', '#{pane_pid}').trim());
process.stderr.write(`watching memmon PID ${pid} (live view in tmux) for ${duration}\n`);
const watcher = spawnSync(process.execPath, [cli, '--pid', String(pid), '--interval', '1s', '--duration', duration, '--no-children', '--plain', '--print-every', '5m', '--label', 'self-watch', '--report-dir', path.join(dir, 'watcher')], {stdio: ['ignore', 'inherit', 'inherit']});
tmux('kill-server');
const report = JSON.parse(fs.readFileSync(path.join(dir, 'watcher', 'latest', 'report.json'), 'utf8')) as {
	samples: number;
	memory: {initial_bytes: number; final_bytes: number; peak_sampled_bytes: number};
	growth: {verdict: string; rate_bytes_per_hour: number | null; rate_low_bytes_per_hour: number | null; rate_high_bytes_per_hour: number | null; pattern: string | null};
};
const mib = (v: number | null): string => v === null ? '—' : (v / 1_048_576).toFixed(2);
const line = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, memmon (live view, 120×40, 1 s) watched by memmon for ${duration}: ${report.samples} samples, RSS ${mib(report.memory.initial_bytes)} → ${mib(report.memory.final_bytes)} MiB (peak ${mib(report.memory.peak_sampled_bytes)}), rate ${mib(report.growth.rate_bytes_per_hour)} MiB/h (95%: ${mib(report.growth.rate_low_bytes_per_hour)} … ${mib(report.growth.rate_high_bytes_per_hour)}), verdict ${report.growth.verdict} (${report.growth.pattern ?? ''}); watcher exit ${watcher.status}`;
process.stdout.write(`${line}\n`);
// The file keeps its table of earlier builds (written by hand); the bench rewrites only what
// follows the marker.
const resultsFile = path.join(root, 'bench/soak-results.md');
const marker = 'Latest run (written by the bench):';
const previous = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : '';
const kept = previous.includes(marker) ? previous.slice(0, previous.indexOf(marker)) : '# memmon watching memmon\n\n';
fs.writeFileSync(resultsFile, `${kept}${marker}\n\n${line}\n`);
