import type { Inventory, LogEventSummary, SourceName, SourceState } from '../domain/inventory';
import type { LedgerStream, StreamEvent } from '../domain/ledger';
import type { OktaClient } from './client';
import { AGENT_EVENT_SOURCES, collectAgentEvents } from './collectors/agent-events';
import { AGENT_POOL_SOURCES, collectAgentPools } from './collectors/agent-pools';
import { API_TOKEN_EVENT_SOURCES, creationsByToken, readApiTokenCreationEvents } from './collectors/api-token-events';
import { readApiTokenUsageEvents, usageByToken } from './collectors/api-token-usage';
import { API_TOKEN_SOURCES, collectApiTokens } from './collectors/api-tokens';
import { APP_SOURCES, listProvisioningApps, readProvisioning } from './collectors/apps';
import { collectNetworkZones, NETWORK_ZONE_SOURCES } from './collectors/network-zones';
import {
  lastAuthorizationPerApp,
  PROVISIONING_EVENT_SOURCES,
  readProvisioningEvents,
} from './collectors/provisioning-events';
import {
  readWorkflowsEvents,
  replayWorkflowsConnections,
  WORKFLOWS_EVENT_SOURCES,
} from './collectors/workflows-connections';
import { readWorkflowsUsageEvents, withWorkflowsUsage, workflowsUsageByActor } from './collectors/workflows-usage';
import type { LogWindow } from './system-log';

// The table of what a scan reads before the owners: one entry per collector, in the order the
// reads start (the first runs alone while the credentials are probed).

/**
 * What the readers fill in: the inventory, the agent events the owners phase needs, and the raw
 * log events of each stream (what the ledger keeps).
 */
export interface Collected {
  inventory: Inventory;
  agentEvents: LogEventSummary[];
  logEvents: { [S in LedgerStream]?: StreamEvent<S>[] };
}

export interface SourceReader {
  /** The source read first, then any read through it (they need its answer). */
  sources: readonly SourceName[];
  label: string;
  /** Reads the first source into `collected`; returns the progress line. */
  read(client: OktaClient, collected: Collected, window: LogWindow): Promise<string>;
  /** Reads the second source from what the first read, when that one is wanted. */
  readNext?(client: OktaClient, collected: Collected, window: LogWindow): Promise<{ state: SourceState; line: string }>;
}

export const SOURCE_READERS: readonly SourceReader[] = [
  {
    sources: API_TOKEN_SOURCES,
    label: 'API tokens',
    read: async (client, { inventory }) => {
      inventory.apiTokens = await collectApiTokens(client);
      return `Read ${inventory.apiTokens.length} API tokens`;
    },
    // Usage is read from the ledger's cursor (the ledger keeps the rest of the window), else over the window.
    readNext: async (client, { inventory, logEvents }, window) => {
      logEvents.apiTokenUsage = await readApiTokenUsageEvents(client, inventory.apiTokens, window);
      inventory.apiTokenUsage = usageByToken(logEvents.apiTokenUsage);
      const used = Object.keys(inventory.apiTokenUsage).length;
      return {
        state: { status: 'complete' },
        line: `Read the System Log activity of ${inventory.apiTokens.length} API tokens (${used} made logged changes)`,
      };
    },
  },
  {
    sources: NETWORK_ZONE_SOURCES,
    label: 'network zones',
    read: async (client, { inventory }) => {
      inventory.networkZones = await collectNetworkZones(client);
      return `Read ${inventory.networkZones.length} network zones`;
    },
  },
  {
    sources: AGENT_POOL_SOURCES,
    label: 'AD agent pools',
    read: async (client, { inventory }) => {
      inventory.agentPools = await collectAgentPools(client);
      const agents = inventory.agentPools.reduce((n, p) => n + p.agents.length, 0);
      return `Read ${inventory.agentPools.length} AD agent pools (${agents} agents)`;
    },
  },
  {
    sources: APP_SOURCES,
    label: 'apps',
    read: async (client, { inventory }) => {
      inventory.provisioningApps = await listProvisioningApps(client);
      return `Found ${inventory.provisioningApps.length} active apps that push users or are Org2Org`;
    },
    readNext: async (client, { inventory }) => ({
      state: await readProvisioning(client, inventory.provisioningApps),
      line: 'Read provisioning connections, features and app users in error',
    }),
  },
  {
    sources: WORKFLOWS_EVENT_SOURCES,
    label: 'Workflows connection events',
    read: async (client, collected, window) => {
      const { inventory, logEvents } = collected;
      const [events, usageEvents] = await Promise.all([
        readWorkflowsEvents(client, window),
        readWorkflowsUsageEvents(client, window),
      ]);
      logEvents.workflows = events;
      logEvents.workflowsUsage = usageEvents;
      const usage = workflowsUsageByActor(usageEvents);
      const connections = replayWorkflowsConnections(events);
      inventory.workflowsConnections = withWorkflowsUsage(connections.live, usage);
      inventory.endedWorkflowsConnections = connections.ended;
      return `Found ${inventory.workflowsConnections.length} live Workflows connections in the System Log (${usage.size} accounts Workflows acted as)`;
    },
  },
  {
    sources: PROVISIONING_EVENT_SOURCES,
    label: 'provisioning events',
    read: async (client, { inventory, logEvents }, window) => {
      const events = await readProvisioningEvents(client, window);
      logEvents.provisioningAuthFailures = events.authFailures;
      logEvents.deactivationPushFailures = events.deactivationFailures;
      logEvents.provisioningAuthorizations = events.updates;
      inventory.provisioningAuthFailures = events.authFailures;
      inventory.deactivationPushFailures = events.deactivationFailures;
      inventory.provisioningAuthorizations = lastAuthorizationPerApp(events.updates);
      return 'Read provisioning events from the System Log';
    },
  },
  {
    sources: AGENT_EVENT_SOURCES,
    label: 'agent registration events',
    read: async (client, collected, window) => {
      collected.agentEvents = await collectAgentEvents(client, window);
      collected.logEvents.agentRegistrations = collected.agentEvents;
      return `Read ${collected.agentEvents.length} agent registration events`;
    },
  },
  {
    sources: API_TOKEN_EVENT_SOURCES,
    label: 'API token events',
    read: async (client, { inventory, logEvents }, window) => {
      logEvents.apiTokenCreations = await readApiTokenCreationEvents(client, window);
      inventory.apiTokenCreations = creationsByToken(logEvents.apiTokenCreations);
      return `Read ${Object.keys(inventory.apiTokenCreations).length} API token creation events`;
    },
  },
];
