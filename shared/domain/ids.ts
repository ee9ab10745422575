// Identifiers: UUIDv7, so ids sort by creation time (sort keys of notifications rely on it).
import { v7 } from 'uuid';

export const newId = (): string => v7();
