/**
 * `npm run demo`: runs examples/all-operations.workflow.json headlessly in a real n8n against
 * the sandbox, prints each node's output and checks that all seven operations succeeded.
 *
 * Flags: --n8n-version V (default 2.40.7; the last 1.x, 1.123.81, works too: the CLI differences
 * are handled in scripts/n8n/runtime.ts), --skip-build (use dist/ as it is), --keep (keep the
 * temporary n8n user folder for inspection).
 * Exit code: 0 all good, 1 a check failed, 2 the setup failed.
 */
import { parseArgs } from 'node:util';

import { checkRun, redact } from './n8n/checks';
import { setUpExample, xLeadNodes, type ExampleSetup } from './n8n/example';
import {
	DEFAULT_E2E_N8N_VERSIONS,
	DEFAULT_N8N_VERSION,
	killAllChildrenNow,
	NODE_TYPE,
} from './n8n/runtime';

function say(line = ''): void {
	process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
	const { values } = parseArgs({
		options: {
			'n8n-version': { type: 'string', default: DEFAULT_N8N_VERSION },
			'skip-build': { type: 'boolean', default: false },
			keep: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) {
		say('Usage: npm run demo -- [--n8n-version 2.40.7] [--skip-build] [--keep]');
		say(`Tested n8n versions: ${DEFAULT_E2E_N8N_VERSIONS.join(', ')}`);
		return 0;
	}

	let setup: ExampleSetup | undefined;
	let stopping = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		process.stderr.write(`\n${signal}: stopping\n`);
		killAllChildrenNow();
		const done = () => process.exit(130);
		if (setup) setup.cleanup().then(done, done);
		else done();
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	const started = Date.now();
	try {
		setup = await setUpExample({
			n8nVersion: values['n8n-version'],
			skipBuild: values['skip-build'],
			keepUserFolder: values.keep,
		});
	} catch (error) {
		process.stderr.write(
			`\nDemo setup failed: ${error instanceof Error ? error.message : error}\n`,
		);
		return 2;
	}

	try {
		const { sandbox, home } = setup;
		const secrets = [sandbox.apiKey];
		const workflow = setup.workflows[0];
		const nodes = xLeadNodes(workflow);
		say(`\nn8n ${setup.install.version}, user folder ${home.dir}`);
		say(`sandbox ${sandbox.url}`);
		say(`running "${workflow.name}" (${nodes.length} X Lead Connect nodes) with n8n execute\n`);

		const result = await home.execute(setup.workflowIds[0]);

		for (const node of nodes) {
			const items = result.nodeOutputs[node.name];
			const error = result.nodeErrors[node.name];
			say(`■ ${node.name} (${node.resource} / ${node.operation})`);
			if (error) say(`  ERROR ${redact(error, secrets)}`);
			else if (!items) say('  (did not run)');
			else for (const item of items) say(`  ${redact(JSON.stringify(item), secrets)}`);
		}
		say('\nrequests the sandbox received:');
		for (const request of sandbox.requests) {
			const query = new URLSearchParams(request.query).toString();
			say(`  ${request.method} ${request.path}${query ? `?${query}` : ''}`);
		}

		const problems = checkRun(nodes, result, sandbox.requests, sandbox.apiKey);
		if (problems.length > 0) {
			if (Object.keys(result.nodeOutputs).length === 0) {
				// Nothing ran at all: say whether n8n even loaded the package.
				const types = await home.loadedNodeTypes().catch(() => [] as string[]);
				if (!types.includes(NODE_TYPE)) {
					problems.unshift(`n8n did not load ${NODE_TYPE} from ${home.n8nDir}/nodes`);
				}
				const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-15);
				problems.push(`n8n's output ended with:\n${redact(tail.join('\n'), secrets)}`);
			}
			say(`\nDEMO FAILED (${problems.length} problems):`);
			for (const problem of problems) say(`  ✗ ${redact(problem, secrets)}`);
			return 1;
		}
		const seconds = Math.round((Date.now() - started) / 1000);
		say(
			`\nDEMO OK: all ${nodes.length} operations succeeded in n8n ${setup.install.version} ` +
				`and the sandbox received ${sandbox.requests.length} matching requests (${seconds} s).`,
		);
		return 0;
	} finally {
		if (!stopping) {
			await setup.cleanup();
			if (values.keep) say(`kept the n8n user folder ${setup.home.dir}`);
		}
	}
}

main().then(
	(code) => {
		killAllChildrenNow();
		process.exit(code);
	},
	(error: unknown) => {
		process.stderr.write(`\nDemo failed: ${error instanceof Error ? error.stack : error}\n`);
		killAllChildrenNow();
		process.exit(2);
	},
);
