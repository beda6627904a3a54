import { runNode } from '../harness/n8n';
import { TEST_API_KEY, useSandbox } from '../harness/sandbox';

const sandbox = useSandbox();

const sendSms = (overrides: Record<string, unknown> = {}) => ({
	resource: 'sms',
	operation: 'send',
	countryCode: '852',
	mobile: '91234567',
	content: 'Your order has shipped',
	options: {},
	...overrides,
});

describe('SMS: Send', () => {
	it('posts the recipient and content with the API key and outputs the ref_id', async () => {
		const { output, error } = await runNode({
			parameters: sendSms(),
			credentials: sandbox.credentials(),
		});

		expect(error).toBeUndefined();
		expect(sandbox.requests()).toHaveLength(1);
		const [request] = sandbox.requests();
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/sms/send');
		expect(request.headers['x-api-key']).toBe(TEST_API_KEY);
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.body).toEqual({
			country_code: '852',
			mobile: '91234567',
			content: 'Your order has shipped',
			send_also_ofca_registers: false,
		});
		expect(output).toEqual([
			{
				json: {
					rc: 100,
					rm: 'OK',
					ref_id: '145737475',
					channel: 'sms',
					country_code: '852',
					mobile: '91234567',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(sandbox.get().state.points).toBe(9999);
	});

	it('sends the sender ID and the OFCA choice when the user sets them', async () => {
		await runNode({
			parameters: sendSms({ options: { sender: 'ACME', sendAlsoOfcaRegisters: true } }),
			credentials: sandbox.credentials(),
		});

		expect(sandbox.requests()[0].body).toEqual({
			country_code: '852',
			mobile: '91234567',
			content: 'Your order has shipped',
			sender: 'ACME',
			send_also_ofca_registers: true,
		});
	});

	it('keeps the leading zero of a Taiwanese number', async () => {
		const { output } = await runNode({
			parameters: sendSms({ countryCode: '886', mobile: '0912345678' }),
			credentials: sandbox.credentials(),
		});

		expect(sandbox.requests()[0].body).toMatchObject({ country_code: '886', mobile: '0912345678' });
		expect(output[0].json.mobile).toBe('0912345678');
	});

	it('sends one request per item, in order, each output paired with its item', async () => {
		const { output } = await runNode({
			parameters: sendSms({ mobile: '={{ $json.phone }}', content: '=Hi {{ $json.name }}' }),
			items: [
				{ name: 'Ann', phone: '91110001' },
				{ name: 'Bob', phone: '91110002' },
				{ name: 'Cat', phone: '91110003' },
			],
			credentials: sandbox.credentials(),
		});

		expect(sandbox.requests().map((request) => request.body)).toEqual([
			expect.objectContaining({ mobile: '91110001', content: 'Hi Ann' }),
			expect.objectContaining({ mobile: '91110002', content: 'Hi Bob' }),
			expect.objectContaining({ mobile: '91110003', content: 'Hi Cat' }),
		]);
		expect(output.map((item) => [item.json.ref_id, item.json.mobile, item.pairedItem])).toEqual([
			['145737475', '91110001', { item: 0 }],
			['145737476', '91110002', { item: 1 }],
			['145737477', '91110003', { item: 2 }],
		]);
	});
});

describe('SMS: Get Usage Report', () => {
	it('asks for the dates in the query string and outputs the figures as numbers', async () => {
		await runNode({ parameters: sendSms(), credentials: sandbox.credentials() });
		await runNode({ parameters: sendSms(), credentials: sandbox.credentials() });
		const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

		const { output, error } = await runNode({
			parameters: {
				resource: 'sms',
				operation: 'getUsageReport',
				dateFrom: '2026-01-01T00:00:00',
				dateTo: `${today}T00:00:00`,
			},
			credentials: sandbox.credentials(),
		});

		expect(error).toBeUndefined();
		const request = sandbox.requests()[2];
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/v1/sms/get-usage-report');
		expect(request.query).toEqual({ date_from: '2026-01-01', date_to: today });
		expect(request.headers['x-api-key']).toBe(TEST_API_KEY);
		expect(output).toEqual([
			{
				json: {
					rc: 100,
					rm: 'OK',
					date_from: '2026-01-01',
					date_to: today,
					sms_count: 2,
					points_used: 2,
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});
