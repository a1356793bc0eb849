export { type AppDeps, createApp, createServices, type Services } from './app.ts';
export { type Clock, systemClock } from './clock.ts';
export { type Config, ConfigError, loadConfig } from './config.ts';
export { type Database, openDatabase } from './db/database.ts';
export { migrate } from './db/migrate.ts';
export { reconcile } from './modules/ledger/reconcile.ts';
export { type RunningServer, type StartOptions, start } from './server.ts';
