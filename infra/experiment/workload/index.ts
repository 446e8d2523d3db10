/** The workload generator and the SWF reader, for the runners and tests. */
export { classFor, generateWorkload, poissonRate, weightedIndex, type GeneratedJob, type Workload, type WorkloadInputs } from './generator.js';
export { parseSwf, readSwf, SWF_FIELDS, type SwfField, type SwfJob, type SwfTrace } from './swf.js';
