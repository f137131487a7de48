// Engine names, apart from the registry so that the CLI can list them without
// loading any engine (start-up time: see `npm run bench -- startup`).
export const engineNames = ['apertium', 'deepl', 'pseudo'] as const
export type EngineName = (typeof engineNames)[number]
