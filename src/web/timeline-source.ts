import type { ControlPlane } from '../control/index.js';
import type { Actor } from '../domain/tenancy.js';

/** One record of a connection's event timeline (issue 11, part 4), newest first. */
export interface TimelineEvent {
  readonly id: string;
  readonly createdAt: string;
  readonly type: string;
  readonly message: string;
  readonly cause?: string;
  readonly details?: Record<string, unknown>;
}

export interface TimelinePage {
  readonly items: readonly TimelineEvent[];
  readonly next?: string;
  readonly total: number;
}

/** What the timeline page needs of the control plane: `control.connections.events`. */
export interface TimelineSource {
  events(actor: Actor, gatewayId: string, connectionId: string, opts: { limit?: number; start?: string }): Promise<TimelinePage>;
}

/** The control plane's event query (connection-events.ts), behind the page's narrow interface. */
export function timelineSource(control: ControlPlane): TimelineSource {
  return control.connections;
}
