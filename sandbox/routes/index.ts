import { acctRoutes } from './acct';
import { edmRoutes } from './edm';
import { mmsRoutes } from './mms';
import type { V1Route } from './route';
import { smsRoutes } from './sms';

export const v1Routes: V1Route[] = [...smsRoutes, ...mmsRoutes, ...edmRoutes, ...acctRoutes];
