// The persisted shape of global tables (version 2019.11.21): its own document, apart from tables.
import type { Item } from '../attribute-value.js';

export type ReplicaStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

export interface ReplicaState {
  status: ReplicaStatus;
  /** Cloud ms the current status began. */
  since: number;
  /** Cloud ms a CREATING or DELETING replica finishes. */
  until?: number;
}

/** One replicated write on its way from one region to another. */
export interface PendingWrite {
  /** Canonical key string of the item (keys.ts). */
  key: string;
  keys: Item;
  /** The item after the write; null for a delete. */
  image: Item | null;
  /** Last-writer-wins order: a cloud-wide counter, so a later write always has a higher version. */
  version: number;
  /** Cloud ms of the write in its own region. */
  writtenAt: number;
  /** Cloud ms from which it may be delivered (write time + lag). */
  dueAt: number;
}

export interface GlobalTableState {
  name: string;
  /** Region the global table was created from (where UpdateTable first added a replica). */
  home: string;
  consistency: 'EVENTUAL' | 'STRONG';
  createdAt: number;
  replicas: Record<string, ReplicaState>;
  /** MRSC witness region (holds no data). */
  witness?: { region: string; status: ReplicaStatus; since: number; until?: number };
  /** Region → item key → version of the item (or tombstone) that region holds. */
  versions: Record<string, Record<string, number>>;
  /** "from>to" → writes not yet delivered, oldest first. */
  queues: Record<string, PendingWrite[]>;
}

export interface GlobalTablesState {
  counter: number;
  /** Table name → global table (a name is one global table across its replica regions). */
  tables: Record<string, GlobalTableState>;
}
