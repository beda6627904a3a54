import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

import type { FastifyReply } from 'fastify';

import { fail } from './envelope';
import { isJsonObject, type JsonObject } from './validation';

export type FaultKind =
	| { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
	| { type: 'html' }
	| { type: 'empty' }
	| { type: 'rc'; rc: number; rm?: string }
	| { type: 'timeout'; ms?: number }
	| { type: 'reset' }
	| { type: 'resetAfterProcessing' };

export interface Fault {
	/** Only requests to this path, e.g. '/v1/sms/send'; default any /v1 path. */
	path?: string;
	/** How many matching requests it applies to; default 1. */
	times?: number;
	kind: FaultKind;
}

export const DEFAULT_TIMEOUT_FAULT_MS = 30_000;

// The sandbox's own answers for the statuses it gives itself; the rest take Node's phrase.
const STATUS_MESSAGES: Record<number, string> = { 401: 'Invalid API key', 500: 'Internal error' };

const HTML_PAGE =
	'<!DOCTYPE html>\n<html><head><title>Maintenance</title></head>' +
	'<body><h1>We will be back shortly</h1></body></html>\n';

const KIND_FIELDS: Record<FaultKind['type'], string[]> = {
	status: ['status', 'body', 'headers'],
	html: [],
	empty: [],
	rc: ['rc', 'rm'],
	timeout: ['ms'],
	reset: [],
	resetAfterProcessing: [],
};

/** Checks faults that may come from JSON; throws with the reason. */
export function parseFaults(value: unknown): Fault[] {
	if (!Array.isArray(value)) throw new Error('Faults must be a JSON array');
	return value.map((fault: unknown, index) => {
		try {
			return parseFault(fault);
		} catch (error) {
			throw new Error(`Fault ${index}: ${error instanceof Error ? error.message : error}`);
		}
	});
}

function parseFault(fault: unknown): Fault {
	if (!isJsonObject(fault)) throw new Error('must be an object');
	refuseUnknownFields(fault, ['path', 'times', 'kind']);
	const { path, times, kind } = fault;
	if (path !== undefined && !(typeof path === 'string' && path.startsWith('/'))) {
		throw new Error('path must start with /');
	}
	if (times !== undefined && !(Number.isInteger(times) && Number(times) >= 1)) {
		throw new Error('times must be a whole number of at least 1');
	}
	if (!isJsonObject(kind) || !Object.hasOwn(KIND_FIELDS, String(kind.type))) {
		throw new Error(`kind.type must be one of ${Object.keys(KIND_FIELDS).join(', ')}`);
	}
	const type = kind.type as FaultKind['type'];
	refuseUnknownFields(kind, ['type', ...KIND_FIELDS[type]]);

	if (type === 'status') {
		const { status, headers } = kind;
		if (!(Number.isInteger(status) && Number(status) >= 200 && Number(status) <= 599)) {
			throw new Error('kind.status must be an HTTP status from 200 to 599');
		}
		if (
			headers !== undefined &&
			!(isJsonObject(headers) && Object.values(headers).every((text) => typeof text === 'string'))
		) {
			throw new Error('kind.headers must map names to strings');
		}
	}
	if (type === 'rc') {
		if (!Number.isInteger(kind.rc)) throw new Error('kind.rc must be a whole number');
		if (kind.rm !== undefined && typeof kind.rm !== 'string') {
			throw new Error('kind.rm must be a string');
		}
	}
	if (type === 'timeout' && kind.ms !== undefined) {
		if (!(Number.isInteger(kind.ms) && Number(kind.ms) >= 0)) {
			throw new Error('kind.ms must be a whole number');
		}
	}
	return { ...fault, kind: { ...kind } } as Fault;
}

function refuseUnknownFields(object: JsonObject, known: string[]): void {
	const unknown = Object.keys(object).find((name) => !known.includes(name));
	if (unknown !== undefined) throw new Error(`unknown field "${unknown}"`);
}

export class FaultQueue {
	private queue: Array<{ fault: Fault; left: number }> = [];

	/** Appends to the queue; faults already queued apply first. */
	add(faults: Fault[]): void {
		for (const fault of parseFaults(faults)) this.queue.push({ fault, left: fault.times ?? 1 });
	}

	/** The kind of the first queued fault for this path, used up by one. */
	take(path: string): FaultKind | undefined {
		const entry = this.queue.find(({ fault }) => fault.path === undefined || fault.path === path);
		if (!entry) return undefined;
		entry.left -= 1;
		if (entry.left === 0) this.queue.splice(this.queue.indexOf(entry), 1);
		return entry.fault.kind;
	}

	clear(): void {
		this.queue = [];
	}
}

/**
 * Requests a timeout fault holds open. The server cannot close while they are, so `releaseAll`
 * ends them when it is about to.
 */
export class HeldRequests {
	private readonly sockets = new Map<Socket, NodeJS.Timeout>();

	hold(socket: Socket, ms: number): void {
		const timer = setTimeout(() => socket.destroy(), ms);
		timer.unref();
		this.sockets.set(socket, timer);
		socket.once('close', () => {
			clearTimeout(timer);
			this.sockets.delete(socket);
		});
	}

	releaseAll(): void {
		for (const [socket, timer] of this.sockets) {
			clearTimeout(timer);
			socket.destroy();
		}
		this.sockets.clear();
	}
}

/** Answers, or fails to answer, as the fault says. Not for resetAfterProcessing. */
export function answerWithFault(
	kind: FaultKind,
	reply: FastifyReply,
	held: HeldRequests,
): FastifyReply {
	const socket = reply.request.raw.socket;
	switch (kind.type) {
		case 'status':
			return statusReply(kind, reply);
		case 'html':
			return reply.code(200).type('text/html; charset=utf-8').send(HTML_PAGE);
		case 'empty':
			// The type the API always sends, with nothing to parse.
			return reply.code(200).type('application/json; charset=utf-8').send('');
		case 'rc':
			return reply
				.code(200)
				.send(kind.rm === undefined ? { rc: kind.rc } : { rc: kind.rc, rm: kind.rm });
		case 'timeout':
			reply.hijack();
			held.hold(socket, kind.ms ?? DEFAULT_TIMEOUT_FAULT_MS);
			return reply;
		case 'reset':
		case 'resetAfterProcessing':
			return resetConnection(reply);
	}
}

/** Ends the exchange with a TCP reset instead of an answer. */
export function resetConnection(reply: FastifyReply): FastifyReply {
	reply.hijack();
	reply.request.raw.socket.resetAndDestroy();
	return reply;
}

function statusReply(
	kind: Extract<FaultKind, { type: 'status' }>,
	reply: FastifyReply,
): FastifyReply {
	const { status, body, headers = {} } = kind;
	reply.code(status);
	if (status === 429) reply.header('retry-after', '1');
	if (typeof body === 'string') {
		const type = body.trimStart().startsWith('<') ? 'text/html' : 'text/plain';
		reply.type(`${type}; charset=utf-8`);
	}
	reply.headers(headers);
	return reply.send(body === undefined ? fail(STATUS_MESSAGES[status] ?? phrase(status)) : body);
}

function phrase(status: number): string {
	const text = STATUS_CODES[status] ?? 'Error';
	return text.charAt(0) + text.slice(1).toLowerCase();
}
