/** memmon's command line before the flags are parsed: split at `--`, unknown and repeated flags found. */

/**
The first flag in `argv` that is not one of `known` (kebab-case names without dashes; booleans
also accept `no-NAME`), or `undefined`.
*/
export function findUnknownFlag(argv: readonly string[], known: ReadonlySet<string>): string | undefined {
	for (const arg of argv) {
		if (arg === '--') {
			return undefined;
		}

		if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
			continue;
		}

		const name = arg.replace(/^--?/, '').split('=')[0]!;
		if (!known.has(name) && !(name.startsWith('no-') && known.has(name.slice(3)))) {
			return arg.split('=')[0];
		}
	}

	return undefined;
}

/** The first of memmon's flags given twice (`--interval 1s --interval 2s`), or undefined. */
export function findRepeatedFlag(argv: readonly string[]): string | undefined {
	const seen = new Set<string>();
	for (const arg of argv) {
		if (arg === '--') {
			return undefined;
		}

		if (!arg.startsWith('--')) {
			continue;
		}

		const name = arg.slice(2).split('=')[0]!.replace(/^no-/, '');
		if (seen.has(name)) {
			return `--${name}`;
		}

		seen.add(name);
	}

	return undefined;
}

/** Split argv at the first `--`: memmon's own arguments, then the command. */
export function splitCommand(argv: readonly string[]): {own: string[]; command: string[]} {
	const at = argv.indexOf('--');
	return at === -1 ? {own: [...argv], command: []} : {own: argv.slice(0, at), command: argv.slice(at + 1)};
}
