/** The key bar, and the help screen behind `?`. */
import chalk from 'chalk';
import {fit, spread} from './text.js';

/** One line of `width`: the keys, and a notice or the run folder on the right. */
export function keyLine(zoom: string, notice: string | undefined, width: number, heap = false): string {
	const keys = `${chalk.bold('q')} quit+report  ${chalk.bold('r')} report  ${chalk.bold('m')} mark  ${heap ? `${chalk.bold('h')} heap  ` : ''}${chalk.bold('p')} pause  ${chalk.bold('z')} zoom (${zoom})  ${chalk.bold('?')} help`;
	return spread(keys, notice ?? '', width);
}

/** The help text, exactly `rows` lines. */
export function helpLines(runDir: string, rows: number, width: number): string[] {
	const text = [
		'memmon: keys',
		'',
		'  q        stop, write the final report, exit (a spawned command is stopped: SIGTERM, then SIGKILL)',
		'  Ctrl+C   the same, recorded as interrupted',
		'  r        write the reports now (report.txt, .json, .md, .html), keep running',
		'  m        mark the run (type a label, Enter): a new phase in the reports',
		'  h        with --heap-snapshots: a heap snapshot now, and what grew since the baseline',
		'  p        pause the view (sampling goes on)',
		'  z        zoom: the whole run, or the most recent samples one per column',
		'  Ctrl+L   clear the terminal and draw the whole screen again',
		'  ?        this help; any key returns',
		'',
		'What you see',
		'  chart    RSS of the target (and its descendants) over time',
		'  Quarters the average of each quarter of the run, and Δ from the first',
		'  Growth   the growth rate on a bar over the bands: acceptable · warning · failure',
		'  Now/Peak RSS now, the largest sample, and the kernel\'s high-water mark (VmHWM) when higher',
		'  PSS/USS  proportional and unique set sizes (read less often: they cost more)',
		'  Threads/FDs threads and open file descriptors of the tree: first→now once they change',
		'',
		`Reports go to ${runDir}`,
	];
	const lines = text.slice(0, rows).map(line => fit(line, width));
	while (lines.length < rows) {
		lines.push(fit('', width));
	}

	return lines;
}
