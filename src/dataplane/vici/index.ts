/**
 * The VICI client (strongSwan's control protocol), layered like strongSwan's own Python client:
 * packet framing and message codec (pure), the transport (the only socket code), the session (FIFO,
 * streamed commands, event registrations), typed commands, and {@link ViciClient} tying them together.
 */
export { ViciClient, type ViciClientOptions } from './vici-client.js';
export {
  ViciCommands,
  checkSuccess,
  type ControlResult,
  type InitiateInput,
  type ListSasFilter,
  type LoadSharedInput,
  type PolicySelector,
  type TerminateOptions,
  type TerminateResult,
  type TerminateSelector,
  type ViciNamedSection,
  type ViciRequester,
  type ViciVersion,
} from './vici-commands.js';
export {
  ElementType,
  VICI_MAX_NAME_BYTES,
  VICI_MAX_VALUE_BYTES,
  ViciEncodedSection,
  decodeMessage,
  encodeMessage,
  encodeSection,
  type ViciElement,
  type ViciInputElement,
  type ViciMessage,
  type ViciScalarInput,
  type ViciSectionInput,
} from './vici-codec.js';
export {
  ViciCommandError,
  ViciConnectionError,
  ViciDecodeError,
  ViciEncodeError,
  ViciError,
  ViciSessionError,
  ViciTimeoutError,
  ViciUnknownCommandError,
  ViciUnknownEventError,
} from './vici-errors.js';
export { ViciEventStream, formatLogLine, parseLogLine, parseUpdown, type ViciBroadcastEvent, type ViciEvent, type ViciLogLine } from './vici-event-stream.js';
export { PacketType, VICI_MAX_PAYLOAD, type ViciPacket } from './vici-packet.js';
export { ViciSession, type ViciSessionEvents, type ViciSessionOptions } from './vici-session.js';
export {
  DEFAULT_VICI_BACKOFF,
  ViciTransport,
  connectUnixSocket,
  type ViciBackoff,
  type ViciConnectionState,
  type ViciSocket,
  type ViciSocketFactory,
  type ViciTransportOptions,
} from './vici-transport.js';
