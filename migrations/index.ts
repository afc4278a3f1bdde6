import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261127000000Initial } from './Migration20261127000000Initial.js';
import { Migration20261127142331Scheduler } from './Migration20261127142331Scheduler.js';
import { Migration20261127150945ProblemItems } from './Migration20261127150945ProblemItems.js';
import { Migration20261127152952ProblemSearch } from './Migration20261127152952ProblemSearch.js';
import { Migration20261128000000ProblemRecords } from './Migration20261128000000ProblemRecords.js';
import { Migration20261128100000Settings } from './Migration20261128100000Settings.js';
import { Migration20261128120000SlackMessages } from './Migration20261128120000SlackMessages.js';
import { Migration20261128140000CatalogSearch } from './Migration20261128140000CatalogSearch.js';
import { Migration20261128150000HealthAlerts } from './Migration20261128150000HealthAlerts.js';
import { Migration20261128200000Operations } from './Migration20261128200000Operations.js';
import { Migration20261128210000Retention } from './Migration20261128210000Retention.js';
import { Migration20261128230000MappingVersion } from './Migration20261128230000MappingVersion.js';

/** Every migration, in order. Listed explicitly so the built package and tsx find the same set. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261127000000Initial', class: Migration20261127000000Initial },
  { name: 'Migration20261127142331Scheduler', class: Migration20261127142331Scheduler },
  { name: 'Migration20261127150945ProblemItems', class: Migration20261127150945ProblemItems },
  { name: 'Migration20261127152952ProblemSearch', class: Migration20261127152952ProblemSearch },
  { name: 'Migration20261128000000ProblemRecords', class: Migration20261128000000ProblemRecords },
  { name: 'Migration20261128100000Settings', class: Migration20261128100000Settings },
  { name: 'Migration20261128120000SlackMessages', class: Migration20261128120000SlackMessages },
  { name: 'Migration20261128140000CatalogSearch', class: Migration20261128140000CatalogSearch },
  { name: 'Migration20261128150000HealthAlerts', class: Migration20261128150000HealthAlerts },
  { name: 'Migration20261128200000Operations', class: Migration20261128200000Operations },
  { name: 'Migration20261128210000Retention', class: Migration20261128210000Retention },
  { name: 'Migration20261128230000MappingVersion', class: Migration20261128230000MappingVersion },
];
