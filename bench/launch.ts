/** Start memmon in the bench as the installed `memmon` command starts. */
import fs from 'node:fs';

/** Node's arguments for `cli`: the flags of its shebang line (`env -S node --flag…`), then the file. */
export function memmonArgs(cli: string): string[] {
	const first = fs.readFileSync(cli, 'utf8').split('\n', 1)[0] ?? '';
	const flags = first.startsWith('#!') ? first.split(/\s+/).filter(word => word.startsWith('--')) : [];
	return [...flags, cli];
}
