/**
 * Runs this package's nodes inside n8n-core's own execution engine (WorkflowExecute), the way the
 * n8n server does, minus the parts an embedder supplies: node types come from this package's
 * source and credentials from the test. Requests cross real HTTP to the sandbox.
 */
import { Credentials, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	ExecutionError,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, Workflow } from 'n8n-workflow';

import { XLeadConnectApi } from '../../credentials/XLeadConnectApi.credentials';
import { XLeadConnect } from '../../nodes/XLeadConnect/XLeadConnect.node';
import { XLeadConnectTrigger } from '../../nodes/XLeadConnectTrigger/XLeadConnectTrigger.node';

export const PACKAGE = 'n8n-nodes-xlead-connect';
export const NODE_TYPE = `${PACKAGE}.xLeadConnect`;
export const TRIGGER_TYPE = `${PACKAGE}.xLeadConnectTrigger`;

const nodeClasses: Record<string, INodeType> = {
	[NODE_TYPE]: new XLeadConnect(),
	[TRIGGER_TYPE]: new XLeadConnectTrigger(),
};

const credentialClasses: Record<string, ICredentialType> = {
	xLeadConnectApi: new XLeadConnectApi(),
};

export class PackageNodeTypes implements INodeTypes {
	getByName(nodeType: string): INodeType {
		const node = nodeClasses[nodeType];
		if (!node) throw new Error(`Unknown node type ${nodeType}`);
		return node;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/**
 * The n8n server's credentials helper lives in its CLI package, not in n8n-core; this one keeps
 * its contract for what the package uses: decrypted data by type, and generic authentication
 * whose expressions are resolved by the workflow's own expression engine, as the server does.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = credentialClasses[typeName];
		const authenticate = type?.authenticate;
		if (authenticate === undefined) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate.type !== 'generic' || !workflow || !node) return requestOptions;

		const resolve = (value: string) =>
			value.startsWith('=')
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', {
						$credentials: credentials,
					})
				: value;
		const authenticated = requestOptions as unknown as Record<string, IDataObject | undefined>;
		for (const [target, entries] of Object.entries(authenticate.properties)) {
			const resolved: IDataObject = { ...authenticated[target] };
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				resolved[String(resolve(key))] = resolve(value) as IDataObject[string];
			}
			authenticated[target] = resolved;
		}
		return requestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string) {
		return new Credentials(nodeCredentials, type, '');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}

function unsupported(name: string) {
	return () => {
		throw new Error(`${name} is not available in these tests`);
	};
}

export function additionalData(
	hooks: ExecutionLifecycleHooks | undefined,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	baseUrl = 'http://127.0.0.1:5678',
): IWorkflowExecuteAdditionalData {
	const data: Partial<IWorkflowExecuteAdditionalData> = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${baseUrl}/rest`,
		instanceBaseUrl: `${baseUrl}/`,
		formBaseUrl: `${baseUrl}/form`,
		formWaitingBaseUrl: `${baseUrl}/form-waiting`,
		formTestBaseUrl: `${baseUrl}/form-test`,
		webhookBaseUrl: `${baseUrl}/webhook`,
		webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
		webhookTestBaseUrl: `${baseUrl}/webhook-test`,
		mcpBaseUrl: `${baseUrl}/mcp`,
		mcpTestBaseUrl: `${baseUrl}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: unsupported('startRunnerTask'),
	};
	return data as IWorkflowExecuteAdditionalData;
}

export interface RunNodeOptions {
	parameters: INodeParameters;
	items?: IDataObject[];
	credentials: { apiKey: string; baseUrl: string };
	/** Node settings as the editor's Settings tab sets them. */
	settings?: Partial<
		Pick<INode, 'continueOnFail' | 'onError' | 'retryOnFail' | 'maxTries' | 'waitBetweenTries'>
	>;
	nodeType?: string;
}

export interface NodeRun {
	/** The node's first output, as the next node would receive it. */
	output: INodeExecutionData[];
	/** The error output, where "On Error: Continue (using error output)" sends failed items. */
	errorOutput: INodeExecutionData[];
	/** The error that stopped the workflow, if one did. */
	error?: ExecutionError;
	run: IRun;
}

export async function runNode(options: RunNodeOptions): Promise<NodeRun> {
	const node: INode = {
		id: 'b4a36f2d-0c4e-4a3a-9a55-1f0d2c1e8a01',
		name: 'X Lead Connect',
		type: options.nodeType ?? NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { xLeadConnectApi: { id: 'cred-1', name: 'X Lead Connect account' } },
		...options.settings,
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new PackageNodeTypes(),
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test-workflow',
		name: 'test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
	});
	const finished = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (run) => resolve(run));
	});

	const items = (options.items ?? [{}]).map((json) => ({ json }));
	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node, data: { main: [items] }, source: null }],
		},
	});

	const execute = new WorkflowExecute(
		additionalData(hooks, { xLeadConnectApi: options.credentials }),
		'manual',
		runExecutionData,
	);
	await execute.processRunExecutionData(workflow);
	const run = await finished;

	const taskData = run.data.resultData.runData[node.name]?.at(-1);
	return {
		output: taskData?.data?.main?.[0] ?? [],
		errorOutput: taskData?.data?.main?.[1] ?? [],
		error: run.data.resultData.error,
		run,
	};
}
