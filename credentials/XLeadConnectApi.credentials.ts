import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class XLeadConnectApi implements ICredentialType {
	name = 'xLeadConnectApi';

	displayName = 'X Lead Connect API';

	icon: Icon = { light: 'file:xLeadConnect.svg', dark: 'file:xLeadConnect.dark.svg' };

	documentationUrl = 'https://github.com/xlead-connect/n8n-nodes-xlead-connect#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The API key from the API Key Integration page of the X Lead Connect portal',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://api.connect.xleadfunnel.com',
			description:
				'Leave as it is to use X Lead Connect. Change it only to try workflows against the sandbox (for example http://127.0.0.1:4010) or to go through a proxy.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	// n8n fails the test on any non-2xx answer (a refused key). The API also answers HTTP 200 when
	// it refuses a request, so the rules read `rc` as well; an answer without `rc` is not this API.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.trim().replace(/\\/+$/, "")}}',
			url: '/v1/acct/get-points-balance',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'rc',
					value: -100,
					message:
						'X Lead Connect refused the request (rc -100). Check the API key and the account.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'rc',
					value: -200,
					message:
						'X Lead Connect refused the request (rc -200). Check the API key and the account.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'rc',
					value: -300,
					message:
						'X Lead Connect refused the request (rc -300). Check the API key and the account.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'rc',
					value: undefined,
					message:
						'This Base URL answered, but not like X Lead Connect. Check the Base URL (normally https://api.connect.xleadfunnel.com).',
				},
			},
		],
	};
}
