/**
 * End to end: the packed package installed into a real n8n, in each version of
 * E2E_N8N_VERSIONS (2.40.7 and the last 1.x, 1.123.81, both under Node 24 and installed into the
 * cache on first run: allow several minutes each; XLEAD_E2E_N8N_VERSIONS=2.40.7 narrows the
 * list), the example workflow run with `n8n execute` against the sandbox. Asserts what the API
 * received and what each node output.
 */
import { checkRun } from '../../scripts/n8n/checks';
import { setUpExample, xLeadNodes, type ExampleSetup } from '../../scripts/n8n/example';
import { E2E_N8N_VERSIONS, NODE_TYPE, type ExecuteResult } from '../../scripts/n8n/runtime';
import type { RecordedRequest } from '../../sandbox/server';

const SETUP_TIMEOUT_MS = 15 * 60 * 1000;
const API_KEY = 'e2e-demo-key-7f3a';

function todayInHongKong(): string {
	// en-CA formats as YYYY-MM-DD.
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Hong_Kong' }).format(new Date());
}

describe.each(E2E_N8N_VERSIONS)('the example workflow in n8n %s', (version) => {
	let setup: ExampleSetup;
	let result: ExecuteResult;
	let loadedTypes: string[];
	let reportedVersion: string;
	const todays = new Set<string>();

	beforeAll(async () => {
		todays.add(todayInHongKong());
		setup = await setUpExample({ n8nVersion: version, apiKey: API_KEY });
		loadedTypes = await setup.home.loadedNodeTypes();
		reportedVersion = (await setup.home.cli(['--version'])).stdout.trim();
		result = await setup.home.execute(setup.workflowIds[0]);
		todays.add(todayInHongKong());
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await setup?.cleanup();
	});

	function requestTo(path: string): RecordedRequest {
		const matching = setup.sandbox.requests.filter((r) => r.path === path);
		expect(matching).toHaveLength(1);
		return matching[0];
	}

	function outputOf(node: string): Record<string, unknown> {
		expect(result.nodeErrors[node]).toBeUndefined();
		const items = result.nodeOutputs[node];
		expect(items).toHaveLength(1);
		return items[0];
	}

	test(`the n8n that runs is ${version}`, () => {
		expect(reportedVersion.split('\n').pop()).toBe(version);
	});

	test('n8n loaded the node from the installed tarball', () => {
		expect(loadedTypes).toContain(NODE_TYPE);
	});

	test('the execution succeeded and every operation passed its checks', () => {
		const nodes = xLeadNodes(setup.workflows[0]);
		expect(nodes).toHaveLength(7);
		expect(checkRun(nodes, result, setup.sandbox.requests, API_KEY)).toEqual([]);
		expect(result.run?.status).toBe('success');
	});

	test('the sandbox received the seven requests in workflow order, each with the API key', () => {
		const { requests } = setup.sandbox;
		expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /v1/sms/send',
			'POST /v1/mms/send',
			'POST /v1/edm/send',
			'GET /v1/sms/get-usage-report',
			'GET /v1/mms/get-usage-report',
			'GET /v1/acct/get-points-balance',
			'GET /v1/acct/get-quota-balance',
		]);
		for (const request of requests) expect(request.headers['x-api-key']).toBe(API_KEY);
	});

	test('SMS send: the body holds exactly the API fields', () => {
		const request = requestTo('/v1/sms/send');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.body).toEqual({
			country_code: '852',
			mobile: '91234567',
			content: 'Hello from n8n: your appointment is confirmed for tomorrow at 10:00.',
			sender: 'XLeadDemo',
			send_also_ofca_registers: false,
		});
	});

	test('MMS send: form A body, the Taiwan number keeps its leading zero', () => {
		const request = requestTo('/v1/mms/send');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.body).toEqual({
			country_code: '886',
			mobile: '0912345678',
			subject: 'Weekend offer',
			image_url: 'https://example.com/images/weekend-offer.jpg',
			text: 'Show this message in store for 10% off this weekend.',
			send_also_ofca_registers: false,
		});
	});

	test('eDM send: merge fields become one single-key object each', () => {
		const request = requestTo('/v1/edm/send');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.body).toEqual({
			campaign_id: '65a1b2c3d4e5f60718293a4b',
			email: 'ann@example.com',
			params: [{ name: 'Ann' }, { score: '78' }],
			send_also_unsubscribed_users: 0,
		});
	});

	test.each(['/v1/sms/get-usage-report', '/v1/mms/get-usage-report'])(
		'%s: today in Hong Kong as date_from and date_to, no body',
		(path) => {
			const request = requestTo(path);
			expect(Object.keys(request.query).sort()).toEqual(['date_from', 'date_to']);
			expect(todays).toContain(request.query.date_from);
			expect(request.query.date_to).toBe(request.query.date_from);
			expect(request.body).toBeUndefined();
		},
	);

	test.each(['/v1/acct/get-points-balance', '/v1/acct/get-quota-balance'])(
		'%s: no query, no body',
		(path) => {
			const request = requestTo(path);
			expect(request.query).toEqual({});
			expect(request.body).toBeUndefined();
		},
	);

	test('sends output the ref_id the sandbox issued, with rc 100', () => {
		const sends = setup.sandbox.state.sends;
		expect(sends.map((s) => s.channel)).toEqual(['sms', 'mms', 'edm']);
		const names = ['Send SMS', 'Send MMS', 'Send eDM'];
		names.forEach((name, index) => {
			const output = outputOf(name);
			expect(output).toMatchObject({ rc: 100, rm: 'OK', ref_id: sends[index].refId });
			expect(output.ref_id).toMatch(/^\d+$/);
		});
		expect(outputOf('Send MMS')).toMatchObject({ country_code: '886', mobile: '0912345678' });
	});

	test('usage reports output numbers', () => {
		for (const name of ['SMS Usage Today', 'MMS Usage Today']) {
			const output = outputOf(name);
			expect(output.rc).toBe(100);
			expect(typeof output.sms_count).toBe('number');
			expect(typeof output.points_used).toBe('number');
			expect(todays).toContain(output.date_from);
		}
		// Sent moments before, in the same run: each report counts its one message.
		expect(outputOf('SMS Usage Today').sms_count).toBe(1);
		expect(outputOf('MMS Usage Today').sms_count).toBe(1);
	});

	test('balances output numbers that match the sandbox after the sends', () => {
		expect(outputOf('Points Balance')).toMatchObject({
			rc: 100,
			points: setup.sandbox.state.points,
		});
		expect(outputOf('Quota Balance')).toMatchObject({ rc: 100, quota: setup.sandbox.state.quota });
		expect(typeof outputOf('Points Balance').points).toBe('number');
		expect(typeof outputOf('Quota Balance').quota).toBe('number');
	});
});
