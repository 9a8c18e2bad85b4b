/** The worker's workflow entry point: every workflow type this service runs. */
export { complaint } from './complaint';
export { personalDataRetention } from './retention';
