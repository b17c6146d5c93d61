/**
 * `client_payload.source` (or the workflow_dispatch `source` input) of a schedule tick: a run
 * that does exactly what a `schedule` event run does. Shared by the action and the relay's timer.
 */
export const SCHEDULE_SOURCE = "schedule";
