/**
 * End to end: the node as an AI agent tool, in a real n8n (each version of E2E_N8N_VERSIONS,
 * installed into the cache on first run: allow several minutes per version).
 *
 * n8n derives a tool variant, `n8n-nodes-xlead-connect.xLeadConnectTool`, from the node because
 * it is `usableAsTool`. There is no language model here, so the tool is driven three ways that
 * need none, each through n8n's own code:
 *
 * - n8n's Tool Executor node (what the editor runs when a tool node is executed on its own),
 *   headless with `n8n execute`;
 * - n8n's AI Agent node with an OpenAI Chat Model whose base URL points at a scripted stand-in
 *   for the model, which asks for tool calls and records what the agent sends back;
 * - examples/agent-tool.workflow.json, an MCP Server Trigger exposing every operation as a tool,
 *   called over HTTP as an MCP client (Claude Desktop, Cursor …) would.
 *
 * The tool's inputs come from `$fromAI()`. Every request the tool sends goes to the sandbox.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

import { OPERATIONS } from '../../scripts/n8n/checks';
import {
	AGENT_TOOL_WORKFLOW_FILE,
	CREDENTIAL_NAME,
	setUpExample,
	type ExampleSetup,
} from '../../scripts/n8n/example';
import {
	E2E_N8N_VERSIONS,
	n8nId,
	n8nMajor,
	PACKAGE_NAME,
	type ExecuteResult,
	type ExportedNodeType,
	type N8nServer,
	type NodeRun,
	type WorkflowJson,
} from '../../scripts/n8n/runtime';
import type { RecordedRequest } from '../../sandbox/server';

const SETUP_TIMEOUT_MS = 20 * 60 * 1000;
const RUN_TIMEOUT_MS = 3 * 60 * 1000;
const API_KEY = 'e2e-tool-key-5d2e';
const MCP_TOKEN = `e2e-mcp-token-${n8nId()}`;
const TOOL_TYPE = `${PACKAGE_NAME}.xLeadConnectTool`;
const NODE_DESCRIPTION =
	'Send SMS, MMS and marketing email (eDM) with X Lead Connect, and check usage and balances';

const MOBILE_EMPTY = 'The field "Mobile Number" is empty';
/** The node's hint for an empty Mobile Number (the error's description). */
const MOBILE_HINT = "Write the number as the recipient's country writes it, such as 91234567";

const SMS_ARGS = {
	country_code: '852',
	mobile: '91234567',
	content: 'Your table for two is booked for 19:30 tonight.',
};
const SMS_BODY = { ...SMS_ARGS, send_also_ofca_registers: false };

// ---------------------------------------------------------------------------------------------
// Workflows built here (the MCP one is examples/agent-tool.workflow.json)
// ---------------------------------------------------------------------------------------------

function fromAI(key: string, description: string): string {
	return `={{ $fromAI('${key}', \`${description}\`, 'string') }}`;
}

/** An X Lead Connect tool that sends an SMS, every input from $fromAI(), description automatic. */
function smsTool(
	credentialId: string,
	extra: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		parameters: {
			resource: 'sms',
			operation: 'send',
			countryCode: fromAI('country_code', 'Country calling code without +, such as 852'),
			mobile: fromAI('mobile', 'The mobile number without the country code'),
			content: fromAI('content', 'The text of the SMS'),
			options: {},
		},
		id: 'd0d0d0d0-0000-4000-8000-000000000003',
		name: 'Send SMS',
		type: TOOL_TYPE,
		typeVersion: 1,
		position: [400, 240],
		credentials: { xLeadConnectApi: { id: credentialId, name: CREDENTIAL_NAME } },
		...extra,
	};
}

const START = {
	parameters: {},
	id: 'd0d0d0d0-0000-4000-8000-000000000001',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
};

/**
 * Start → Tool Executor (the Send SMS tool on its ai_tool input) → Use Result. n8n 2.x's Tool
 * Executor wants the query keyed by tool name; 1.x's passes the whole query to the tool.
 */
function toolExecutorWorkflow(
	version: string,
	credentialId: string,
	args: Record<string, string>,
): WorkflowJson {
	const query = n8nMajor(version) >= 2 ? { Send_SMS: args } : args;
	return {
		id: n8nId(),
		name: 'X Lead Connect tool through the Tool Executor',
		nodes: [
			START,
			{
				parameters: { query: JSON.stringify(query), toolName: '' },
				id: 'd0d0d0d0-0000-4000-8000-000000000002',
				name: 'Tool Executor',
				type: '@n8n/n8n-nodes-langchain.toolExecutor',
				typeVersion: 1,
				position: [400, 0],
			},
			smsTool(credentialId),
			{
				parameters: {},
				id: 'd0d0d0d0-0000-4000-8000-000000000004',
				name: 'Use Result',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [800, 0],
			},
		],
		connections: {
			Start: { main: [[{ node: 'Tool Executor', type: 'main', index: 0 }]] },
			'Send SMS': { ai_tool: [[{ node: 'Tool Executor', type: 'ai_tool', index: 0 }]] },
			'Tool Executor': { main: [[{ node: 'Use Result', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Start → AI Agent, with the (stand-in) OpenAI Chat Model and the Send SMS tool. */
function agentWorkflow(
	version: string,
	credentialId: string,
	openAiCredentialId: string,
	toolSettings: Record<string, unknown>,
): WorkflowJson {
	return {
		id: n8nId(),
		name: 'X Lead Connect tool under an AI Agent',
		nodes: [
			START,
			{
				parameters: {
					promptType: 'define',
					text: 'Text +852 9123 4567 that their table for two is booked for 19:30 tonight.',
					options: {},
				},
				id: 'd0d0d0d0-0000-4000-8000-000000000005',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				// The version each n8n line adds by default.
				typeVersion: n8nMajor(version) >= 2 ? 3.1 : 3,
				position: [400, 0],
			},
			{
				// 1.2: Chat Completions API (1.3 defaults to the Responses API).
				parameters: { model: { __rl: true, mode: 'id', value: 'gpt-4o-mini' }, options: {} },
				id: 'd0d0d0d0-0000-4000-8000-000000000006',
				name: 'Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.2,
				position: [200, 240],
				credentials: { openAiApi: { id: openAiCredentialId, name: 'Stand-in model' } },
			},
			smsTool(credentialId, toolSettings),
		],
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			Model: { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			'Send SMS': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

// ---------------------------------------------------------------------------------------------
// A scripted stand-in for an OpenAI chat model
// ---------------------------------------------------------------------------------------------

interface ChatMessage {
	role: string;
	content?: unknown;
	tool_call_id?: string;
}

interface ChatTool {
	type: string;
	function: { name: string; description?: string; parameters?: JsonSchema };
}

interface JsonSchema {
	properties?: Record<string, { type?: string; description?: string }>;
	required?: string[];
}

interface ChatRequest {
	model?: string;
	messages?: ChatMessage[];
	tools?: ChatTool[];
}

interface ToolCall {
	name: string;
	args: Record<string, string>;
}

function readBody(request: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

function toolMessages(request: ChatRequest): ChatMessage[] {
	return (request.messages ?? []).filter((m) => m.role === 'tool');
}

/**
 * Answers POST /v1/chat/completions: while the conversation holds fewer tool results than the
 * script has calls, it asks for the next call; then it answers with the last tool result.
 */
class FakeModel {
	/** Every request since the script was set, in order. */
	requests: ChatRequest[] = [];
	private calls: ToolCall[] = [];
	private server?: Server;
	url = '';

	/** The tool calls to ask for, in order (clears the recorded requests). */
	set script(calls: ToolCall[]) {
		this.calls = calls;
		this.requests = [];
	}

	async start(): Promise<void> {
		const server = createServer((request, response) => {
			readBody(request).then(
				(text) => {
					response.setHeader('content-type', 'application/json');
					response.end(JSON.stringify(this.answer(JSON.parse(text || '{}') as ChatRequest)));
				},
				() => {
					response.statusCode = 400;
					response.end();
				},
			);
		});
		this.server = server;
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const address = server.address();
		if (address === null || typeof address === 'string') throw new Error('no model port');
		this.url = `http://127.0.0.1:${address.port}/v1`;
	}

	private answer(body: ChatRequest): Record<string, unknown> {
		this.requests.push(body);
		const results = toolMessages(body);
		const next = this.calls[results.length];
		const message = next
			? {
					role: 'assistant',
					content: null,
					tool_calls: [
						{
							id: `call_${results.length + 1}`,
							type: 'function',
							function: { name: next.name, arguments: JSON.stringify(next.args) },
						},
					],
				}
			: { role: 'assistant', content: `Done. ${String(results.at(-1)?.content ?? '')}` };
		return {
			id: `chatcmpl-${this.requests.length}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: body.model,
			choices: [{ index: 0, message, finish_reason: next ? 'tool_calls' : 'stop' }],
			usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
		};
	}

	close(): Promise<void> {
		return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}
}

// ---------------------------------------------------------------------------------------------
// A minimal MCP client (Streamable HTTP transport)
// ---------------------------------------------------------------------------------------------

interface JsonRpcResponse {
	id?: number;
	result?: Record<string, unknown>;
	error?: { code: number; message: string };
}

interface McpTool {
	name: string;
	description?: string;
	inputSchema?: JsonSchema;
}

interface McpToolResult {
	isError?: boolean;
	content: { type: string; text: string }[];
}

class McpClient {
	private session: string | undefined;
	private nextId = 1;

	constructor(
		private readonly url: string,
		private readonly token: string,
	) {}

	/** POSTs one JSON-RPC message; returns the HTTP status and the response to it, if any. */
	async send(
		method: string,
		params?: Record<string, unknown>,
		options: { notification?: boolean; token?: string } = {},
	): Promise<{ status: number; text: string; response?: JsonRpcResponse }> {
		const id = options.notification ? undefined : this.nextId++;
		const http = await fetch(this.url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				accept: 'application/json, text/event-stream',
				authorization: `Bearer ${options.token ?? this.token}`,
				...(this.session ? { 'mcp-session-id': this.session } : {}),
			},
			body: JSON.stringify({ jsonrpc: '2.0', method, ...(id ? { id } : {}), params }),
			signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
		});
		this.session = http.headers.get('mcp-session-id') ?? this.session;
		const text = await http.text();
		if (id === undefined || !http.ok) return { status: http.status, text };
		// The answer is either plain JSON or server-sent events whose data lines hold JSON.
		const documents = text.trimStart().startsWith('{')
			? [text]
			: text
					.split('\n')
					.filter((line) => line.startsWith('data:'))
					.map((line) => line.slice('data:'.length));
		for (const document of documents) {
			const parsed = JSON.parse(document) as JsonRpcResponse;
			if (parsed.id === id) return { status: http.status, text, response: parsed };
		}
		throw new Error(`no JSON-RPC response to ${method} (HTTP ${http.status}): ${text}`);
	}

	async initialize(): Promise<void> {
		const { status, text, response } = await this.send('initialize', {
			protocolVersion: '2025-03-26',
			capabilities: {},
			clientInfo: { name: 'xlead-e2e', version: '1.0.0' },
		});
		if (!response?.result) throw new Error(`MCP initialize: HTTP ${status} ${text}`);
		await this.send('notifications/initialized', undefined, { notification: true });
	}

	async listTools(): Promise<McpTool[]> {
		const { response } = await this.send('tools/list', {});
		return (response?.result?.tools ?? []) as McpTool[];
	}

	async callTool(name: string, args: Record<string, unknown>): Promise<McpToolResult> {
		const { response } = await this.send('tools/call', { name, arguments: args });
		if (!response?.result) throw new Error(`tools/call ${name}: ${JSON.stringify(response)}`);
		return response.result as unknown as McpToolResult;
	}

	async close(): Promise<void> {
		if (!this.session) return;
		await fetch(this.url, {
			method: 'DELETE',
			headers: { authorization: `Bearer ${this.token}`, 'mcp-session-id': this.session },
		}).catch(() => undefined);
	}
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function runsOf(result: ExecuteResult, node: string): NodeRun[] {
	return result.run?.data?.resultData?.runData?.[node] ?? [];
}

/** The items a tool node handed to its agent, per run (`ai_tool` output). */
function toolOutputs(result: ExecuteResult, node: string): unknown[][] {
	return runsOf(result, node).map((run) => (run.data?.ai_tool?.[0] ?? []).map((i) => i.json));
}

function textOf(result: McpToolResult): string {
	return result.content.map((c) => c.text).join('\n');
}

function sends(requests: readonly RecordedRequest[]): RecordedRequest[] {
	return requests.filter((r) => r.path.endsWith('/send'));
}

// ---------------------------------------------------------------------------------------------
// The tests, once per n8n version
// ---------------------------------------------------------------------------------------------

describe.each(E2E_N8N_VERSIONS)('the X Lead Connect tool in n8n %s', (version) => {
	const major = n8nMajor(version);
	const in2x = major >= 2 ? test : test.skip;
	const in1x = major < 2 ? test : test.skip;
	let setup: ExampleSetup;
	let model: FakeModel;
	let openAiCredentialId: string;

	beforeAll(async () => {
		model = new FakeModel();
		await model.start();
		openAiCredentialId = n8nId();
		setup = await setUpExample({
			n8nVersion: version,
			apiKey: API_KEY,
			workflowFiles: [AGENT_TOOL_WORKFLOW_FILE],
			extraCredentials: [
				{
					id: n8nId(),
					name: 'MCP client token',
					type: 'httpBearerAuth',
					data: { token: MCP_TOKEN },
				},
				{
					id: openAiCredentialId,
					name: 'Stand-in model',
					type: 'openAiApi',
					data: { apiKey: 'sk-stand-in', url: model.url },
				},
			],
		});
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await setup?.cleanup();
		await model?.close();
	});

	describe('n8n export:nodes', () => {
		let tool: ExportedNodeType | undefined;

		beforeAll(async () => {
			tool = (await setup.home.exportNodes()).find((n) => n.name === TOOL_TYPE);
		}, RUN_TIMEOUT_MS);

		test('lists the tool variant n8n derives from the usableAsTool node', () => {
			expect(tool).toMatchObject({
				name: TOOL_TYPE,
				displayName: 'X Lead Connect Tool',
				description: NODE_DESCRIPTION,
				inputs: [],
				outputs: ['ai_tool'],
			});
		});

		test('with a Tool Description field that defaults to the node description', () => {
			const properties = tool?.properties ?? [];
			expect(properties.find((p) => p.name === 'descriptionType')?.default).toBe('auto');
			expect(properties.find((p) => p.name === 'toolDescription')?.default).toBe(NODE_DESCRIPTION);
			for (const name of ['resource', 'operation', 'countryCode', 'mobile', 'content']) {
				expect(properties.map((p) => p.name)).toContain(name);
			}
		});
	});

	describe('Tool Executor (no model), headless with n8n execute', () => {
		let sent: ExecuteResult;
		let sentRequests: RecordedRequest[];
		let sentRefId: string | undefined;
		let refused: ExecuteResult;
		let refusedRequests: RecordedRequest[];

		beforeAll(async () => {
			const { home, sandbox, credentialId } = setup;
			sandbox.reset();
			sent = await home.execute(
				await home.importWorkflow(toolExecutorWorkflow(version, credentialId, SMS_ARGS)),
			);
			sentRequests = [...sandbox.requests];
			sentRefId = sandbox.state.sends[0]?.refId;
			sandbox.reset();
			const empty = { ...SMS_ARGS, mobile: '' };
			refused = await home.execute(
				await home.importWorkflow(toolExecutorWorkflow(version, credentialId, empty)),
			);
			refusedRequests = [...sandbox.requests];
		}, RUN_TIMEOUT_MS);

		test('the tool sends the SMS: the sandbox receives exactly the $fromAI() values', () => {
			expect(sent.error).toBeUndefined();
			expect(sent.run?.status).toBe('success');
			expect(sentRequests).toHaveLength(1);
			expect(sentRequests[0]).toMatchObject({ method: 'POST', path: '/v1/sms/send' });
			expect(sentRequests[0].headers['x-api-key']).toBe(API_KEY);
			expect(sentRequests[0].body).toEqual(SMS_BODY);
		});

		test("the tool's result reaches the workflow: the next node receives it", () => {
			// A tool answers with text: the JSON of its output items.
			const output = sent.nodeOutputs['Use Result'];
			expect(output).toHaveLength(1);
			expect(typeof output[0]).toBe('string');
			const items = JSON.parse(output[0] as unknown as string) as Record<string, unknown>[];
			const expected = {
				rc: 100,
				rm: 'OK',
				ref_id: sentRefId,
				channel: 'sms',
				country_code: '852',
				mobile: '91234567',
			};
			expect(sentRefId).toMatch(/^\d+$/);
			expect(items).toEqual([expected]);
			// n8n records what the tool node handed over on its ai_tool output.
			expect(toolOutputs(sent, 'Send SMS')).toEqual([[{ response: [expected] }]]);
		});

		test('an empty mobile number: nothing is sent, the error names the field and the fix', () => {
			expect(refusedRequests).toEqual([]);
			expect(refused.code).not.toBe(0);
			const error = refused.nodeErrors['Tool Executor'];
			expect(error).toContain(`Error executing tool: ${MOBILE_EMPTY}`);
			expect(error).toContain(MOBILE_HINT);
			expect(runsOf(refused, 'Send SMS').at(-1)?.error?.message).toContain(MOBILE_EMPTY);
		});
	});

	describe('AI Agent with a scripted model', () => {
		const badThenGood: ToolCall[] = [
			{ name: 'Send_SMS', args: { ...SMS_ARGS, mobile: '' } },
			{ name: 'Send_SMS', args: SMS_ARGS },
		];

		describe('the tool set to On Error: Continue (regular output)', () => {
			let result: ExecuteResult;
			let requests: ChatRequest[];
			let apiRequests: RecordedRequest[];

			beforeAll(async () => {
				const { home, sandbox, credentialId } = setup;
				sandbox.reset();
				model.script = badThenGood;
				const workflow = agentWorkflow(version, credentialId, openAiCredentialId, {
					onError: 'continueRegularOutput',
				});
				result = await home.execute(await home.importWorkflow(workflow));
				requests = [...model.requests];
				apiRequests = [...sandbox.requests];
			}, RUN_TIMEOUT_MS);

			test('the model is offered the tool: automatic description, $fromAI() inputs', () => {
				expect(requests.length).toBeGreaterThan(0);
				const offered = requests[0].tools?.map((t) => t.function) ?? [];
				expect(offered).toHaveLength(1);
				expect(offered[0].name).toBe('Send_SMS');
				expect(offered[0].description).toBe('Send an SMS in X Lead Connect');
				expect(offered[0].parameters?.required?.sort()).toEqual([
					'content',
					'country_code',
					'mobile',
				]);
				expect(offered[0].parameters?.properties?.mobile).toMatchObject({
					type: 'string',
					description: 'The mobile number without the country code',
				});
			});

			test('a bad call comes back to the model as text naming the field and the fix', () => {
				expect(requests).toHaveLength(3);
				const [first] = toolMessages(requests[1]);
				expect(first.tool_call_id).toBe('call_1');
				const observation = JSON.parse(String(first.content)) as Record<string, string>[];
				expect(observation).toHaveLength(1);
				// Run as a tool, the message itself carries the fix: that is what an agent is handed.
				expect(observation[0].error).toContain(`${MOBILE_EMPTY}. ${MOBILE_HINT}`);
				expect(observation[0].details).toContain(MOBILE_HINT);
			});

			test('the corrected call sends exactly one SMS with exactly the given values', () => {
				expect(apiRequests).toHaveLength(1);
				expect(apiRequests[0]).toMatchObject({ method: 'POST', path: '/v1/sms/send' });
				expect(apiRequests[0].body).toEqual(SMS_BODY);
			});

			test("the tool's result reaches the model and the agent's output", () => {
				const refId = setup.sandbox.state.sends[0]?.refId;
				expect(refId).toMatch(/^\d+$/);
				const second = toolMessages(requests[2])[1];
				const items = JSON.parse(String(second.content)) as Record<string, unknown>[];
				expect(items).toEqual([
					{
						rc: 100,
						rm: 'OK',
						ref_id: refId,
						channel: 'sms',
						country_code: '852',
						mobile: '91234567',
					},
				]);
				expect(result.error).toBeUndefined();
				expect(result.run?.status).toBe('success');
				const output = result.nodeOutputs['AI Agent'];
				expect(output).toHaveLength(1);
				expect(String(output[0].output)).toContain(`"ref_id":"${refId}"`);
			});
		});

		describe("the tool's default settings (On Error: Stop Workflow)", () => {
			let result: ExecuteResult;
			let requests: ChatRequest[];
			let apiRequests: RecordedRequest[];

			beforeAll(async () => {
				const { home, sandbox, credentialId } = setup;
				sandbox.reset();
				model.script = badThenGood;
				const workflow = agentWorkflow(version, credentialId, openAiCredentialId, {});
				result = await home.execute(await home.importWorkflow(workflow));
				requests = [...model.requests];
				apiRequests = [...sandbox.requests];
			}, RUN_TIMEOUT_MS);

			// n8n 2.x hands the model `{ error: message }` of a failed tool node and drops the
			// error's description (n8n-core, workflow-execute.js); run as a tool, the node puts the
			// fix into the message itself.
			in2x('n8n 2.x: the model gets the message naming the field and the fix', () => {
				expect(requests).toHaveLength(3);
				const [first] = toolMessages(requests[1]);
				const observation = JSON.parse(String(first.content)) as Record<string, string>[];
				expect(observation).toHaveLength(1);
				expect(observation[0].error).toContain(`${MOBILE_EMPTY}. ${MOBILE_HINT}`);
				expect(apiRequests.map((r) => r.body)).toEqual([SMS_BODY]);
				expect(result.run?.status).toBe('success');
			});

			// n8n 1.x stops the whole execution when a tool node of an agent fails.
			in1x('n8n 1.x: the run stops with the tool error; nothing is sent', () => {
				expect(requests).toHaveLength(1);
				expect(apiRequests).toEqual([]);
				expect(result.code).not.toBe(0);
				expect(result.error).toContain(MOBILE_EMPTY);
			});
		});
	});

	describe('examples/agent-tool.workflow.json: an MCP Server Trigger with every operation', () => {
		let server: N8nServer;
		let client: McpClient;
		let tools: McpTool[];

		beforeAll(async () => {
			await setup.home.publishWorkflow(setup.workflowIds[0]);
			server = await setup.home.startServer();
			await server.waitForWebhook(server.mcpUrl('xlead-connect'));
			client = new McpClient(server.mcpUrl('xlead-connect'), MCP_TOKEN);
			await client.initialize();
			tools = await client.listTools();
			setup.sandbox.reset();
		}, SETUP_TIMEOUT_MS);

		afterAll(async () => {
			await client?.close();
			await server?.stop();
		});

		beforeEach(() => setup.sandbox.reset());

		test('answers nothing without the bearer token', async () => {
			const stranger = new McpClient(server.mcpUrl('xlead-connect'), 'wrong-token');
			const { status } = await stranger.send('initialize', {
				protocolVersion: '2025-03-26',
				capabilities: {},
				clientInfo: { name: 'stranger', version: '1.0.0' },
			});
			expect([401, 403]).toContain(status);
			expect(setup.sandbox.requests).toEqual([]);
		});

		test('lists the seven tools, each with its description and $fromAI() inputs', () => {
			const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
			expect(Object.keys(byName).sort()).toEqual([
				'Get_MMS_Usage_Report',
				'Get_Points_Balance',
				'Get_SMS_Usage_Report',
				'Get_eDM_Quota_Balance',
				'Send_MMS',
				'Send_SMS',
				'Send_eDM',
			]);
			for (const tool of tools) expect(tool.description?.length).toBeGreaterThan(20);
			const inputs = (name: string) => Object.keys(byName[name].inputSchema?.properties ?? {});
			expect(inputs('Send_SMS').sort()).toEqual(['content', 'country_code', 'mobile']);
			expect(inputs('Send_MMS').sort()).toEqual([
				'country_code',
				'image_url',
				'mobile',
				'subject',
				'text',
			]);
			expect(inputs('Send_eDM').sort()).toEqual(['campaign_id', 'email', 'recipient_name']);
			expect(inputs('Get_SMS_Usage_Report').sort()).toEqual(['date_from', 'date_to']);
			expect(inputs('Get_Points_Balance')).toEqual([]);
			const undescribed = tools.flatMap((tool) =>
				Object.entries(tool.inputSchema?.properties ?? {})
					.filter(([, property]) => (property.description ?? '').length < 10)
					.map(([key]) => `${tool.name}.${key}`),
			);
			expect(undescribed).toEqual([]);
		});

		const calls: {
			tool: string;
			operation: string;
			args: Record<string, string>;
			query?: Record<string, string>;
			body?: Record<string, unknown>;
		}[] = [
			{ tool: 'Send_SMS', operation: 'sms.send', args: SMS_ARGS, body: SMS_BODY },
			{
				tool: 'Send_MMS',
				operation: 'mms.send',
				args: {
					country_code: '886',
					mobile: '0912345678',
					subject: 'Weekend offer',
					image_url: 'https://example.com/images/weekend-offer.jpg',
					text: 'Show this message in store for 10% off this weekend.',
				},
				body: {
					country_code: '886',
					mobile: '0912345678',
					subject: 'Weekend offer',
					image_url: 'https://example.com/images/weekend-offer.jpg',
					text: 'Show this message in store for 10% off this weekend.',
					send_also_ofca_registers: false,
				},
			},
			{
				tool: 'Send_eDM',
				operation: 'edm.send',
				args: {
					campaign_id: '65a1b2c3d4e5f60718293a4b',
					email: 'ann@example.com',
					recipient_name: 'Ann',
				},
				body: {
					campaign_id: '65a1b2c3d4e5f60718293a4b',
					email: 'ann@example.com',
					params: [{ name: 'Ann' }],
					send_also_unsubscribed_users: 0,
				},
			},
			{
				tool: 'Get_SMS_Usage_Report',
				operation: 'sms.getUsageReport',
				args: { date_from: '2026-11-01', date_to: '2026-11-30' },
				query: { date_from: '2026-11-01', date_to: '2026-11-30' },
			},
			{
				tool: 'Get_MMS_Usage_Report',
				operation: 'mms.getUsageReport',
				args: { date_from: '2026-11-01', date_to: '2026-11-01' },
				query: { date_from: '2026-11-01', date_to: '2026-11-01' },
			},
			{ tool: 'Get_Points_Balance', operation: 'account.getPointsBalance', args: {}, query: {} },
			{ tool: 'Get_eDM_Quota_Balance', operation: 'account.getQuotaBalance', args: {}, query: {} },
		];

		test.each(calls)(
			'$tool: the sandbox receives exactly the request, the client the result',
			async ({ tool, operation, args, query, body }) => {
				const result = await client.callTool(tool, args);
				expect(result.isError).toBeFalsy();
				const spec = OPERATIONS[operation];
				const { requests } = setup.sandbox;
				expect(requests).toHaveLength(1);
				expect(requests[0]).toMatchObject({ method: spec.method, path: spec.path });
				expect(requests[0].headers['x-api-key']).toBe(API_KEY);
				if (body) expect(requests[0].body).toEqual(body);
				else expect(requests[0].body).toBeUndefined();
				if (query) expect(requests[0].query).toEqual(query);

				const items = JSON.parse(textOf(result)) as Record<string, unknown>[];
				expect(items).toHaveLength(1);
				expect(items[0].rc).toBe(100);
				for (const field of spec.numbers) expect(typeof items[0][field]).toBe('number');
				const sent = setup.sandbox.state.sends;
				if (body) expect(items[0].ref_id).toBe(sent[sent.length - 1]?.refId);
			},
			RUN_TIMEOUT_MS,
		);

		test(
			'an empty mobile number: an error result naming the field and the fix, nothing sent',
			async () => {
				const result = await client.callTool('Send_SMS', { ...SMS_ARGS, mobile: '' });
				expect(result.isError).toBe(true);
				expect(textOf(result)).toContain(MOBILE_EMPTY);
				expect(textOf(result)).toContain(MOBILE_HINT);
				expect(sends(setup.sandbox.requests)).toEqual([]);
			},
			RUN_TIMEOUT_MS,
		);

		test(
			'dates in the wrong order: an error result that says to swap them, nothing asked',
			async () => {
				const result = await client.callTool('Get_SMS_Usage_Report', {
					date_from: '2026-11-30',
					date_to: '2026-11-01',
				});
				expect(result.isError).toBe(true);
				expect(textOf(result)).toContain('"To Date" is before "From Date"');
				expect(textOf(result)).toContain('Swap the two dates');
				expect(setup.sandbox.requests).toEqual([]);
			},
			RUN_TIMEOUT_MS,
		);

		test(
			'the server keeps serving after errors: a valid call still sends',
			async () => {
				const result = await client.callTool('Send_SMS', SMS_ARGS);
				expect(result.isError).toBeFalsy();
				expect(sends(setup.sandbox.requests).map((r) => r.body)).toEqual([SMS_BODY]);
			},
			RUN_TIMEOUT_MS,
		);
	});
});
