import type { RecordedRequest, Sandbox, SandboxOptions } from '../../sandbox/server';
import { startSandbox } from '../../sandbox/server';

/** A key no real account has, distinctive enough to search every output and log for. */
export const TEST_API_KEY = 'xlc-test-key-5e1f9a7c2d';

/**
 * One sandbox per test file, emptied before each test, so every test sees exactly the requests
 * it caused.
 */
export function useSandbox(options: SandboxOptions = {}): {
	get: () => Sandbox;
	credentials: () => { apiKey: string; baseUrl: string };
	requests: () => RecordedRequest[];
} {
	let sandbox: Sandbox | undefined;

	beforeAll(async () => {
		sandbox = await startSandbox({ apiKeys: [TEST_API_KEY], ...options });
	});
	beforeEach(() => sandbox?.reset());
	afterAll(async () => {
		await sandbox?.close();
	});

	const get = () => {
		if (!sandbox) throw new Error('The sandbox is not running');
		return sandbox;
	};
	return {
		get,
		credentials: () => ({ apiKey: TEST_API_KEY, baseUrl: get().url }),
		requests: () => get().requests,
	};
}
