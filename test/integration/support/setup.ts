// Runs in every integration test file: hands this file's conformance counts to the run's tally.
import { afterAll } from 'vitest';
import { recordConformanceCounts } from './conformance.js';

afterAll(() => recordConformanceCounts());
