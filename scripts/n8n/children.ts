/**
 * Child process helpers for the n8n runtime: every process started here is tracked and killed
 * (with its whole process group) when the parent exits, whatever the reason.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { constants } from 'node:os';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		// Negative pid: the whole process group (children are spawned detached, so they lead one).
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const child of live) killGroup(child, 'SIGKILL');
		live.clear();
	});
	// Children lead process groups of their own, so a Ctrl-C in the terminal does not reach them,
	// and a signal that kills this process skips 'exit' handlers. When nobody else handles the
	// signal (a script's own handler stops things gracefully), kill them and exit as the signal
	// would have.
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			if (process.listenerCount(signal) > 1) return;
			killAllChildrenNow();
			process.exit(128 + constants.signals[signal]);
		});
	}
}

/** Kills every child still running (SIGKILL, synchronous). For last-resort cleanup paths. */
export function killAllChildrenNow(): void {
	for (const child of live) killGroup(child, 'SIGKILL');
	live.clear();
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Kill the process (group) after this many milliseconds. */
	timeoutMs?: number;
	/** Called with every chunk of output, e.g. to show progress. */
	onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
	/** Also append all output to this file. */
	logFile?: string;
}

export class CommandError extends Error {
	constructor(
		message: string,
		readonly result: RunResult,
	) {
		super(message);
		this.name = 'CommandError';
	}
}

function track(child: ChildProcess): void {
	installExitHook();
	live.add(child);
	child.once('exit', () => live.delete(child));
}

/** Spawns a long-running process in its own process group; it is killed when we exit. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
	const child = spawn(command, args, { ...options, detached: true });
	track(child);
	return child;
}

/** Runs a command to completion and collects its output. Never throws on a non-zero exit. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const child = spawnTracked(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let log: WriteStream | undefined;
		if (options.logFile) log = createWriteStream(options.logFile, { flags: 'a' });
		const out: Buffer[] = [];
		const err: Buffer[] = [];
		const onData = (stream: 'stdout' | 'stderr', sink: Buffer[]) => (chunk: Buffer) => {
			sink.push(chunk);
			log?.write(chunk);
			options.onOutput?.(chunk.toString('utf8'), stream);
		};
		child.stdout?.on('data', onData('stdout', out));
		child.stderr?.on('data', onData('stderr', err));
		let timer: NodeJS.Timeout | undefined;
		if (options.timeoutMs !== undefined) {
			timer = setTimeout(() => killGroup(child, 'SIGKILL'), options.timeoutMs);
		}
		child.once('error', (error) => {
			if (timer) clearTimeout(timer);
			log?.end();
			reject(error);
		});
		child.once('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			log?.end();
			resolve({
				code,
				signal,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
			});
		});
	});
}

/** Like run(), but throws a CommandError (with the output tail) unless the exit code is 0. */
export async function runOrThrow(
	command: string,
	args: string[],
	options: RunOptions = {},
): Promise<RunResult> {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const tail = (result.stdout + '\n' + result.stderr).trim().split('\n').slice(-30).join('\n');
		throw new CommandError(
			`${command} ${args.join(' ')} failed (exit ${result.code ?? result.signal}):\n${tail}`,
			result,
		);
	}
	return result;
}

/**
 * Stops a tracked process group: SIGTERM, then SIGKILL after graceMs. Resolves when it exited.
 */
export function stopProcess(child: ChildProcess, graceMs = 15000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {
		live.delete(child);
		return Promise.resolve();
	}
	return new Promise((resolve) => {
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			// Reap anything the leader left behind in its group (e.g. a task runner).
			killGroup(child, 'SIGKILL');
			live.delete(child);
			resolve();
		});
		killGroup(child, 'SIGTERM');
	});
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			if (address === null || typeof address === 'string') {
				server.close();
				reject(new Error('could not determine a free port'));
				return;
			}
			server.close(() => resolve(address.port));
		});
	});
}

/** Resolves true when the port cannot be bound on host (something else holds it). */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(true));
		server.listen(port, host, () => server.close(() => resolve(false)));
	});
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
