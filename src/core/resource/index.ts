/** What templates see of resources, revisions and the API router; see templates/README.md. */
export { apiRouterContext } from './api.js';
export { resourceContext } from './context.js';
export { checkReverseLists, enumClass, fieldContext } from './fields.js';
export { migrationContext } from './migration.js';
export { sqlalchemyField } from './sqlalchemy.js';
export { sqlmodelField } from './sqlmodel.js';
export { aerichMigrationContext } from './aerich.js';
export { tortoiseField } from './tortoise.js';
