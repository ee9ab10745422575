// The SES client, built once per container.
import { SESClient } from '@aws-sdk/client-ses';
import { config } from '../config.js';
import { clientOptions } from './client-options.js';

export const ses = new SESClient(clientOptions(config.endpoints.ses));
