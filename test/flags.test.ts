import {describe, expect, test} from 'vitest';
import {FLAGS, flagsOf, KNOWN, meowFlags, optionsHelp, ownersOf, SECTIONS, VALUED} from '../source/flags.js';

describe('the flag table', () => {
	const help = optionsHelp();

	test('every flag with a help section is listed in --help once, at the start of a line', () => {
		for (const flag of FLAGS.filter(flag => flag.section !== '')) {
			const usage = flag.usage ?? `--${flag.name}`;
			const listed = help.split('\n').filter(line => line.startsWith(`    ${usage}`) && (line.length === 4 + usage.length || /[ ]/.test(line[4 + usage.length]!)));
			expect(listed, flag.name).toHaveLength(1);
		}
	});

	test('every section named by a flag exists, and no section is empty', () => {
		const titles = SECTIONS.map(section => section.title);
		for (const flag of FLAGS.filter(flag => flag.section !== '')) {
			expect(titles).toContain(flag.section);
		}

		for (const title of titles) {
			expect(help).toContain(`  ${title}\n`);
		}
	});

	test('the parser, the checks and the glue read the same names', () => {
		expect(Object.keys(meowFlags())).toContain('reportDir');
		expect(meowFlags().children).toEqual({type: 'boolean', default: true});
		expect(KNOWN.has('kill-grace') && KNOWN.has('h')).toBe(true);
		expect(VALUED.has('--duration') && !VALUED.has('--plain')).toBe(true);
	});

	test('each command takes its own flags: report and compare are not a run', () => {
		expect([...flagsOf('report')].sort()).toEqual(['h', 'help', 'json', 'label', 'report-dir', 'since', 'v', 'version']);
		expect(flagsOf('compare').has('markdown')).toBe(true);
		expect(flagsOf('run').has('since')).toBe(false);
		expect(ownersOf('max-growth')).toEqual(['run', 'analyze', 'compare']);
	});
});
