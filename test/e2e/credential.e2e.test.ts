/**
 * End to end: the credential's Test button in a real n8n, in each version of E2E_N8N_VERSIONS
 * (2.40.7 and 1.123.81 under Node 24, installed into the cache on first run: allow several
 * minutes each; XLEAD_E2E_N8N_VERSIONS=2.40.7 narrows the list). The packed package is installed
 * into n8n, the server started, and each case saved and tested through n8n's REST API exactly as
 * the editor does (POST /rest/credentials, then POST /rest/credentials/test).
 */
import { setUpExample, type ExampleSetup } from '../../scripts/n8n/example';
import { startReceiver, type Receiver } from '../../scripts/n8n/receiver';
import { N8nRest, type CredentialTestResult } from '../../scripts/n8n/rest';
import {
	CREDENTIAL_TYPE,
	E2E_N8N_VERSIONS,
	freePort,
	n8nMajor,
	type N8nServer,
	type OwnerLogin,
} from '../../scripts/n8n/runtime';

const SETUP_TIMEOUT_MS = 15 * 60 * 1000;
const API_KEY = 'e2e-credential-key-3b9d';
const WRONG_KEY = 'e2e-wrong-key-0c4e';
const OWNER: OwnerLogin = { email: 'owner@example.com', password: 'XLead-e2e-1' };

const NOT_XLEAD =
	'This Base URL answered, but not like X Lead Connect. Check the Base URL (normally https://api.connect.xleadfunnel.com).';

/**
 * n8n's own messages for HTTP errors and refused connections: 2.x passes the status text or the
 * error code through, 1.x words them (NodeApiError).
 */
function n8nMessages(version: string) {
	return n8nMajor(version) >= 2
		? { unauthorized: 'Unauthorized', forbidden: 'Forbidden', refused: 'ECONNREFUSED' }
		: {
				unauthorized: 'Authorization failed - please check your credentials',
				forbidden: 'Forbidden - perhaps check your credentials?',
				refused: 'The service refused the connection - perhaps it is offline',
			};
}

describe.each(E2E_N8N_VERSIONS)('n8n %s', (version) => {
	const messages = n8nMessages(version);
	let setup: ExampleSetup;
	let server: N8nServer | undefined;
	let rest: N8nRest;
	let other: Receiver;
	let closedPort: number;
	let cases = 0;

	beforeAll(async () => {
		setup = await setUpExample({ n8nVersion: version, apiKey: API_KEY, workflowFiles: [] });
		other = await startReceiver({
			responses: {
				'/json/': { contentType: 'application/json', body: '{"status":"ok","points":12}' },
				'/html/': {
					contentType: 'text/html; charset=utf-8',
					body: '<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>',
				},
			},
		});
		// A port nothing listens on: asked for, then left closed.
		closedPort = await freePort();
		server = await setup.home.startServer({ owner: OWNER, logLevel: 'warn' });
		rest = await N8nRest.login(server.url, OWNER);
	}, SETUP_TIMEOUT_MS);

	afterAll(async () => {
		await server?.stop();
		await other?.close();
		await setup?.cleanup();
	}, 60000);

	beforeEach(() => {
		setup.sandbox.reset();
		other.requests.length = 0;
	});

	/** Saves a credential with this data, then presses Test on it. */
	async function testCredential(data: {
		apiKey: string;
		baseUrl: string;
	}): Promise<CredentialTestResult> {
		cases += 1;
		const saved = await rest.createCredential({
			name: `X Lead Connect case ${cases}`,
			type: CREDENTIAL_TYPE,
			data,
		});
		const result = await rest.testCredential({ ...saved, data });
		// Whatever the verdict, the message never carries the key.
		expect(result.message).not.toContain(data.apiKey);
		return result;
	}

	describe("the credential's Test button", () => {
		test('the right key at the sandbox: OK, one GET of the points balance with the key', async () => {
			const result = await testCredential({ apiKey: API_KEY, baseUrl: setup.sandbox.url });
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			const requests = setup.sandbox.requests;
			expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
				'GET /v1/acct/get-points-balance',
			]);
			expect(requests[0].headers['x-api-key']).toBe(API_KEY);
			expect(requests[0].query).toEqual({});
		});

		test('a Base URL with a trailing slash works the same', async () => {
			const result = await testCredential({ apiKey: API_KEY, baseUrl: `${setup.sandbox.url}/` });
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(setup.sandbox.requests.map((r) => r.path)).toEqual(['/v1/acct/get-points-balance']);
		});

		test('a wrong key: Error (the sandbox answers HTTP 401)', async () => {
			const result = await testCredential({ apiKey: WRONG_KEY, baseUrl: setup.sandbox.url });
			expect(result.status).toBe('Error');
			expect(result.message).toBe(messages.unauthorized);
			// n8n-core repeats a request that got HTTP 401 once (after its "pre-authentication" step,
			// a no-op for this credential), so the sandbox sees the key once or twice.
			const requests = setup.sandbox.requests;
			expect(requests.length === 1 || requests.length === 2).toBe(true);
			for (const request of requests) {
				expect(request.path).toBe('/v1/acct/get-points-balance');
				expect(request.headers['x-api-key']).toBe(WRONG_KEY);
			}
		});

		test('HTTP 403: Error', async () => {
			setup.sandbox.injectFaults([{ kind: { type: 'status', status: 403 } }]);
			const result = await testCredential({ apiKey: API_KEY, baseUrl: setup.sandbox.url });
			expect(result).toEqual({ status: 'Error', message: messages.forbidden });
		});

		test('HTTP 200 with rc -100: Error with the rule for rc -100', async () => {
			setup.sandbox.injectFaults([
				{
					path: '/v1/acct/get-points-balance',
					kind: { type: 'rc', rc: -100, rm: 'Account suspended' },
				},
			]);
			const result = await testCredential({ apiKey: API_KEY, baseUrl: setup.sandbox.url });
			expect(result).toEqual({
				status: 'Error',
				message: 'X Lead Connect refused the request (rc -100). Check the API key and the account.',
			});
		});

		test('HTTP 200 with rc -200: Error with the rule for rc -200', async () => {
			setup.sandbox.injectFaults([{ kind: { type: 'rc', rc: -200 } }]);
			const result = await testCredential({ apiKey: API_KEY, baseUrl: setup.sandbox.url });
			expect(result).toEqual({
				status: 'Error',
				message: 'X Lead Connect refused the request (rc -200). Check the API key and the account.',
			});
		});

		test('a closed port: Error, connection refused', async () => {
			const result = await testCredential({
				apiKey: API_KEY,
				baseUrl: `http://127.0.0.1:${closedPort}`,
			});
			expect(result.status).toBe('Error');
			expect(result.message).toBe(messages.refused);
		});

		test('something else answering 200 with JSON without rc: Error, not X Lead Connect', async () => {
			const result = await testCredential({ apiKey: API_KEY, baseUrl: `${other.url}/json` });
			expect(result).toEqual({ status: 'Error', message: NOT_XLEAD });
			expect(other.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
				'GET /json/v1/acct/get-points-balance',
			]);
		});

		test('something else answering 200 with an HTML page: Error, not X Lead Connect', async () => {
			const result = await testCredential({ apiKey: API_KEY, baseUrl: `${other.url}/html` });
			expect(result).toEqual({ status: 'Error', message: NOT_XLEAD });
			expect(other.requests).toHaveLength(1);
		});

		test('the sandbox answering an HTML maintenance page: Error, not X Lead Connect', async () => {
			setup.sandbox.injectFaults([{ kind: { type: 'html' } }]);
			const result = await testCredential({ apiKey: API_KEY, baseUrl: setup.sandbox.url });
			expect(result).toEqual({ status: 'Error', message: NOT_XLEAD });
		});
	});
});
