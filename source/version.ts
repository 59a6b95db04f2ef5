/** memmon's version, from package.json. */
import fs from 'node:fs';

let cached: string | undefined;

/** The version string of this memmon. */
export function version(): string {
	if (cached === undefined) {
		try {
			const text = fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8');
			cached = String((JSON.parse(text) as {version?: unknown}).version ?? '0.0.0');
		} catch {
			cached = '0.0.0';
		}
	}

	return cached;
}
