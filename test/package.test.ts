import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

type Icon = string | { light: string; dark: string };

interface Described {
	icon?: Icon;
	description?: { icon?: Icon };
}

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	keywords?: string[];
	dependencies?: unknown;
	peerDependencies?: unknown;
	n8n: { nodes: string[]; credentials: string[] };
};

const distEntries = [...pkg.n8n.nodes, ...pkg.n8n.credentials];

function sourceOf(distPath: string): string {
	return join(root, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

function iconPaths(source: string): string[] {
	const loaded = require(source) as Record<string, unknown>;
	const classes = Object.values(loaded).filter((value) => typeof value === 'function');

	return (classes as Array<new () => Described>).flatMap((Type) => {
		const instance = new Type();
		const icon = instance.description?.icon ?? instance.icon;
		const files = typeof icon === 'string' ? [icon] : icon ? [icon.light, icon.dark] : [];
		return files.map((file) => join(dirname(source), file.replace(/^file:/, '')));
	});
}

describe('package.json', () => {
	it('has no runtime dependencies', () => {
		expect(pkg.dependencies).toBeUndefined();
	});

	it('asks only for n8n-workflow from the host', () => {
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('carries the community node keyword', () => {
		expect(pkg.keywords).toContain('n8n-community-node-package');
	});

	it.each(distEntries)('builds %s from a source file that exists', (distPath) => {
		expect(distPath).toMatch(/^dist\/.+\.js$/);
		expect(existsSync(sourceOf(distPath))).toBe(true);
	});

	it.each(pkg.n8n.nodes)('has a codex file beside %s', (distPath) => {
		expect(existsSync(sourceOf(distPath).replace(/\.ts$/, '.json'))).toBe(true);
	});

	it.each(distEntries)('finds every icon that %s references', (distPath) => {
		const icons = iconPaths(sourceOf(distPath));

		expect(icons.length).toBeGreaterThan(0);
		expect(icons.filter((icon) => !existsSync(icon))).toEqual([]);
	});
});
