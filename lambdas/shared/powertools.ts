/** The one Logger every handler uses (structured JSON, service name from POWERTOOLS_SERVICE_NAME). */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tessera' });
