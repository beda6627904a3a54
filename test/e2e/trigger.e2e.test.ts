/**
 * End to end, send to callback, in a real n8n, in each version of E2E_N8N_VERSIONS (2.40.7 and
 * 1.123.81 under Node 24, installed into the cache on first run: allow several minutes each;
 * XLEAD_E2E_N8N_VERSIONS=2.40.7 narrows the list), with the packed package installed as users get
 * it:
 *
 * - workflow "Send" has one production Webhook per channel, each followed by an X Lead Connect
 *   send and answering with its output (the ref_id);
 * - workflow "Callbacks" is the X Lead Connect Trigger followed by an HTTP Request node that
 *   posts each execution's item to a receiver in this test;
 * - the sandbox plays X Lead: it answers the sends and posts both reports to the trigger's
 *   production URL, with the outcome chosen per recipient;
 * - examples/send-and-match-callbacks.workflow.json runs as a user would run it: imported,
 *   credential and secret set, published, "Execute workflow" pressed, callbacks matched to leads
 *   through an n8n Data Table (n8n 2.x only: the example needs the Data Table node 1.1).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { loadWorkflow, setUpExample, type ExampleSetup } from '../../scripts/n8n/example';
import { startReceiver, type ReceivedRequest, type Receiver } from '../../scripts/n8n/receiver';
import { N8nRest } from '../../scripts/n8n/rest';
import {
	E2E_N8N_VERSIONS,
	n8nId,
	n8nMajor,
	NODE_TYPE,
	PACKAGE_NAME,
	REPO_DIR,
	sleep,
	type N8nServer,
	type OwnerLogin,
	type WorkflowJson,
} from '../../scripts/n8n/runtime';
import type { CallbackOptions, DeliveredCallback, Outcome } from '../../sandbox/callbacks';

const SETUP_TIMEOUT_MS = 15 * 60 * 1000;
const API_KEY = 'e2e-trigger-key-8c1f';
const SECRET = `e2e-secret-${n8nId()}`;
const OWNER: OwnerLogin = { email: 'owner@example.com', password: 'XLead-e2e-1' };
const TRIGGER_TYPE = `${PACKAGE_NAME}.xLeadConnectTrigger`;
const TRIGGER_WEBHOOK_ID = randomUUID();
const CAMPAIGN_ID = '65a1b2c3d4e5f60718293a4b';
const EXAMPLE_FILE = join(REPO_DIR, 'examples', 'send-and-match-callbacks.workflow.json');
/** How long to keep watching for executions that must not happen. */
const SETTLE_MS = 1500;

type Channel = 'sms' | 'mms' | 'edm';

/** Made-up recipients; the sandbox picks each one's outcome. */
const RECIPIENTS: Record<Channel, Record<'delivered' | 'rejected' | 'undelivered', string>> = {
	sms: { delivered: '91230001', rejected: '91230002', undelivered: '91230003' },
	mms: { delivered: '91230011', rejected: '91230012', undelivered: '91230013' },
	edm: {
		delivered: 'ann@example.com',
		rejected: 'ben@example.com',
		undelivered: 'cindy@example.com',
	},
};
const REJECTION: Record<Channel, Outcome> = {
	sms: 'rejected:dnc',
	mms: 'rejected:dnc',
	edm: 'rejected:unsend',
};

/** The example's sample leads (its "Leads" node) and the outcome the sandbox gives each. */
const LEADS = [
	{ name: 'Ann Chan', mobile: '91234567', outcome: 'delivered' as Outcome },
	{ name: 'Ben Wong', mobile: '92345678', outcome: 'rejected:dnc' as Outcome },
	{ name: 'Cindy Lee', mobile: '93456789', outcome: 'undelivered' as Outcome },
];

describe.each(E2E_N8N_VERSIONS)('the trigger in n8n %s', (version) => {
	const exampleRuns = n8nMajor(version) >= 2;

	let setup: ExampleSetup;
	let server: N8nServer | undefined;
	let receiver: Receiver;
	let rest: N8nRest;
	let callbacksWorkflowId: string;
	let exampleWorkflowId: string;
	let setupStarted = 0;
	let setupSeconds = 0;

	function outcomesByRecipient(): Record<string, Outcome> {
		const outcomes: Record<string, Outcome> = {};
		for (const channel of ['sms', 'mms', 'edm'] as const) {
			outcomes[RECIPIENTS[channel].delivered] = 'delivered';
			outcomes[RECIPIENTS[channel].rejected] = REJECTION[channel];
			outcomes[RECIPIENTS[channel].undelivered] = 'undelivered';
		}
		for (const lead of LEADS) outcomes[lead.mobile] = lead.outcome;
		return outcomes;
	}

	const credentials = () => ({
		xLeadConnectApi: { id: setup.credentialId, name: 'X Lead Connect account' },
	});

	function node(
		name: string,
		type: string,
		typeVersion: number,
		position: [number, number],
		parameters: Record<string, unknown>,
		extra: Record<string, unknown> = {},
	): Record<string, unknown> {
		return { id: randomUUID(), name, type, typeVersion, position, parameters, ...extra };
	}

	function chain(...names: string[]): Record<string, unknown> {
		const connections: Record<string, unknown> = {};
		for (let i = 0; i + 1 < names.length; i++) {
			connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
		}
		return connections;
	}

	/** An HTTP Request node that posts the item it gets to the receiver, at `path`. */
	function forwardNode(name: string, path: string, position: [number, number]) {
		return node(name, 'n8n-nodes-base.httpRequest', 4.2, position, {
			method: 'POST',
			url: `${receiver.url}${path}`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		});
	}

	function callbacksWorkflow(): WorkflowJson {
		return {
			name: 'E2E: X Lead Connect callbacks',
			nodes: [
				node(
					'X Lead Connect Trigger',
					TRIGGER_TYPE,
					1,
					[0, 0],
					{ secret: SECRET },
					{ webhookId: TRIGGER_WEBHOOK_ID },
				),
				forwardNode('Forward to Receiver', '/trigger', [240, 0]),
			],
			connections: chain('X Lead Connect Trigger', 'Forward to Receiver'),
			settings: { executionOrder: 'v1' },
		};
	}

	const SEND_PARAMETERS: Record<Channel, Record<string, unknown>> = {
		sms: {
			resource: 'sms',
			operation: 'send',
			countryCode: '852',
			mobile: '={{ $json.body.recipient }}',
			content: '={{ $json.body.text }}',
			options: {},
		},
		mms: {
			resource: 'mms',
			operation: 'send',
			countryCode: '852',
			mobile: '={{ $json.body.recipient }}',
			subject: 'Weekend offer',
			imageUrl: 'https://example.com/images/weekend-offer.jpg',
			text: '={{ $json.body.text }}',
			options: {},
		},
		edm: {
			resource: 'edm',
			operation: 'send',
			campaignId: CAMPAIGN_ID,
			email: '={{ $json.body.recipient }}',
			mergeFields: { field: [{ name: 'name', value: 'Ann' }] },
			options: {},
		},
	};

	/** One production Webhook per channel, each answering with its X Lead Connect node's output. */
	function sendWorkflow(): WorkflowJson {
		const nodes: Record<string, unknown>[] = [];
		let connections: Record<string, unknown> = {};
		(['sms', 'mms', 'edm'] as const).forEach((channel, row) => {
			const hook = `Receive ${channel.toUpperCase()} Request`;
			const send = `Send ${channel.toUpperCase()}`;
			nodes.push(
				node(
					hook,
					'n8n-nodes-base.webhook',
					2,
					[0, row * 200],
					{
						httpMethod: 'POST',
						path: `xlead-e2e-send-${channel}`,
						responseMode: 'lastNode',
						responseData: 'firstEntryJson',
						options: {},
					},
					{ webhookId: randomUUID() },
				),
				node(send, NODE_TYPE, 1, [240, row * 200], SEND_PARAMETERS[channel], {
					credentials: credentials(),
				}),
			);
			connections = { ...connections, ...chain(hook, send) };
		});
		return {
			name: 'E2E: X Lead Connect sends',
			nodes,
			connections,
			settings: { executionOrder: 'v1' },
		};
	}

	/**
	 * The example as a user sets it up: the secret typed into its trigger. The test adds one node
	 * after "Lead Marked" that posts each marked lead to the receiver, so the test can see them.
	 */
	async function exampleWorkflow(): Promise<WorkflowJson> {
		const workflow = await loadWorkflow(EXAMPLE_FILE, setup.credentialId);
		const trigger = workflow.nodes.find((n) => n.type === TRIGGER_TYPE);
		if (!trigger) throw new Error('the example has no X Lead Connect Trigger');
		trigger.parameters = { ...(trigger.parameters as Record<string, unknown>), secret: SECRET };
		workflow.nodes.push(forwardNode('Report to Test', '/example', [1320, 220]));
		workflow.connections['Lead Marked'] = {
			main: [[{ node: 'Report to Test', type: 'main', index: 0 }]],
		};
		workflow.id = n8nId();
		return workflow;
	}

	function n8n(): N8nServer {
		if (!server) throw new Error('n8n is not running');
		return server;
	}

	function triggerUrl(query: Record<string, string>): string {
		const url = new URL(n8n().webhookUrl(`${TRIGGER_WEBHOOK_ID}/callback`));
		for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
		return url.toString();
	}

	function exampleTriggerUrl(workflow: WorkflowJson): string {
		const trigger = workflow.nodes.find((n) => n.type === TRIGGER_TYPE);
		const url = new URL(n8n().webhookUrl(`${String(trigger?.webhookId)}/callback`));
		url.searchParams.set('secret', SECRET);
		url.searchParams.set('channel', 'sms');
		return url.toString();
	}

	function setCallbacks(options: Omit<CallbackOptions, 'urls' | 'outcomesByRecipient'> = {}) {
		setup.sandbox.setCallbacks({
			urls: {
				sms: triggerUrl({ secret: SECRET, channel: 'sms' }),
				mms: triggerUrl({ secret: SECRET, channel: 'mms' }),
				edm: triggerUrl({ secret: SECRET, channel: 'edm' }),
			},
			outcomesByRecipient: outcomesByRecipient(),
			...options,
		});
	}

	let exampleJson: WorkflowJson;

	beforeAll(async () => {
		setupStarted = Date.now();
		setup = await setUpExample({ n8nVersion: version, apiKey: API_KEY, workflowFiles: [] });
		receiver = await startReceiver();
		const { home } = setup;
		callbacksWorkflowId = await home.importWorkflow(callbacksWorkflow());
		const ids = [callbacksWorkflowId, await home.importWorkflow(sendWorkflow())];
		if (exampleRuns) {
			exampleJson = await exampleWorkflow();
			exampleWorkflowId = await home.importWorkflow(exampleJson);
			ids.push(exampleWorkflowId);
		}
		// A running n8n does not see what the CLI changes: publish first, then start.
		for (const id of ids) await home.publishWorkflow(id);
		server = await home.startServer({ owner: OWNER });
		rest = await N8nRest.login(server.url, OWNER);
		setupSeconds = Math.round((Date.now() - setupStarted) / 1000);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await server?.stop();
		await receiver?.close();
		await setup?.cleanup();
	}, 60000);

	interface TriggerItem {
		channel: string;
		report: string;
		outcome: string;
		received_at: string;
		rc: unknown;
		rm: unknown;
		ref_id: unknown;
		status: unknown;
		[field: string]: unknown;
	}

	function itemOf(request: ReceivedRequest): TriggerItem {
		return request.json as TriggerItem;
	}

	const fromTrigger = (refId: string) => (request: ReceivedRequest) =>
		request.url === '/trigger' && (request.json as { ref_id?: unknown })?.ref_id === refId;

	/** Sends through workflow "Send" and returns the ref_id its Webhook answered with. */
	async function sendThroughN8n(channel: Channel, recipient: string): Promise<string> {
		const response = await fetch(n8n().webhookUrl(`xlead-e2e-send-${channel}`), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ recipient, text: 'Your appointment is confirmed.' }),
			signal: AbortSignal.timeout(30000),
		});
		const output = (await response.json()) as Record<string, unknown>;
		expect(response.status).toBe(200);
		expect(output).toMatchObject({ rc: 100, rm: 'OK', channel });
		expect(output.ref_id).toMatch(/^\d+$/);
		return String(output.ref_id);
	}

	/** Waits until the sandbox has made `count` callback attempts for this ref_id. */
	async function callbacksFor(refId: string, count: number): Promise<DeliveredCallback[]> {
		const deadline = Date.now() + 20000;
		for (;;) {
			const made = setup.sandbox.callbacks.filter((c) => c.refId === refId);
			if (made.length >= count) return made;
			if (Date.now() > deadline) {
				throw new Error(`expected ${count} callbacks for ref_id ${refId}, ${made.length} came`);
			}
			await sleep(50);
		}
	}

	/** The items the trigger's executions produced for this ref_id, once `count` came and settled. */
	async function executionsFor(refId: string, count: number): Promise<TriggerItem[]> {
		await receiver.waitFor(fromTrigger(refId), count, 30000);
		await sleep(SETTLE_MS);
		const items = receiver.requests.filter(fromTrigger(refId)).map(itemOf);
		expect(items).toHaveLength(count);
		// In the order the reports were made, whatever order the executions finished in.
		const order = ['send_request', 'delivery'];
		return items.sort((a, b) => order.indexOf(a.report) - order.indexOf(b.report));
	}

	function expectCommonFields(item: TriggerItem, channel: Channel, refId: string) {
		expect(item.channel).toBe(channel);
		expect(item.ref_id).toBe(refId);
		expect(Date.parse(item.received_at)).not.toBeNaN();
		// The secret and the channel the URL carried are never passed on as callback fields.
		expect(item).not.toHaveProperty('secret');
		expect(Object.keys(item).sort()).toEqual(
			['channel', 'outcome', 'rc', 'received_at', 'ref_id', 'report', 'rm', 'status'].sort(),
		);
	}

	const ACCEPTED = {
		report: 'send_request',
		outcome: 'success',
		rc: 100,
		rm: 'OK',
		status: 'ACCEPTED',
	};

	describe('send to callback', () => {
		test('n8n is up with the package loaded and the workflows published', async () => {
			expect(server?.running).toBe(true);
			const types = await setup.home.loadedNodeTypes();
			expect(types).toEqual(expect.arrayContaining([NODE_TYPE, TRIGGER_TYPE]));
			process.stderr.write(
				`[trigger e2e] n8n ${version} set up and started in ${setupSeconds} s\n`,
			);
		});

		describe.each(['sms', 'mms', 'edm'] as const)('%s', (channel) => {
			const rejectedRm =
				channel === 'edm' ? 'Address is on the unsend list' : 'Number is on a do-not-call register';
			const undelivered =
				channel === 'edm'
					? { status: 'BOUNCED', rm: 'Not delivered: mailbox unavailable' }
					: { status: 'UNDELIVERED', rm: 'Not delivered: handset unreachable' };

			beforeAll(() => setCallbacks());

			test('delivered: two executions, send request accepted then delivered', async () => {
				const refId = await sendThroughN8n(channel, RECIPIENTS[channel].delivered);
				const made = await callbacksFor(refId, 2);
				expect(made.map((c) => [c.report, c.status, c.error])).toEqual([
					['send_request', 200, undefined],
					['delivery', 200, undefined],
				]);
				const [request, delivery] = await executionsFor(refId, 2);
				expectCommonFields(request, channel, refId);
				expect(request).toMatchObject(ACCEPTED);
				expectCommonFields(delivery, channel, refId);
				expect(delivery).toMatchObject({
					report: 'delivery',
					outcome: 'success',
					rc: 100,
					rm: 'OK',
					status: 'DELIVERED',
				});
			});

			test(`refused (${REJECTION[channel]}): one execution, the send request rejected`, async () => {
				const refId = await sendThroughN8n(channel, RECIPIENTS[channel].rejected);
				const made = await callbacksFor(refId, 1);
				await sleep(500);
				// A refused send gets no delivery report.
				expect(setup.sandbox.callbacks.filter((c) => c.refId === refId)).toHaveLength(1);
				expect(made[0]).toMatchObject({ report: 'send_request', status: 200 });
				const [request] = await executionsFor(refId, 1);
				expectCommonFields(request, channel, refId);
				expect(request).toMatchObject({
					report: 'send_request',
					outcome: 'failure',
					rc: -100,
					rm: rejectedRm,
					status: 'REJECTED',
				});
			});

			test('undelivered: two executions, accepted then not delivered', async () => {
				const refId = await sendThroughN8n(channel, RECIPIENTS[channel].undelivered);
				await callbacksFor(refId, 2);
				const [request, delivery] = await executionsFor(refId, 2);
				expectCommonFields(request, channel, refId);
				expect(request).toMatchObject(ACCEPTED);
				expectCommonFields(delivery, channel, refId);
				expect(delivery).toMatchObject({
					report: 'delivery',
					outcome: 'failure',
					rc: -100,
					...undelivered,
				});
			});
		});

		test.each(['form', 'get'] as const)(
			'callbacks as %s: the same two executions, fields as text',
			async (style) => {
				setCallbacks({ style });
				const refId = await sendThroughN8n('sms', RECIPIENTS.sms.undelivered);
				const made = await callbacksFor(refId, 2);
				expect(made.map((c) => [c.method, c.status])).toEqual([
					[style === 'get' ? 'GET' : 'POST', 200],
					[style === 'get' ? 'GET' : 'POST', 200],
				]);
				const [request, delivery] = await executionsFor(refId, 2);
				expectCommonFields(request, 'sms', refId);
				expect(request).toMatchObject({ ...ACCEPTED, rc: '100' });
				expectCommonFields(delivery, 'sms', refId);
				expect(delivery).toMatchObject({
					report: 'delivery',
					outcome: 'failure',
					rc: '-100',
					rm: 'Not delivered: handset unreachable',
					status: 'UNDELIVERED',
				});
			},
		);

		describe('repeated callbacks', () => {
			// The trigger remembers the callbacks it has seen in the workflow's static data. n8n 2.40.7
			// saves what webhook() changed there only when the answer goes out before the execution is
			// set up (WorkflowRunner.establishContextForPersistence wraps the same staticData object in
			// a second Workflow, which clears its "changed" flag); the trigger answers by itself, so
			// n8n saves it, but only after that answer has gone out.

			test('the sandbox sending each report twice: every repeat answered 200, both reports started', async () => {
				setCallbacks({ repeat: 2 });
				const refId = await sendThroughN8n('sms', RECIPIENTS.sms.delivered);
				const made = await callbacksFor(refId, 4);
				expect(made.map((c) => [c.report, c.status])).toEqual([
					['send_request', 200],
					['send_request', 200],
					['delivery', 200],
					['delivery', 200],
				]);
				await receiver.waitFor(fromTrigger(refId), 2, 30000);
				await sleep(SETTLE_MS);
				const statuses = receiver.requests.filter(fromTrigger(refId)).map((r) => itemOf(r).status);
				expect([...new Set(statuses)].sort()).toEqual(['ACCEPTED', 'DELIVERED']);
			});

			test('a callback repeated 300 ms later, and again, starts one execution', async () => {
				const refId = '999000333';
				const payload = { rc: 100, rm: 'OK', ref_id: refId, status: 'ACCEPTED' };
				for (let attempt = 0; attempt < 3; attempt++) {
					if (attempt > 0) await sleep(300);
					const response = await fetch(triggerUrl({ secret: SECRET, channel: 'sms' }), {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(payload),
					});
					expect(response.status).toBe(200);
					expect(await response.text()).toBe('OK');
				}
				const items = await executionsFor(refId, 1);
				expect(items[0]).toMatchObject({ ...payload, channel: 'sms', report: 'send_request' });
			});

			// n8n saves the trigger's static data only after the answer has gone out, so a repeat
			// sent the moment that answer arrives is caught by the trigger's in-process memory.
			test('callbacks each repeated back to back (within milliseconds) start one execution each', async () => {
				const refIds = Array.from({ length: 10 }, (_, index) => `99900044${index}`);
				for (const refId of refIds) {
					const payload = { rc: 100, rm: 'OK', ref_id: refId, status: 'DELIVERED' };
					for (let attempt = 0; attempt < 2; attempt++) {
						const response = await fetch(triggerUrl({ secret: SECRET, channel: 'sms' }), {
							method: 'POST',
							headers: { 'content-type': 'application/json' },
							body: JSON.stringify(payload),
						});
						expect(response.status).toBe(200);
					}
				}
				for (const refId of refIds) await executionsFor(refId, 1);
			});
		});

		describe('callbacks without the secret', () => {
			const refId = '999000111';
			const payload = { rc: 100, rm: 'OK', ref_id: refId, status: 'DELIVERED' };
			const cases: [string, () => string, RequestInit][] = [
				[
					'POST without a secret',
					() => triggerUrl({ channel: 'sms' }),
					{ method: 'POST', body: JSON.stringify(payload) },
				],
				[
					'POST with a wrong secret',
					() => triggerUrl({ secret: `${SECRET}x`, channel: 'sms' }),
					{ method: 'POST', body: JSON.stringify(payload) },
				],
				[
					'POST with the secret in the wrong case',
					() => triggerUrl({ secret: SECRET.toUpperCase() }),
					{ method: 'POST', body: JSON.stringify(payload) },
				],
				[
					'GET with a wrong secret',
					() => triggerUrl({ ...stringify(payload), secret: 'guess' }),
					{ method: 'GET' },
				],
				[
					'POST with a wrong X-XLead-Secret header',
					() => triggerUrl({}),
					{
						method: 'POST',
						body: JSON.stringify(payload),
						headers: { 'x-xlead-secret': 'guess' },
					},
				],
			];

			test.each(cases)('%s: HTTP 401, nothing started', async (_name, url, init) => {
				const before = receiver.requests.length;
				const response = await fetch(url(), {
					...init,
					headers: { 'content-type': 'application/json', ...init.headers },
				});
				expect(response.status).toBe(401);
				expect(await response.json()).toEqual({ message: 'Unauthorized' });
				await sleep(SETTLE_MS);
				expect(receiver.requests.slice(before)).toEqual([]);
			});

			test('the right secret in the X-XLead-Secret header: HTTP 200, one execution', async () => {
				const response = await fetch(triggerUrl({ channel: 'sms' }), {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'x-xlead-secret': SECRET },
					body: JSON.stringify(payload),
				});
				expect(response.status).toBe(200);
				const [item] = await executionsFor(refId, 1);
				expect(item).toMatchObject({ ...payload, channel: 'sms', report: 'delivery' });
			});
		});

		test('an accepted callback is answered 200 with the body OK', async () => {
			const response = await fetch(triggerUrl({ secret: SECRET, channel: 'sms' }), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ rc: 100, rm: 'OK', ref_id: '999000222', status: 'ACCEPTED' }),
			});
			expect(response.status).toBe(200);
			await executionsFor('999000222', 1);
			expect(await response.text()).toBe('OK');
		});

		test('n8n saved exactly one successful execution per item the receiver got', async () => {
			const executions = await rest.executions(callbacksWorkflowId);
			const received = receiver.requests.filter((r) => r.url === '/trigger');
			expect(executions).toHaveLength(received.length);
			expect(executions.every((e) => e.status === 'success' && e.mode === 'webhook')).toBe(true);
		});
	});

	function stringify(payload: Record<string, unknown>): Record<string, string> {
		return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, String(v)]));
	}

	// The example needs the Data Table node 1.1 (tables by name, Table → Create): n8n 2.x.
	(exampleRuns ? describe : describe.skip)(
		'examples/send-and-match-callbacks.workflow.json',
		() => {
			let manualRunStatus: string;
			let rows: Record<string, unknown>[];
			let marked: Record<string, unknown>[];

			beforeAll(async () => {
				setup.sandbox.setCallbacks({
					urls: { sms: exampleTriggerUrl(exampleJson) },
					outcomesByRecipient: outcomesByRecipient(),
				});
				const callbacksBefore = setup.sandbox.callbacks.length;
				// The editor's "Execute workflow" button, from the "Send to Leads" trigger.
				const executionId = await rest.runManually(exampleWorkflowId, 'Send to Leads');
				manualRunStatus = (await rest.waitForExecution(executionId, 60000)).status;
				// Ann: 2 reports, Ben: 1 (refused), Cindy: 2.
				await setup.sandbox.waitForCallbacks(callbacksBefore + 5, 30000);
				// One marked lead each, after up to a few retries (a report may arrive before its send
				// is stored: the example waits and looks again).
				marked = (await receiver.waitFor((r) => r.url === '/example', 3, 60000)).map(
					(r) => r.json as Record<string, unknown>,
				);
				await sleep(SETTLE_MS);
				const projectId = await rest.personalProjectId();
				const table = (await rest.dataTables(projectId)).find((t) => t.name === 'xlead_sends');
				if (!table) throw new Error('the example did not create the Data Table xlead_sends');
				rows = await rest.dataTableRows(projectId, table.id);
			}, 180000);

			test('the sending run succeeded and sent one SMS per lead', () => {
				expect(manualRunStatus).toBe('success');
				const sends = setup.sandbox.requests.filter((r) => r.path === '/v1/sms/send');
				const leadSends = sends.filter((r) =>
					LEADS.some((lead) => (r.body as { mobile?: unknown })?.mobile === lead.mobile),
				);
				expect(leadSends).toHaveLength(3);
				expect(leadSends.map((r) => (r.body as { content?: unknown }).content)).toEqual(
					LEADS.map((l) => `Hi ${l.name}, your appointment is confirmed for tomorrow at 10:00.`),
				);
			});

			test('xlead_sends holds one row per lead, marked with its final report', () => {
				expect(rows).toHaveLength(3);
				const byLead = new Map(rows.map((row) => [row.lead, row]));
				expect(byLead.get('Ann Chan')).toMatchObject({
					channel: 'sms',
					recipient: '852 91234567',
					status: 'DELIVERED',
					outcome: 'success',
				});
				expect(byLead.get('Ben Wong')).toMatchObject({
					channel: 'sms',
					recipient: '852 92345678',
					status: 'REJECTED',
					outcome: 'failure',
				});
				expect(byLead.get('Cindy Lee')).toMatchObject({
					channel: 'sms',
					recipient: '852 93456789',
					status: 'UNDELIVERED',
					outcome: 'failure',
				});
			});

			test("each row's ref_id is the one the sandbox called back for that lead", () => {
				for (const row of rows) {
					const refId = String(row.ref_id);
					const made = setup.sandbox.callbacks.filter((c) => c.refId === refId);
					const final = made[made.length - 1];
					expect(final.payload.status).toBe(row.status);
					expect(made.every((c) => c.status === 200)).toBe(true);
				}
			});

			test('the matching branch joined each final report to its lead', () => {
				const byLead = new Map(marked.map((item) => [item.lead, item]));
				const refOf = (lead: string) => rows.find((row) => row.lead === lead)?.ref_id;
				expect(marked).toHaveLength(3);
				expect(byLead.get('Ann Chan')).toEqual({
					lead: 'Ann Chan',
					recipient: '852 91234567',
					ref_id: refOf('Ann Chan'),
					channel: 'sms',
					report: 'delivery',
					status: 'DELIVERED',
					outcome: 'success',
					detail: 'OK',
				});
				expect(byLead.get('Ben Wong')).toEqual({
					lead: 'Ben Wong',
					recipient: '852 92345678',
					ref_id: refOf('Ben Wong'),
					channel: 'sms',
					report: 'send_request',
					status: 'REJECTED',
					outcome: 'failure',
					detail: 'Number is on a do-not-call register',
				});
				expect(byLead.get('Cindy Lee')).toEqual({
					lead: 'Cindy Lee',
					recipient: '852 93456789',
					ref_id: refOf('Cindy Lee'),
					channel: 'sms',
					report: 'delivery',
					status: 'UNDELIVERED',
					outcome: 'failure',
					detail: 'Not delivered: handset unreachable',
				});
			});

			test('a report that comes before its send is stored waits, then marks the lead', async () => {
				const refId = '777000001';
				const projectId = await rest.personalProjectId();
				const table = (await rest.dataTables(projectId)).find((t) => t.name === 'xlead_sends');
				if (!table) throw new Error('no Data Table xlead_sends');
				const started = Date.now();
				const response = await fetch(exampleTriggerUrl(exampleJson), {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ rc: 100, rm: 'OK', ref_id: refId, status: 'DELIVERED' }),
				});
				expect(response.status).toBe(200);
				// The send is stored a moment after its report arrived, as when a long list is sent.
				await sleep(1000);
				await rest.insertDataTableRows(projectId, table.id, [
					{
						ref_id: refId,
						lead: 'Dan Lau',
						channel: 'sms',
						recipient: '852 94567890',
						status: 'SENT',
						outcome: 'pending',
					},
				]);
				const [request] = await receiver.waitFor(
					(r) => r.url === '/example' && (r.json as { ref_id?: unknown })?.ref_id === refId,
					1,
					30000,
				);
				expect(request.receivedAt - started).toBeGreaterThanOrEqual(3000);
				expect(request.json).toEqual({
					lead: 'Dan Lau',
					recipient: '852 94567890',
					ref_id: refId,
					channel: 'sms',
					report: 'delivery',
					status: 'DELIVERED',
					outcome: 'success',
					detail: 'OK',
				});
				const row = (await rest.dataTableRows(projectId, table.id)).find((r) => r.ref_id === refId);
				expect(row).toMatchObject({ lead: 'Dan Lau', status: 'DELIVERED', outcome: 'success' });
			}, 60000);

			test('every execution of the example succeeded: one run, six callbacks', async () => {
				const deadline = Date.now() + 60000;
				let executions = await rest.executions(exampleWorkflowId);
				while (executions.some((e) => e.status !== 'success') && Date.now() < deadline) {
					await sleep(500);
					executions = await rest.executions(exampleWorkflowId);
				}
				expect(executions.filter((e) => e.mode === 'manual')).toHaveLength(1);
				expect(executions.filter((e) => e.mode === 'webhook')).toHaveLength(6);
				expect(executions.map((e) => e.status)).toEqual(executions.map(() => 'success'));
				// Callbacks that came before their send was stored waited and looked again (3 s a try).
				const waited = executions.filter(
					(e) =>
						e.mode === 'webhook' &&
						Date.parse(e.stoppedAt ?? '') - Date.parse(e.startedAt ?? '') >= 3000,
				);
				process.stderr.write(
					`[trigger e2e] n8n ${version} example: ${waited.length} of 6 callbacks waited for their send to be stored\n`,
				);
			});
		},
	);
});
