/// <reference lib="webworker" />
// Thin comlink shell over the pure engine (src/lib/engine). No math here.
import { expose } from 'comlink';
import { engine } from '../src/lib/engine/index.ts';

export type EngineApi = typeof engine;
expose(engine);
