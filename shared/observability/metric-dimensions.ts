// The dimensions our metrics carry (besides Powertools' `service`).
export const metricDimensions = {
  /** the change-feed projector, e.g. `changeLog` */
  projector: 'projector',
  /** the route's operation id, e.g. `createLoan` */
  operation: 'operation',
} as const;
