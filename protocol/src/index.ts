export * from './api.ts';
export * from './criteria.ts';
export * from './device.ts';
export * from './messages.ts';
export * from './places.ts';
export * from './realtime.ts';
export * from './topics.ts';
