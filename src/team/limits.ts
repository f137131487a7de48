// The team server's sign-in and session limits, apart from the database code
// so that the CLI can name them without loading `pg`.

/** Failed sign-ins of one account within the window that lock it, until a window after the last one. */
export const accountLimit = 5
/** Failed sign-ins from one address within the window that lock the address out. */
export const addressLimit = 20
export const windowMinutes = 15
export const sessionHours = 12
export const invitationDays = 7
/** The team server deletes expired sessions and attempts older than the window this often. */
export const pruneMinutes = 15

/** The page that sets the password of an invitation, under the server's address (the CLI and the admin page alike). */
export function invitationLink(token: string, base: URL | string): string {
  return new URL(`invite/${token}`, base).href
}
