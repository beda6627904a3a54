import { runNode } from '../harness/n8n';
import { TEST_API_KEY, useSandbox } from '../harness/sandbox';

const sandbox = useSandbox();

describe('MMS: Send', () => {
	it('posts subject, image URL and text (form A) and outputs the ref_id and recipient', async () => {
		const { output, error } = await runNode({
			parameters: {
				resource: 'mms',
				operation: 'send',
				countryCode: '886',
				mobile: '0912345678',
				subject: 'Winter sale',
				imageUrl: 'https://example.com/sale.jpg',
				text: 'Show this message in store',
				options: { sender: 'ACME' },
			},
			credentials: sandbox.credentials(),
		});

		expect(error).toBeUndefined();
		const [request] = sandbox.requests();
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/v1/mms/send');
		expect(request.headers['x-api-key']).toBe(TEST_API_KEY);
		expect(request.body).toEqual({
			country_code: '886',
			mobile: '0912345678',
			sender: 'ACME',
			subject: 'Winter sale',
			image_url: 'https://example.com/sale.jpg',
			text: 'Show this message in store',
			send_also_ofca_registers: false,
		});
		expect(output).toEqual([
			{
				json: {
					rc: 100,
					rm: 'OK',
					ref_id: '145737475',
					channel: 'mms',
					country_code: '886',
					mobile: '0912345678',
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('MMS: Get Usage Report', () => {
	it('reads the MMS report (whose count is named sms_count) with numbers out', async () => {
		await runNode({
			parameters: {
				resource: 'mms',
				operation: 'send',
				countryCode: '852',
				mobile: '91234567',
				subject: 'S',
				imageUrl: 'https://example.com/a.png',
				text: 'T',
			},
			credentials: sandbox.credentials(),
		});

		const { output } = await runNode({
			parameters: {
				resource: 'mms',
				operation: 'getUsageReport',
				dateFrom: '2026-01-01',
				dateTo: '2099-12-31T23:59:59',
			},
			credentials: sandbox.credentials(),
		});

		const request = sandbox.requests()[1];
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/v1/mms/get-usage-report');
		expect(request.query).toEqual({ date_from: '2026-01-01', date_to: '2099-12-31' });
		expect(output[0].json).toEqual({
			rc: 100,
			rm: 'OK',
			date_from: '2026-01-01',
			date_to: '2099-12-31',
			sms_count: 1,
			points_used: 3,
		});
	});
});
