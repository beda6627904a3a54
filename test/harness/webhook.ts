/**
 * Serves the trigger's webhook over real HTTP the way n8n's webhook server does: express parses
 * the body, n8n-core's WebhookContext hands it to the node's webhook method, and the node's
 * answer decides whether a workflow starts. Static data persists between calls, as n8n saves it
 * after each production webhook call.
 */
import type { Server } from 'node:http';

import express from 'express';
import { HookContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	IHttpRequestMethods,
	INode,
	INodeExecutionData,
	INodeParameters,
	IWebhookData,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { additionalData, PackageNodeTypes, TRIGGER_TYPE } from './n8n';

export const WEBHOOK_ID = '5f0c7a3e-2b1d-4c8e-9a6f-0d3b2e1c4a59';

let harnesses = 0;

export interface WebhookCall {
	status: number;
	/** The items the trigger emitted, that is, the workflow execution it started. */
	started?: INodeExecutionData[];
}

export interface WebhookHarness {
	/** The production URL n8n would show: base/webhook/<id>/callback */
	url: string;
	calls: WebhookCall[];
	/** The workflow runs the trigger started, in order. */
	executions: () => INodeExecutionData[][];
	staticData: () => IDataObject;
	/** Empties the saved static data, as if n8n had not saved it yet. */
	forgetStaticData: () => void;
	lifecycle: (method: 'checkExists' | 'create' | 'delete') => Promise<boolean>;
	close: () => Promise<void>;
}

export async function startWebhook(parameters: INodeParameters): Promise<WebhookHarness> {
	const nodeTypes = new PackageNodeTypes();
	const trigger = nodeTypes.getByName(TRIGGER_TYPE);
	const node: INode = {
		id: '8d5b6f0e-3c2a-4e1b-9f7d-6a4c2b0e1d38',
		name: 'X Lead Connect Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		webhookId: WEBHOOK_ID,
	};
	const staticData: IDataObject = {};
	const calls: WebhookCall[] = [];
	// Every harness is a workflow of its own, as every n8n workflow has its own id.
	const workflowId = `callback-workflow-${++harnesses}`;

	const app = express();
	app.use(express.json());
	app.use(express.urlencoded({ extended: true }));

	let baseUrl = '';
	const workflowFor = () =>
		new Workflow({
			id: workflowId,
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData,
		});

	const webhookData = (workflow: Workflow, method: IHttpRequestMethods): IWebhookData => {
		const description = trigger.description.webhooks?.find(
			(webhook) => webhook.httpMethod === method,
		);
		if (!description) throw new Error(`The trigger has no ${method} webhook`);
		return {
			httpMethod: method,
			node: node.name,
			path: `${WEBHOOK_ID}/${description.path}`,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData(undefined, {}, baseUrl),
			webhookId: WEBHOOK_ID,
		};
	};

	app.all(`/webhook/${WEBHOOK_ID}/callback`, async (request, response) => {
		const method = request.method as IHttpRequestMethods;
		const workflow = workflowFor();
		const data = additionalData(undefined, {}, baseUrl);
		data.httpRequest = request;
		data.httpResponse = response;
		let hookData: IWebhookData;
		try {
			hookData = webhookData(workflow, method);
		} catch {
			response.status(404).json({ message: 'not registered' });
			return;
		}
		const context = new WebhookContext(workflow, node, data, 'webhook', hookData, [], null);
		const result = await trigger.webhook!.call(context);
		const started = result.workflowData?.[0];
		if (!result.noWebhookResponse) {
			response.status(200).send(result.webhookResponse ?? { message: 'Workflow was started' });
		}
		calls.push({ status: response.statusCode, started });
	});

	const server = await new Promise<Server>((resolve) => {
		const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
	});
	const address = server.address();
	if (address === null || typeof address === 'string') throw new Error('No TCP address');
	baseUrl = `http://127.0.0.1:${address.port}`;

	return {
		url: `${baseUrl}/webhook/${WEBHOOK_ID}/callback`,
		calls,
		executions: () => calls.flatMap((call) => (call.started ? [call.started] : [])),
		staticData: () => staticData,
		forgetStaticData: () => {
			for (const key of Object.keys(staticData)) delete staticData[key];
		},
		lifecycle: async (method) => {
			const workflow = workflowFor();
			const activation: WorkflowActivateMode = 'activate';
			const context = new HookContext(
				workflow,
				node,
				additionalData(undefined, {}, baseUrl),
				'trigger',
				activation,
				webhookData(workflow, 'POST'),
			);
			const lifecycleMethod = trigger.webhookMethods?.default?.[method];
			if (!lifecycleMethod) throw new Error(`The trigger has no ${method} method`);
			return await lifecycleMethod.call(context);
		},
		close: async () => {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
