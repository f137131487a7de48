// The team database (PostgreSQL): connections, versioned schema migrations, and sync with the project files.
export {displayUrl, inTransaction, withDatabase, type Database} from './connect.ts'
export {assertMigrated, checksum, migrate, type MigrateResult} from './migrate.ts'
export {migrations, type Migration} from './migrations.ts'
export {exportProject, importProject, type ExportResult, type ImportResult} from './sync.ts'
