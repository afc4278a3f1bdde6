import type { DomainType } from '../../domain/domain-types.js';
import type { Logger } from '../ports.js';

export interface FetchRequest {
  domainType: DomainType;
  /** Where the previous successful run stopped; null → full fetch. */
  cursor: string | null;
  signal: AbortSignal;
  log: Logger;
}

export interface SourcePage {
  /** Raw records as the source sent them; validated by the domain-type handler. */
  records: unknown[];
  /** The cursor to resume from once this page (and all before it) is committed. */
  cursor: string | null;
  /** Names the page in messages, e.g. "page 3" or "stock-2026-11-27.csv". */
  label: string;
  /** Where each record came from, when the source can say (e.g. "stock.csv line 17"). */
  refs?: string[];
}

/** One external platform. fetch() streams pages so memory stays flat however many records there are. */
export interface Connector {
  fetch(request: FetchRequest): AsyncIterable<SourcePage>;
}

export interface ConnectorDefinition {
  type: string;
  domains: readonly DomainType[];
  /** Validates config + credentials at `integrations apply`; returns a message per problem. */
  validate(config: Record<string, unknown>, credentials: Record<string, string>): string[];
  create(config: Record<string, unknown>, credentials: Record<string, string>): Connector;
}

export class ConnectorRegistry {
  private readonly definitions = new Map<string, ConnectorDefinition>();

  constructor(definitions: ConnectorDefinition[]) {
    for (const definition of definitions) this.definitions.set(definition.type, definition);
  }

  get(type: string): ConnectorDefinition | undefined {
    return this.definitions.get(type);
  }

  types(): string[] {
    return [...this.definitions.keys()];
  }
}
