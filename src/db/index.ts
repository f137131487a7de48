// The team database (PostgreSQL): connections, versioned schema migrations, and sync with the project files.
export {databaseBundleStore, segmentKey} from './bundle-store.ts'
export {displayUrl, inTransaction, openPool, withDatabase, withTransaction, type Database, type Pool} from './connect.ts'
export {assertMigrated, checksum, migrate, type MigrateResult} from './migrate.ts'
export {migrations, type Migration} from './migrations.ts'
export {exportProject, importProject, type ExportResult, type ImportResult} from './sync.ts'
