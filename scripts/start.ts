/**
 * `npm start`: a real n8n with this package installed, next to the sandbox, for trying the node
 * in the editor. Builds and packs the package, ensures n8n, starts the sandbox, prepares the n8n
 * user folder (.n8n-e2e/start, kept between runs) with the package, the credential pointing at
 * the sandbox and the example workflow, then runs n8n in the foreground until Ctrl-C.
 *
 * Flags (or environment): --port / N8N_PORT (5678), --sandbox-port / SANDBOX_PORT (4010),
 * --api-key / SANDBOX_API_KEY, --n8n-version, --skip-build, --fresh (start from an empty n8n
 * user folder), --email and --password for the owner login it sets up.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { DEFAULT_SANDBOX_API_KEY } from '../sandbox/server';
import { setUpExample, type ExampleSetup } from './n8n/example';
import {
	DEFAULT_N8N_VERSION,
	killAllChildrenNow,
	REPO_DIR,
	type N8nServer,
	type OwnerLogin,
} from './n8n/runtime';

const USAGE =
	'Usage: npm start -- [--port 5678] [--sandbox-port 4010] [--api-key KEY] ' +
	'[--n8n-version V] [--skip-build] [--fresh] [--email E] [--password P]';

function port(name: string, text: string | undefined, fallback: number): number {
	if (text === undefined || text === '') return fallback;
	const value = Number(text);
	if (!Number.isInteger(value) || value < 1 || value > 65535) {
		throw new Error(`${name} must be a port number (1-65535), got "${text}"`);
	}
	return value;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			'sandbox-port': { type: 'string' },
			'api-key': { type: 'string' },
			'n8n-version': { type: 'string', default: DEFAULT_N8N_VERSION },
			'skip-build': { type: 'boolean', default: false },
			fresh: { type: 'boolean', default: false },
			email: { type: 'string', default: 'demo@example.com' },
			password: { type: 'string', default: 'XLead-demo-1' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) {
		console.log(USAGE);
		return;
	}
	const n8nPort = port('--port', values.port ?? process.env.N8N_PORT, 5678);
	const sandboxPort = port(
		'--sandbox-port',
		values['sandbox-port'] ?? process.env.SANDBOX_PORT,
		4010,
	);
	const apiKey = values['api-key'] ?? process.env.SANDBOX_API_KEY ?? DEFAULT_SANDBOX_API_KEY;
	const owner: OwnerLogin = { email: values.email, password: values.password };
	const userFolder = join(REPO_DIR, '.n8n-e2e', 'start');
	if (values.fresh) await rm(userFolder, { recursive: true, force: true });

	let setup: ExampleSetup | undefined;
	let server: N8nServer | undefined;
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		console.log('\nstopping n8n and the sandbox ...');
		try {
			await server?.stop();
			await setup?.cleanup();
		} finally {
			killAllChildrenNow();
			process.exit(code);
		}
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		setup = await setUpExample({
			n8nVersion: values['n8n-version'],
			sandboxPort,
			apiKey,
			userFolder,
			skipBuild: values['skip-build'],
			// Fixed ids: each start refreshes the same credential and example instead of adding copies.
			credentialId: 'xLeadSandboxCred',
			workflowIds: ['xLeadAllOpsDemo1'],
		});
		server = await setup.home.startServer({ port: n8nPort, owner });
	} catch (error) {
		console.error(`\nnpm start failed: ${error instanceof Error ? error.message : error}`);
		await stop(1);
		return;
	}
	const workflowUrl = `${server.url}/workflow/${setup.workflowIds[0]}`;
	console.log(
		[
			'',
			`n8n ${setup.install.version} is running with ${setup.tarball.split('/').pop()} installed.`,
			'',
			`  Editor:    ${server.url}`,
			`  Log in:    ${owner.email} / ${owner.password}`,
			`  Example:   ${workflowUrl}`,
			`  Sandbox:   ${setup.sandbox.url}  (API key: ${apiKey})`,
			`  Data:      ${setup.home.dir}  (n8n log: ${join(setup.home.dir, 'n8n-server.log')})`,
			'',
			'Press Ctrl-C to stop.',
		].join('\n'),
	);
	server.process.once('exit', (code, signal) => {
		if (stopping) return;
		console.error(
			`\nn8n exited on its own (${code ?? signal}); see ${setup?.home.dir}/n8n-server.log`,
		);
		void stop(1);
	});
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	killAllChildrenNow();
	process.exit(1);
});
