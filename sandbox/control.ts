import type { FastifyPluginAsync } from 'fastify';

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
};
