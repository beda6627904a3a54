/**
 * Shared setup for `npm start`, `npm run demo` and the end-to-end tests: the sandbox, a real n8n
 * with this package installed from its tarball, the credential pointing at the sandbox and the
 * example workflow imported.
 */
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { startSandbox, type Sandbox } from '../../sandbox/server';
import {
	buildAndPack,
	CREDENTIAL_TYPE,
	DEFAULT_N8N_VERSION,
	ensureN8n,
	n8nId,
	NODE_TYPE,
	prepareUserFolder,
	REPO_DIR,
	type CredentialImport,
	type Logger,
	type N8nHome,
	type N8nInstall,
	type WorkflowJson,
} from './runtime';

export const EXAMPLE_WORKFLOW_FILE = join(REPO_DIR, 'examples', 'all-operations.workflow.json');
/** The MCP Server Trigger exposing every operation as a tool (examples/agent-tool.workflow.json). */
export const AGENT_TOOL_WORKFLOW_FILE = join(REPO_DIR, 'examples', 'agent-tool.workflow.json');
/** The credential id the example workflow carries until the import step fills in a real one. */
export const CREDENTIAL_PLACEHOLDER_ID = '__XLEAD_CREDENTIAL_ID__';
export const CREDENTIAL_NAME = 'X Lead Connect account';

/** A credential id in an example file that the import step replaces, like `__XLEAD_CREDENTIAL_ID__`. */
function isPlaceholderId(id: string | undefined): boolean {
	return id === undefined || /^__[A-Z0-9_]+__$/.test(id);
}

/**
 * Loads a workflow file; points every X Lead Connect node at `credentialId`, and every node that
 * uses a credential of a type in `others` (say `httpBearerAuth`) at that credential, wherever the
 * file holds a placeholder id.
 */
export async function loadWorkflow(
	file: string,
	credentialId: string,
	others: Record<string, { id: string; name: string }> = {},
): Promise<WorkflowJson> {
	const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
	if (
		typeof parsed !== 'object' ||
		parsed === null ||
		!Array.isArray((parsed as WorkflowJson).nodes)
	) {
		throw new Error(`${file} is not an n8n workflow`);
	}
	const workflow = parsed as WorkflowJson;
	for (const node of workflow.nodes) {
		const credentials = node.credentials as
			Record<string, { id?: string; name?: string }> | undefined;
		const entry = credentials?.[CREDENTIAL_TYPE];
		if (entry && (entry.id === CREDENTIAL_PLACEHOLDER_ID || entry.id === undefined)) {
			entry.id = credentialId;
			entry.name = CREDENTIAL_NAME;
		}
		for (const [type, credential] of Object.entries(others)) {
			const other = credentials?.[type];
			if (other && isPlaceholderId(other.id)) {
				other.id = credential.id;
				other.name = credential.name;
			}
		}
	}
	return workflow;
}

/** The X Lead Connect nodes of a workflow, in the order they appear. */
export function xLeadNodes(
	workflow: WorkflowJson,
): { name: string; resource: string; operation: string }[] {
	return workflow.nodes
		.filter((node) => node.type === NODE_TYPE)
		.map((node) => {
			const parameters = (node.parameters ?? {}) as Record<string, unknown>;
			return {
				name: String(node.name),
				resource: String(parameters.resource ?? ''),
				operation: String(parameters.operation ?? ''),
			};
		});
}

export interface ExampleSetupOptions {
	n8nVersion?: string;
	/** Port for the sandbox; 0 or undefined picks a free one. */
	sandboxPort?: number;
	/** The sandbox's API key (random by default). */
	apiKey?: string;
	/** User folder; a fresh temp folder by default (removed again by cleanup()). */
	userFolder?: string;
	/** Keep the user folder after cleanup() (always kept when `userFolder` was given). */
	keepUserFolder?: boolean;
	/** Use the dist/ that is there instead of running `npm run build`. */
	skipBuild?: boolean;
	/** Import these workflow files instead of the example. */
	workflowFiles?: string[];
	/**
	 * More credentials to import (say an `httpBearerAuth` for an MCP Server Trigger); nodes of the
	 * workflow files that use one of their types with a placeholder id are pointed at them.
	 */
	extraCredentials?: CredentialImport[];
	/** Fixed ids (re-importing then replaces instead of adding); random by default. */
	credentialId?: string;
	workflowIds?: string[];
	log?: Logger;
}

export interface ExampleSetup {
	install: N8nInstall;
	tarball: string;
	sandbox: Sandbox;
	home: N8nHome;
	credentialId: string;
	/** Workflow ids in the order of `workflowFiles` (the example alone by default). */
	workflowIds: string[];
	workflows: WorkflowJson[];
	/** Closes the sandbox and removes what this setup created (never touches a running n8n). */
	cleanup(): Promise<void>;
}

/**
 * Builds and packs the package, ensures n8n, starts the sandbox, prepares a user folder with
 * the package installed, imports the credential (pointing at the sandbox) and the workflows.
 */
export async function setUpExample(options: ExampleSetupOptions = {}): Promise<ExampleSetup> {
	const log = options.log ?? ((line: string) => process.stderr.write(`[setup] ${line}\n`));
	const tarball = await buildAndPack({ skipBuild: options.skipBuild, log });
	const install = await ensureN8n(options.n8nVersion ?? DEFAULT_N8N_VERSION, log);
	const apiKey = options.apiKey ?? `demo-${n8nId()}`;
	const sandbox = await startSandbox({ port: options.sandboxPort ?? 0, apiKeys: [apiKey] });
	const cleanupFolder = options.userFolder === undefined && !options.keepUserFolder;
	let home: N8nHome | undefined;
	try {
		home = await prepareUserFolder({ install, tarball, dir: options.userFolder, log });
		// The tarball is installed now; its temporary folder is not needed any more.
		await rm(dirname(tarball), { recursive: true, force: true });
		const credentialId = options.credentialId ?? n8nId();
		await home.importCredentials([
			{
				id: credentialId,
				name: CREDENTIAL_NAME,
				type: CREDENTIAL_TYPE,
				data: { apiKey, baseUrl: sandbox.url },
			},
		]);
		const extra = options.extraCredentials ?? [];
		if (extra.length > 0) await home.importCredentials(extra);
		const others = Object.fromEntries(extra.map((c) => [c.type, { id: c.id, name: c.name }]));
		const files = options.workflowFiles ?? [EXAMPLE_WORKFLOW_FILE];
		const workflows: WorkflowJson[] = [];
		const workflowIds: string[] = [];
		for (const [index, file] of files.entries()) {
			const workflow = await loadWorkflow(file, credentialId, others);
			workflow.id = options.workflowIds?.[index] ?? workflow.id ?? n8nId();
			workflowIds.push(await home.importWorkflow(workflow));
			workflows.push(workflow);
		}
		const folder = home.dir;
		return {
			install,
			tarball,
			sandbox,
			home,
			credentialId,
			workflowIds,
			workflows,
			cleanup: async () => {
				await sandbox.close();
				if (cleanupFolder) await rm(folder, { recursive: true, force: true });
				await rm(join(tarball, '..'), { recursive: true, force: true });
			},
		};
	} catch (error) {
		await sandbox.close();
		if (home && cleanupFolder) await rm(home.dir, { recursive: true, force: true });
		throw error;
	}
}
