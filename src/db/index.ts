// The team database (PostgreSQL): connections and versioned schema migrations.
export {displayUrl, inTransaction, withDatabase, type Database} from './connect.ts'
export {assertMigrated, checksum, migrate, type MigrateResult} from './migrate.ts'
export {migrations, type Migration} from './migrations.ts'
