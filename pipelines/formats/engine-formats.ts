/** The training engines' export formats: a choice list of its own, so the contract and the renderer can name them. */
export const ENGINE_FORMATS = ['llama-factory', 'trl', 'verl', 'easyr1'] as const;
export type EngineFormat = (typeof ENGINE_FORMATS)[number];
