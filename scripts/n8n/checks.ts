/**
 * What a successful run of an X Lead Connect workflow looks like: per operation, the request the
 * API must receive and the fields the node must output. Shared by the demo and the e2e tests.
 */
import type { RecordedRequest } from '../../sandbox/server';
import type { ExecuteResult } from './runtime';

export interface OperationSpec {
	method: 'GET' | 'POST';
	path: string;
	/** Output fields that must be numbers. */
	numbers: string[];
	/** Output fields that must be non-empty strings. */
	strings: string[];
}

/** `${resource}.${operation}` → what the API receives and what the node outputs. */
export const OPERATIONS: Record<string, OperationSpec> = {
	'sms.send': { method: 'POST', path: '/v1/sms/send', numbers: [], strings: ['ref_id'] },
	'mms.send': { method: 'POST', path: '/v1/mms/send', numbers: [], strings: ['ref_id'] },
	'edm.send': { method: 'POST', path: '/v1/edm/send', numbers: [], strings: ['ref_id'] },
	'sms.getUsageReport': {
		method: 'GET',
		path: '/v1/sms/get-usage-report',
		numbers: ['sms_count', 'points_used'],
		strings: [],
	},
	'mms.getUsageReport': {
		method: 'GET',
		path: '/v1/mms/get-usage-report',
		numbers: ['sms_count', 'points_used'],
		strings: [],
	},
	'account.getPointsBalance': {
		method: 'GET',
		path: '/v1/acct/get-points-balance',
		numbers: ['points'],
		strings: [],
	},
	'account.getQuotaBalance': {
		method: 'GET',
		path: '/v1/acct/get-quota-balance',
		numbers: ['quota'],
		strings: [],
	},
};

export interface NodeUnderTest {
	name: string;
	resource: string;
	operation: string;
}

/** Problems with one node's output (empty when it succeeded as its operation should). */
export function checkNodeOutput(node: NodeUnderTest, result: ExecuteResult): string[] {
	const key = `${node.resource}.${node.operation}`;
	const spec = OPERATIONS[key];
	if (!spec) return [`${node.name}: unknown operation ${key}`];
	const error = result.nodeErrors[node.name];
	if (error) return [`${node.name}: the node failed: ${error}`];
	const items = result.nodeOutputs[node.name];
	if (items === undefined) return [`${node.name}: did not run`];
	if (items.length !== 1) return [`${node.name}: output ${items.length} items, expected 1`];
	const item = items[0];
	const problems: string[] = [];
	if (item.rc !== 100) problems.push(`${node.name}: rc is ${JSON.stringify(item.rc)}, not 100`);
	for (const field of spec.numbers) {
		if (typeof item[field] !== 'number' || !Number.isFinite(item[field])) {
			problems.push(`${node.name}: ${field} is ${JSON.stringify(item[field])}, not a number`);
		}
	}
	for (const field of spec.strings) {
		if (typeof item[field] !== 'string' || item[field] === '') {
			problems.push(`${node.name}: ${field} is ${JSON.stringify(item[field])}, not a string`);
		}
	}
	return problems;
}

/**
 * Problems with what the API received: exactly one request per node, in node order, with the
 * right method, path and API key.
 */
export function checkRequests(
	nodes: NodeUnderTest[],
	requests: readonly RecordedRequest[],
	apiKey: string,
): string[] {
	const problems: string[] = [];
	if (requests.length !== nodes.length) {
		problems.push(
			`the sandbox received ${requests.length} requests, expected ${nodes.length}: ` +
				requests.map((r) => `${r.method} ${r.path}`).join(', '),
		);
	}
	nodes.forEach((node, index) => {
		const spec = OPERATIONS[`${node.resource}.${node.operation}`];
		const request = requests[index];
		if (!spec || !request) return;
		if (request.method !== spec.method || request.path !== spec.path) {
			problems.push(
				`request ${index + 1} (${node.name}) was ${request.method} ${request.path}, ` +
					`expected ${spec.method} ${spec.path}`,
			);
		}
		if (request.headers['x-api-key'] !== apiKey) {
			problems.push(`request ${index + 1} (${node.name}) did not carry the credential's API key`);
		}
	});
	return problems;
}

/** Every problem with a run of the given nodes; empty means all succeeded. */
export function checkRun(
	nodes: NodeUnderTest[],
	result: ExecuteResult,
	requests: readonly RecordedRequest[],
	apiKey: string,
): string[] {
	const problems: string[] = [];
	if (result.error) problems.push(`the execution failed: ${result.error}`);
	if (result.code !== 0) problems.push(`n8n execute exited with ${result.code}`);
	for (const node of nodes) problems.push(...checkNodeOutput(node, result));
	problems.push(...checkRequests(nodes, requests, apiKey));
	return problems;
}

/** Replaces every occurrence of the given secrets in text. */
export function redact(text: string, secrets: string[]): string {
	let out = text;
	for (const secret of secrets) if (secret) out = out.split(secret).join('***');
	return out;
}
