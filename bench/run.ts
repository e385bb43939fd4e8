/**
 * Benchmarks of issue 7, each against a baseline measured in the same run:
 *
 *   npm run bench -- <ocr|searchable|search|search-nodes|upload|scaleout|footprint|replica> [options]
 *
 * Each scenario prints a table and writes bench/results/<scenario>.json; docs/benchmarks.md
 * explains them and holds the latest figures.
 */
import 'reflect-metadata';
import { footprintScenario } from './scenarios/footprint';
import { ocrScenario } from './scenarios/ocr';
import { replicaScenario } from './scenarios/replica';
import { scaleOutScenario } from './scenarios/scale-out';
import { searchScenario } from './scenarios/search';
import { searchNodesScenario } from './scenarios/search-nodes';
import { searchableScenario } from './scenarios/searchable';
import { uploadScenario } from './scenarios/upload';

const SCENARIOS: Record<string, () => Promise<void>> = {
  ocr: ocrScenario,
  searchable: searchableScenario,
  search: searchScenario,
  'search-nodes': searchNodesScenario,
  upload: uploadScenario,
  scaleout: scaleOutScenario,
  footprint: footprintScenario,
  replica: replicaScenario,
};

async function main(): Promise<void> {
  const name = process.argv[2];
  const scenario = name ? SCENARIOS[name] : undefined;
  if (!scenario) {
    console.error(`usage: npm run bench -- <${Object.keys(SCENARIOS).join('|')}> [options]`);
    process.exit(2);
  }
  await scenario();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
