import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
}

interface Scanner {
	analyzePackage(packageDir: string, filePatterns?: string[]): Promise<ScanResult>;
	SOURCE_FILE_PATTERNS: string[];
}

interface PackageJson {
	dependencies?: Record<string, string>;
	overrides?: unknown;
	scripts?: Record<string, string>;
	n8n?: { nodes?: string[]; credentials?: string[] };
}

interface PackResult {
	filename: string;
	files: Array<{ path: string }>;
}

const root = resolve(__dirname, '..');
const installScripts = ['preinstall', 'install', 'postinstall', 'prepare'];
const allowedTopLevel = ['package.json', 'README.md', 'LICENSE'];
// The same file sets n8n's own scan uses: compiled output for the tarball, sources for the repo.
const tarballPatterns = ['**/*.js', 'package.json'];

let failures = 0;

function report(name: string, problems: string[]): void {
	if (problems.length === 0) {
		console.log(`PASS  ${name}`);
		return;
	}

	failures++;
	console.log(`FAIL  ${name}`);
	for (const problem of problems) console.log(`      ${problem}`);
}

function run(command: string, args: string[], cwd: string) {
	return spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function checkManifest(pkg: PackageJson): void {
	report(
		'package.json has no "dependencies"',
		pkg.dependencies === undefined ? [] : [`found: ${JSON.stringify(pkg.dependencies)}`],
	);
	report(
		'package.json has no "overrides"',
		pkg.overrides === undefined ? [] : [`found: ${JSON.stringify(pkg.overrides)}`],
	);

	const lifecycle = installScripts.filter((name) => pkg.scripts?.[name] !== undefined);
	report(
		'package.json has no install lifecycle scripts',
		lifecycle.map((name) => `script "${name}" runs when users install the package`),
	);
}

function build(): boolean {
	// tsc never deletes output, so a stale file from a removed source would otherwise ship.
	rmSync(join(root, 'dist'), { recursive: true, force: true });
	const result = run('npm', ['run', 'build'], root);
	report('build', result.status === 0 ? [] : [`${result.stdout}${result.stderr}`.trim()]);
	return result.status === 0;
}

function pack(workDir: string): { unpacked: string; files: string[] } | undefined {
	const result = run('npm', ['pack', '--json', '--pack-destination', workDir], root);
	if (result.status !== 0) {
		report('npm pack', [result.stderr.trim()]);
		return undefined;
	}

	const [packed] = JSON.parse(result.stdout) as PackResult[];
	const unpacked = join(workDir, 'package');
	mkdirSync(unpacked);
	const untar = run(
		'tar',
		['-xzf', join(workDir, packed.filename), '-C', unpacked, '--strip-components=1'],
		root,
	);
	report('npm pack and unpack', untar.status === 0 ? [] : [untar.stderr.trim()]);
	if (untar.status !== 0) return undefined;

	return { unpacked, files: packed.files.map((file) => file.path) };
}

function checkTarball(unpacked: string, files: string[], pkg: PackageJson): void {
	report(
		'tarball holds only dist/, README.md, LICENSE and package.json',
		files
			.filter((file) => !file.startsWith('dist/') && !allowedTopLevel.includes(file))
			.map((file) => `unexpected: ${file}`),
	);

	report(
		'tarball includes README.md and LICENSE',
		['README.md', 'LICENSE'].filter((file) => !files.includes(file)).map((f) => `missing: ${f}`),
	);

	const nodes = pkg.n8n?.nodes ?? [];
	const expected = [
		...nodes,
		...(pkg.n8n?.credentials ?? []),
		...nodes.map((node) => node.replace(/\.js$/, '.json')),
	];
	report(
		'tarball has every file under "n8n" and a codex file beside each node',
		expected.filter((file) => !existsSync(join(unpacked, file))).map((f) => `missing: ${f}`),
	);
}

async function scan(scanner: Scanner, name: string, dir: string, patterns: string[]) {
	const result = await scanner.analyzePackage(dir, patterns);
	const problems = result.passed ? [] : [result.message ?? 'failed', result.details ?? ''];
	report(
		name,
		problems.filter((problem) => problem !== ''),
	);
}

async function main(): Promise<void> {
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
	checkManifest(pkg);

	const workDir = mkdtempSync(join(tmpdir(), 'xlead-verify-'));
	try {
		const packed = build() ? pack(workDir) : undefined;
		if (packed) {
			checkTarball(packed.unpacked, packed.files, pkg);

			// A variable specifier keeps tsc from looking for types this package does not ship.
			const specifier = '@n8n/scan-community-package/scanner/scanner.mjs';
			const scanner = (await import(specifier)) as Scanner;
			await scan(scanner, 'n8n scanner: packed package', packed.unpacked, tarballPatterns);
			await scan(scanner, 'n8n scanner: source tree', root, scanner.SOURCE_FILE_PATTERNS);
		} else {
			report('packed package checks', ['skipped: build or pack failed']);
		}
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}

	console.log(failures === 0 ? '\nverify: all checks passed' : `\nverify: ${failures} failed`);
	process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
