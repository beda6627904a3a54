import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

import { fail, type Envelope } from './envelope';
import { answerWithFault, HeldRequests, resetConnection } from './faults';
import { pathOf, queryOf } from './request-url';
import { v1Routes } from './routes';
import type { SandboxContext } from './routes/route';
import type { RecordedRequest } from './server';

export const V1_PREFIX = '/v1';

export interface V1Options extends SandboxContext {
	apiKeys: readonly string[];
}

function headersOf(request: FastifyRequest): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

export const v1Plugin: FastifyPluginAsync<V1Options> = async (app, options) => {
	const { store, apiKeys, senderRequiredCountryCodes } = options;
	const context: SandboxContext = { store, senderRequiredCountryCodes };
	const records = new WeakMap<FastifyRequest, RecordedRequest>();
	const methodsByPath = new Map<string, string[]>();
	const resetAfterProcessing = new WeakSet<FastifyRequest>();
	const held = new HeldRequests();

	app.addHook('preClose', async () => held.releaseAll());

	app.addHook('onRequest', async (request) => {
		const record: RecordedRequest = {
			method: request.method,
			path: pathOf(request.url),
			query: queryOf(request.url),
			headers: headersOf(request),
			body: undefined,
			receivedAt: new Date().toISOString(),
		};
		store.requests.push(record);
		records.set(request, record);
	});

	// Every /v1 request, matched or not, passes here once its body is parsed: the place for
	// anything that must act before a route answers.
	async function admit(request: FastifyRequest, reply: FastifyReply) {
		const record = records.get(request);
		if (record) record.body = request.body;

		const fault = store.faults.take(pathOf(request.url));
		if (fault?.type === 'resetAfterProcessing') resetAfterProcessing.add(request);
		else if (fault) return answerWithFault(fault, reply, held);

		const key = request.headers['x-api-key'];
		if (typeof key !== 'string' || !apiKeys.includes(key)) {
			return answer(request, reply.code(401), fail('Invalid API key'));
		}
		return undefined;
	}

	function answer(request: FastifyRequest, reply: FastifyReply, envelope: Envelope) {
		return resetAfterProcessing.has(request) ? resetConnection(reply) : reply.send(envelope);
	}

	for (const route of v1Routes) {
		const fullPath = `${V1_PREFIX}${route.path}`;
		methodsByPath.set(fullPath, [...(methodsByPath.get(fullPath) ?? []), route.method]);
		app.route({
			method: route.method,
			url: route.path,
			preHandler: admit,
			handler: async (request, reply) => {
				const envelope = route.handle({ body: request.body, query: queryOf(request.url) }, context);
				return answer(request, reply, envelope);
			},
		});
	}

	app.setNotFoundHandler({ preHandler: admit }, async (request, reply) => {
		const allowed = methodsByPath.get(pathOf(request.url));
		if (allowed) {
			const allow = allowed.join(', ');
			return answer(request, reply.code(405).header('allow', allow), fail('Method not allowed'));
		}
		return answer(request, reply.code(404), fail('Not found'));
	});

	app.setErrorHandler(async (error: FastifyError, _request, reply) => {
		const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
		return reply.code(status).send(fail(status < 500 ? error.message : 'Internal error'));
	});
};
