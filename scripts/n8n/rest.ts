/**
 * A small client for a running n8n's internal REST API (`/rest/...`), the one its editor uses:
 * log in as the owner, create and test credentials, create Data Tables and read their rows, run
 * a workflow the way the editor's "Execute workflow" button does, and read executions.
 *
 *   const server = await home.startServer({ owner });
 *   const rest = await N8nRest.login(server.url, owner);
 *   const credential = await rest.createCredential({ name, type, data });
 *   const result = await rest.testCredential({ ...credential, data });   // { status, message }
 *
 * Shapes follow n8n 2.40.7 (see its dist/credentials/credentials.controller.js and
 * @n8n/api-types); n8n 1.123.x takes the same login and credential calls.
 */
import { randomBytes } from 'node:crypto';

import { sleep } from './children';
import type { OwnerLogin } from './runtime';

/** n8n's session cookie. */
const AUTH_COOKIE = 'n8n-auth';

export class N8nRestError extends Error {
	constructor(
		message: string,
		readonly status: number,
		readonly body: unknown,
	) {
		super(message);
		this.name = 'N8nRestError';
	}
}

export interface RestAnswer {
	status: number;
	/** The parsed JSON body, or undefined when the body was not JSON. */
	json: unknown;
	text: string;
}

export interface CredentialData {
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
}

/** What POST /rest/credentials/test answers: the Test button's verdict. */
export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export type DataTableColumnType = 'string' | 'number' | 'boolean' | 'date';

export interface DataTable {
	id: string;
	name: string;
	projectId?: string;
}

export type DataTableRow = Record<string, unknown>;

export interface ExecutionSummary {
	id: string;
	status: string;
	finished?: boolean;
	mode?: string;
	workflowId?: string;
	startedAt?: string;
	stoppedAt?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** n8n wraps successful answers as { data: ... }. */
function unwrap(json: unknown): unknown {
	return isObject(json) && 'data' in json ? json.data : json;
}

function stringField(value: unknown, field: string, what: string): string {
	const found = isObject(value) ? value[field] : undefined;
	if (typeof found === 'string' || typeof found === 'number') return String(found);
	throw new Error(`n8n's answer for ${what} has no ${field}: ${JSON.stringify(value)}`);
}

export class N8nRest {
	private cookie: string | undefined;

	/**
	 * n8n binds the session cookie to a browser id sent in a header; any stable random text
	 * will do, as long as every request sends the same one.
	 */
	private readonly browserId = randomBytes(16).toString('hex');

	constructor(
		/** e.g. http://127.0.0.1:5678 */
		readonly baseUrl: string,
	) {}

	/** Logs in as `owner` and returns a client that carries the session. */
	static async login(baseUrl: string, owner: OwnerLogin): Promise<N8nRest> {
		const rest = new N8nRest(baseUrl);
		await rest.login(owner);
		return rest;
	}

	async login(owner: OwnerLogin): Promise<void> {
		const answer = await this.send('POST', '/rest/login', {
			emailOrLdapLoginId: owner.email,
			password: owner.password,
		});
		if (answer.status !== 200) {
			throw new N8nRestError(
				`logging in to n8n failed: HTTP ${answer.status} ${answer.text}`,
				answer.status,
				answer.json,
			);
		}
		if (this.cookie === undefined) throw new Error('n8n answered the login without a cookie');
	}

	/** Sends a request with the session; never throws on an HTTP status. */
	async send(method: string, path: string, body?: unknown): Promise<RestAnswer> {
		const headers: Record<string, string> = { 'browser-id': this.browserId };
		if (this.cookie !== undefined) headers.cookie = `${AUTH_COOKIE}=${this.cookie}`;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const response = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(60000),
		});
		for (const line of response.headers.getSetCookie()) {
			const match = new RegExp(`^${AUTH_COOKIE}=([^;]*)`).exec(line);
			if (match) this.cookie = match[1];
		}
		const text = await response.text();
		let json: unknown;
		try {
			json = text === '' ? undefined : (JSON.parse(text) as unknown);
		} catch {
			json = undefined;
		}
		return { status: response.status, json, text };
	}

	/** Sends a request and returns the unwrapped `data`; throws unless the status is 2xx. */
	async call(method: string, path: string, body?: unknown): Promise<unknown> {
		const answer = await this.send(method, path, body);
		if (answer.status < 200 || answer.status > 299) {
			const message = isObject(answer.json) ? answer.json.message : undefined;
			throw new N8nRestError(
				`${method} ${path}: HTTP ${answer.status} ${typeof message === 'string' ? message : answer.text}`,
				answer.status,
				answer.json,
			);
		}
		return unwrap(answer.json);
	}

	// -------------------------------------------------------------------------------------------
	// Credentials
	// -------------------------------------------------------------------------------------------

	/** Saves a credential in the owner's personal project, as the editor's Save button does. */
	async createCredential(credential: CredentialData): Promise<StoredCredential> {
		const data = await this.call('POST', '/rest/credentials', credential);
		return {
			id: stringField(data, 'id', 'the new credential'),
			name: stringField(data, 'name', 'the new credential'),
			type: stringField(data, 'type', 'the new credential'),
		};
	}

	/**
	 * The credential window's Test button: POST /rest/credentials/test with the credential's id
	 * and the data to test (n8n refuses to test a credential the user cannot read).
	 */
	async testCredential(
		credential: StoredCredential & { data: Record<string, unknown> },
	): Promise<CredentialTestResult> {
		const data = await this.call('POST', '/rest/credentials/test', {
			credentials: {
				id: credential.id,
				name: credential.name,
				type: credential.type,
				data: credential.data,
			},
		});
		if (
			!isObject(data) ||
			(data.status !== 'OK' && data.status !== 'Error') ||
			typeof data.message !== 'string'
		) {
			throw new Error(`unexpected answer from the credential test: ${JSON.stringify(data)}`);
		}
		return { status: data.status, message: data.message };
	}

	// -------------------------------------------------------------------------------------------
	// Projects and Data Tables
	// -------------------------------------------------------------------------------------------

	async personalProjectId(): Promise<string> {
		return stringField(
			await this.call('GET', '/rest/projects/personal'),
			'id',
			'the personal project',
		);
	}

	async createDataTable(
		projectId: string,
		name: string,
		columns: { name: string; type: DataTableColumnType }[],
	): Promise<DataTable> {
		const data = await this.call('POST', `/rest/projects/${projectId}/data-tables`, {
			name,
			columns,
		});
		return { id: stringField(data, 'id', 'the new data table'), name, projectId };
	}

	/** The project's Data Tables (first page, up to 100). */
	async dataTables(projectId: string): Promise<DataTable[]> {
		const data = await this.call('GET', `/rest/projects/${projectId}/data-tables?skip=0&take=100`);
		const list = isObject(data) && Array.isArray(data.data) ? data.data : [];
		return list.filter(isObject).map((table) => ({
			id: stringField(table, 'id', 'a data table'),
			name: stringField(table, 'name', 'a data table'),
			projectId,
		}));
	}

	/** Adds rows to a Data Table, as its editor does. */
	async insertDataTableRows(projectId: string, tableId: string, rows: DataTableRow[]) {
		await this.call('POST', `/rest/projects/${projectId}/data-tables/${tableId}/insert`, {
			data: rows,
			returnType: 'count',
		});
	}

	/** Every row of a Data Table (up to 1000), oldest first. */
	async dataTableRows(projectId: string, tableId: string): Promise<DataTableRow[]> {
		const data = await this.call(
			'GET',
			`/rest/projects/${projectId}/data-tables/${tableId}/rows?skip=0&take=1000`,
		);
		const rows = isObject(data) && Array.isArray(data.data) ? data.data : [];
		return rows.filter(isObject);
	}

	// -------------------------------------------------------------------------------------------
	// Workflows and executions
	// -------------------------------------------------------------------------------------------

	/**
	 * Runs a saved workflow from one of its trigger nodes, as the editor's "Execute workflow"
	 * button does (n8n 2.x: POST /rest/workflows/:id/run with `triggerToStartFrom`). Returns the
	 * execution id.
	 */
	async runManually(workflowId: string, triggerNode: string): Promise<string> {
		const data = await this.call('POST', `/rest/workflows/${workflowId}/run`, {
			triggerToStartFrom: { name: triggerNode },
		});
		return stringField(data, 'executionId', 'the manual run');
	}

	async execution(id: string): Promise<ExecutionSummary> {
		const data = await this.call('GET', `/rest/executions/${id}`);
		return {
			id: stringField(data, 'id', 'an execution'),
			status: stringField(data, 'status', 'an execution'),
			finished: isObject(data) && typeof data.finished === 'boolean' ? data.finished : undefined,
			mode: isObject(data) && typeof data.mode === 'string' ? data.mode : undefined,
			workflowId:
				isObject(data) && typeof data.workflowId === 'string' ? data.workflowId : undefined,
		};
	}

	/** Waits until an execution has ended (any status but new, running or waiting). */
	async waitForExecution(id: string, timeoutMs = 60000): Promise<ExecutionSummary> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const execution = await this.execution(id);
			if (!['new', 'running', 'waiting', 'unknown'].includes(execution.status)) return execution;
			if (Date.now() > deadline) {
				throw new Error(`execution ${id} still ${execution.status} after ${timeoutMs} ms`);
			}
			await sleep(250);
		}
	}

	/** The executions n8n saved for a workflow, newest first (up to 250). */
	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const data = await this.call('GET', `/rest/executions?filter=${filter}&limit=250`);
		const results = isObject(data) && Array.isArray(data.results) ? data.results : [];
		return results.filter(isObject).map((execution) => ({
			id: stringField(execution, 'id', 'an execution'),
			status: stringField(execution, 'status', 'an execution'),
			mode: typeof execution.mode === 'string' ? execution.mode : undefined,
			workflowId: typeof execution.workflowId === 'string' ? execution.workflowId : undefined,
			startedAt: typeof execution.startedAt === 'string' ? execution.startedAt : undefined,
			stoppedAt: typeof execution.stoppedAt === 'string' ? execution.stoppedAt : undefined,
		}));
	}
}
