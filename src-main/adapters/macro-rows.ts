// The stored form of a macro series' description, read back through its schema (shared by the SQLite and Postgres stores).
import { MacroSeriesInfo } from '../../src-shared/api/macro';
import { storedJson } from './store-rows';

export const storedMacroInfo = (value: unknown) => storedJson(MacroSeriesInfo, value, 'macro_series.info');
