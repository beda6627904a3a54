import { ok } from '../envelope';
import type { V1Route } from './route';

export const acctRoutes: V1Route[] = [
	{
		method: 'GET',
		path: '/acct/get-points-balance',
		handle: (_input, { store }) => ok({ points: String(store.state.points) }),
	},
	{
		method: 'GET',
		path: '/acct/get-quota-balance',
		handle: (_input, { store }) =>
			ok({ quota: String(store.state.quota) }, 'Remaining quota for sending emails'),
	},
];
