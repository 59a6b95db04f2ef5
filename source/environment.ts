/**
The environment, fixed before anything else loads. memmon's own React must run in production
mode whatever the user's NODE_ENV says (the development reconciler keeps every
performance.measure entry: ~3 KB a frame, forever); the workload memmon spawns must see the
user's environment unchanged. Imported first by the entry.
*/

/** The environment as the user started memmon with it: what a spawned workload gets. */
export const workloadEnvironment: Readonly<NodeJS.ProcessEnv> = {...process.env};

process.env.NODE_ENV = 'production';
