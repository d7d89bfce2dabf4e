export * from './classify.ts';
