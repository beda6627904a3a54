import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { Filters } from './callback';
import {
	CHANNEL_QUERY,
	classify,
	passesFilters,
	readCallbacks,
	repeatKey,
	SECRET_HEADER,
	SECRET_QUERY,
	secretMatches,
	secretProblem,
	seenBefore,
} from './callback';

/** How many callbacks the node remembers to recognise repeats; older ones fall out first. */
const REMEMBERED_CALLBACKS = 1000;

interface NodeState {
	callbackUrl?: string;
	seen?: string[];
}

export class XLeadConnectTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'X Lead Connect Trigger',
		name: 'xLeadConnectTrigger',
		icon: { light: 'file:xLeadConnectTrigger.svg', dark: 'file:xLeadConnectTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '=Delivery reports',
		description: 'Starts the workflow when X Lead Connect reports on an SMS, MMS or eDM sent',
		defaults: { name: 'X Lead Connect Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'callback' },
			{ name: 'default', httpMethod: 'GET', responseMode: 'onReceived', path: 'callback' },
		],
		properties: [
			{
				displayName:
					'X Lead Connect has no API to register this URL. Copy the Production URL shown above, add <code>?secret=</code> followed by the Callback Secret below, and paste the result as the callback URL in the X Lead Connect dashboard. Example: <code>https://n8n.example.com/webhook/…/callback?secret=your-secret</code>. Add <code>&channel=sms</code>, <code>mms</code> or <code>edm</code> if the dashboard takes one URL per product.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Callback Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				description:
					'A random text of at least 12 letters and digits that only you and X Lead know. Callbacks without it, in the URL as ?secret= or in an X-XLead-Secret header, are refused and start nothing.',
			},
			{
				displayName: 'Channels',
				name: 'channels',
				type: 'multiOptions',
				options: [
					{ name: 'SMS', value: 'sms' },
					{ name: 'MMS', value: 'mms' },
					{ name: 'eDM', value: 'edm' },
					{
						name: 'Not Known',
						value: 'unknown',
						description: 'Callbacks whose URL and content do not say which channel they are for',
					},
				],
				default: ['sms', 'mms', 'edm', 'unknown'],
				description: 'Which channels start the workflow',
			},
			{
				displayName: 'Reports',
				name: 'reports',
				type: 'options',
				options: [
					{
						name: 'Both',
						value: 'both',
						description: 'Send-request reports, delivery reports, and reports of a kind not known',
					},
					{
						name: 'Send-Request Reports',
						value: 'sendRequest',
						description: 'Whether X Lead accepted the send, or why it refused it',
					},
					{
						name: 'Delivery Reports',
						value: 'delivery',
						description: "The operator's or mail gateway's final status for the recipient",
					},
				],
				default: 'both',
				description: 'Which reports start the workflow',
			},
			{
				displayName: 'Only Failures',
				name: 'onlyFailures',
				type: 'boolean',
				default: false,
				description:
					'Whether to start the workflow only for refused or undelivered messages. Reports with a status this node does not know also start it.',
			},
			{
				displayName: 'Skip Repeated Callbacks',
				name: 'skipRepeats',
				type: 'boolean',
				default: true,
				description:
					'Whether a callback identical to one received before (same ref_id, status and rc) is answered without starting the workflow again',
			},
		],
	};

	// The API has no call to register a callback URL: the user pastes it into the dashboard. These
	// methods only remember which URL this node last told the user to paste.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node') as NodeState;
				return state.callbackUrl === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				// Refuse to go live with a secret that could never arrive intact in the pasted URL.
				const problem = secretProblem(this.getNodeParameter('secret', '') as string);
				if (problem !== undefined) {
					throw new NodeOperationError(this.getNode(), `The field "Callback Secret" ${problem}`, {
						description:
							'Use at least 12 letters and digits (- _ . ~ are fine too), such as a password generator gives.',
					});
				}
				const state = this.getWorkflowStaticData('node') as NodeState;
				state.callbackUrl = this.getNodeWebhookUrl('default');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const state = this.getWorkflowStaticData('node') as NodeState;
				delete state.callbackUrl;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const query = this.getQueryData() as IDataObject;
		const headers = this.getHeaderData();
		const secret = this.getNodeParameter('secret', '') as string;

		if (!secretMatches(secret, query[SECRET_QUERY] ?? headers[SECRET_HEADER])) {
			const response = this.getResponseObject();
			response.status(401).json({ message: 'Unauthorized' });
			return { noWebhookResponse: true };
		}

		const filters: Filters = {
			channels: this.getNodeParameter('channels', []) as string[],
			reports: this.getNodeParameter('reports', 'both') as Filters['reports'],
			onlyFailures: this.getNodeParameter('onlyFailures', false) as boolean,
		};
		const skipRepeats = this.getNodeParameter('skipRepeats', true) as boolean;
		const state = this.getWorkflowStaticData('node') as NodeState;
		const memoryName = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
		const receivedAt = new Date().toISOString();

		const items: INodeExecutionData[] = [];
		for (const payload of readCallbacks(this.getBodyData(), query)) {
			const classified = classify(payload, query[CHANNEL_QUERY]);
			if (!passesFilters(classified, filters)) continue;

			const key = skipRepeats ? repeatKey(payload) : undefined;
			if (key !== undefined && seenBefore(memoryName, key, state, REMEMBERED_CALLBACKS)) continue;

			// The fields X Lead sent come last, so that none of them is overwritten.
			const json: IDataObject = {
				channel: classified.channel,
				report: classified.report,
				outcome: classified.outcome,
				received_at: receivedAt,
				...payload,
			};
			items.push({ json });
		}

		// The node answers by itself, so that every accepted callback gets the same plain 200 OK,
		// in n8n 1.x and 2.x alike, whether or not it starts the workflow.
		this.getResponseObject().status(200).type('text/plain').send('OK');
		if (items.length === 0) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [items] };
	}
}
