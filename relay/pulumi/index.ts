export { PulumiScaleRelay } from "./relay";
export { RelayArgsError, INBOUND_SECRET_VARIABLES, type PulumiScaleRelayArgs, type RelayEventBridgeArgs, type AlarmState } from "./args";
export { alarmStateChangePattern, EVENTBRIDGE_API_KEY_HEADER, type AlarmForwarding } from "./eventbridge";
