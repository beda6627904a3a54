import type { FastifyPluginAsync, FastifyReply } from 'fastify';

import { parseCallbackOptions } from './callbacks';
import { fail } from './envelope';
import { parseFaults } from './faults';
import type { SandboxStore } from './store';

export const CONTROL_PREFIX = '/__sandbox';

export const controlPlugin: FastifyPluginAsync<{ store: SandboxStore }> = async (
	app,
	{ store },
) => {
	app.get('/requests', async () => store.requests);
	app.get('/state', async () => store.state);
	app.post('/reset', async (_request, reply) => {
		store.reset();
		return reply.code(204).send();
	});
	app.get('/callbacks', async () => store.callbacks.delivered);
	app.put('/callbacks', async (request, reply) =>
		applyOrRefuse(reply, () => store.callbacks.set(parseCallbackOptions(request.body))),
	);
	app.post('/faults', async (request, reply) =>
		applyOrRefuse(reply, () => store.faults.add(parseFaults(request.body))),
	);
};

function applyOrRefuse(reply: FastifyReply, apply: () => void): FastifyReply {
	try {
		apply();
	} catch (error) {
		return reply.code(400).send(fail(error instanceof Error ? error.message : String(error)));
	}
	return reply.code(204).send();
}
