export * from './alert-channels.ts';
export * from './alerts.ts';
export * from './api.ts';
export * from './device.ts';
export * from './messages.ts';
export * from './places.ts';
export * from './realtime.ts';
export * from './topics.ts';
