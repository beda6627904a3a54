import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { Filters } from './callback';
import {
	CHANNEL_QUERY,
	classify,
	passesFilters,
	repeatKey,
	SECRET_HEADER,
	SECRET_QUERY,
	secretMatches,
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
					'A long random text only you and X Lead know. Callbacks without it, in the URL as ?secret= or in an X-XLead-Secret header, are refused and start nothing.',
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

		const body = this.getBodyData();
		const source = Object.keys(body ?? {}).length > 0 ? body : query;
		const payload: IDataObject = { ...source };
		delete payload[SECRET_QUERY];
		if (source === query) delete payload[CHANNEL_QUERY];

		const classified = classify(payload, query[CHANNEL_QUERY]);
		const filters: Filters = {
			channels: this.getNodeParameter('channels', []) as string[],
			reports: this.getNodeParameter('reports', 'both') as Filters['reports'],
			onlyFailures: this.getNodeParameter('onlyFailures', false) as boolean,
		};
		if (!passesFilters(classified, filters)) return { webhookResponse: 'OK' };

		if (this.getNodeParameter('skipRepeats', true) as boolean) {
			const key = repeatKey(payload);
			const state = this.getWorkflowStaticData('node') as NodeState;
			const seen = state.seen ?? [];
			if (key !== undefined && seen.includes(key)) return { webhookResponse: 'OK' };
			if (key !== undefined) state.seen = [...seen, key].slice(-REMEMBERED_CALLBACKS);
		}

		// The fields X Lead sent come first and are never overwritten by what the node adds.
		const json: IDataObject = {
			channel: classified.channel,
			report: classified.report,
			outcome: classified.outcome,
			received_at: new Date().toISOString(),
			...payload,
		};
		return { workflowData: [[{ json }]], webhookResponse: 'OK' };
	}
}
