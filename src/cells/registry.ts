// The cell registry: kind -> body component. Inputs and parameters of each kind are declared in
// src/lib/notebook/kinds.ts; each body creates its Model (src/cells/<kind>/Model.svelte.ts), which binds
// the kind's compute(inputs, signal) to the cell's Computed.
import type { Component } from 'svelte';
import type { CellKind } from '../lib/notebook/kinds.ts';
import type { Cell, Notebook } from '../lib/notebook/notebook.svelte.ts';
import Note from './note/Component.svelte';
import Data from './data/Component.svelte';
import Cohorts from './cohorts/Component.svelte';
import Retention from './retention/Component.svelte';
import Purchase from './purchase/Component.svelte';
import Spend from './spend/Component.svelte';
import Forecast from './forecast/Component.svelte';
import WhatIf from './whatif/Component.svelte';
import Compare from './compare/Component.svelte';
import Sensitivity from './sensitivity/Component.svelte';

export type CellBody = Component<{ cell: Cell; nb: Notebook }>;

export const CELL_COMPONENTS: Record<CellKind, CellBody> = {
  note: Note,
  data: Data,
  cohorts: Cohorts,
  retention: Retention,
  purchase: Purchase,
  spend: Spend,
  forecast: Forecast,
  whatif: WhatIf,
  compare: Compare,
  sensitivity: Sensitivity,
};
