import { DefaultLogger, Runtime } from '@temporalio/worker';

// Keep the SDK's own logs to warnings and errors, so test output shows what matters.
Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
