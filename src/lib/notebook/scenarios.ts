/**
 * The scenario library: every scenarios/*.json bundled at build time and validated with the same schema as
 * share links (src/lib/scenario/schema.ts). Invalid files are listed with their problems, not hidden.
 */
import { validateScenario, type Scenario } from '../scenario/schema.ts';

const files = import.meta.glob('../../../scenarios/*.json', { eager: true, import: 'default' });

export interface LibraryEntry {
  id: string;
  scenario: Scenario;
  errors: string[];
}

/** Validated scenarios, sorted by id. */
export const LIBRARY: LibraryEntry[] = Object.values(files)
  .map((json) => {
    const { scenario, errors } = validateScenario(json);
    return { id: scenario.id, scenario, errors };
  })
  .sort((a, b) => a.id.localeCompare(b.id));

/** The scenario with this id, if bundled. */
export function findScenario(id: string): Scenario | undefined {
  return LIBRARY.find((e) => e.id === id)?.scenario;
}
