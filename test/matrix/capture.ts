/**
 * Shared by the matrix tests: runs a case with every console and stream write captured, and
 * checks what the issue asks of every case (one output per item, paired; no key anywhere; no
 * phone number, address or message body in an error's text or the logs).
 */
import { createServer } from 'node:net';

import type { ExecutionError, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Fault } from '../../sandbox/faults';
import type { Sandbox } from '../../sandbox/server';
import type { NodeRun, RunNodeOptions } from '../harness/n8n';
import { runNode } from '../harness/n8n';
import { TEST_API_KEY } from '../harness/sandbox';

type Write = (chunk: unknown, ...rest: unknown[]) => boolean;
type Writable = { write: Write };
type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';

const CONSOLE_METHODS: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug', 'trace'];

function chunkText(chunk: unknown): string {
	return Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
}

/**
 * Captures, and keeps off the terminal, everything written through console.* and the process's
 * streams. n8n's winston console transport writes to `console._stdout` or `console._stderr`,
 * which under jest's workers is a stream of jest's own rather than process.stdout, so those are
 * patched as well.
 */
export function captureOutput(): { text: () => string; restore: () => void } {
	const lines: string[] = [];
	const restorers: Array<() => void> = [];

	const jestConsole = console as unknown as Record<string, unknown>;
	const streams = new Set<Writable>([process.stdout, process.stderr] as unknown as Writable[]);
	for (const name of ['_stdout', '_stderr']) {
		const stream = jestConsole[name] as Writable | undefined;
		if (stream && typeof stream.write === 'function') streams.add(stream);
	}
	for (const stream of streams) {
		const original = stream.write;
		stream.write = (chunk: unknown, ...rest: unknown[]) => {
			lines.push(chunkText(chunk));
			const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
			callback?.();
			return true;
		};
		restorers.push(() => {
			stream.write = original;
		});
	}

	for (const method of CONSOLE_METHODS) {
		const original = console[method];
		console[method] = (...args: unknown[]) => {
			lines.push(args.map((arg) => (typeof arg === 'string' ? arg : dump(arg))).join(' '));
		};
		restorers.push(() => {
			console[method] = original;
		});
	}

	return {
		text: () => lines.join('\n'),
		restore: () => {
			for (const restore of restorers.reverse()) restore();
		},
	};
}

/**
 * Every string reachable from a value, own non-enumerable properties included, so an error's
 * `cause`, `context`, `description` and stack are all searched, not only what JSON.stringify
 * shows.
 */
export function dump(value: unknown, seen = new Set<unknown>(), depth = 0): string {
	if (value === null || value === undefined) return String(value);
	if (typeof value !== 'object' && typeof value !== 'function') return String(value);
	if (seen.has(value) || depth > 12) return '';
	seen.add(value);
	const parts: string[] = [];
	for (const key of Object.getOwnPropertyNames(value)) {
		let child: unknown;
		try {
			child = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		if (typeof child === 'function') continue;
		parts.push(`${key}=${dump(child, seen, depth + 1)}`);
	}
	return parts.join('\n');
}

export interface CaseRun extends NodeRun {
	/** Everything logged while the node ran. */
	logs: string;
}

/** Runs the node with output captured; waits a moment for loggers that write asynchronously. */
export async function runCaptured(options: RunNodeOptions): Promise<CaseRun> {
	const capture = captureOutput();
	try {
		const result = await runNode(options);
		await new Promise((resolve) => setTimeout(resolve, 20));
		return { ...result, logs: capture.text() };
	} finally {
		capture.restore();
	}
}

/** The text of a failed item, as the continue-on-fail output holds it. */
export function errorItem(item: number, message: string, details: string): INodeExecutionData {
	return { json: { error: message, details }, pairedItem: { item } };
}

export function expectOnePairedOutputPerItem(output: INodeExecutionData[], count: number): void {
	expect(output.map((item) => item.pairedItem)).toEqual(
		Array.from({ length: count }, (_, item) => ({ item })),
	);
}

/** The error's own text: what a user reads in the editor. */
function errorTexts(error: ExecutionError | undefined, output: INodeExecutionData[]): string {
	const texts: string[] = [];
	if (error) texts.push(error.message, error.description ?? '');
	for (const item of output) {
		const json: IDataObject = item.json;
		if ('error' in json) texts.push(String(json.error), String(json.details ?? ''));
	}
	return texts.join('\n');
}

/**
 * (d): the API key appears nowhere: not in the outputs, the error (every property, its cause and
 * context included), the run record or the logs; and none of `personal` (numbers, addresses,
 * message bodies of the case) appears in an error's message or description or in the logs.
 */
export function expectNothingLeaked(result: CaseRun, personal: string[]): void {
	const everything = [
		JSON.stringify(result.output),
		JSON.stringify(result.errorOutput),
		JSON.stringify(result.error ?? null),
		dump(result.error),
		JSON.stringify(result.run),
		result.logs,
	].join('\n');
	expect(everything).not.toContain(TEST_API_KEY);

	const items = [...result.output, ...result.errorOutput];
	const visible = `${errorTexts(result.error, items)}\n${result.logs}`;
	for (const value of personal) {
		if (value.trim() === '') continue;
		expect({ value, found: visible.includes(value) }).toEqual({ value, found: false });
	}
}

/** The strings of an item that count as personal: numbers, addresses, bodies and merge values. */
export function personalValues(json: IDataObject, fields: string[]): string[] {
	const values: string[] = [];
	for (const field of fields) {
		const value = json[field];
		if (value === undefined || value === null) continue;
		const text = String(value).trim();
		if (text === '') continue;
		values.push(text);
		const digits = text.replace(/\D/g, '');
		if (field === 'mobile' && digits.length >= 6 && digits !== text) values.push(digits);
	}
	return values;
}

/**
 * Queues faults the moment the sandbox records a given request (numbered from 1), so that this
 * very request meets them: the sandbox records a request before it takes a fault for it. The
 * fault queue itself cannot skip requests, and a fault on the middle item needs that.
 * `schedule` maps request numbers to the faults queued on their arrival. Returns the function
 * that disarms it.
 */
export function faultsAt(sandbox: Sandbox, schedule: Record<number, Fault[]>): () => void {
	const requests = sandbox.requests;
	const first = schedule[1];
	if (first) sandbox.injectFaults(first);
	const push = requests.push;
	Object.defineProperty(requests, 'push', {
		configurable: true,
		writable: true,
		value: (...records: typeof requests) => {
			const length = push.apply(requests, records);
			const faults = schedule[length];
			if (faults && length > 1) sandbox.injectFaults(faults);
			return length;
		},
	});
	return () => {
		Reflect.deleteProperty(requests, 'push');
	};
}

/** A base URL where nothing listens: a port the system just handed out and took back. */
export async function closedPortUrl(): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	if (address === null || typeof address === 'string') throw new Error('No TCP port');
	return `http://127.0.0.1:${address.port}`;
}
