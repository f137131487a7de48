// Team mode: roles and permissions, password hashing, the user store.
export {actions, can, isLocaleBound, roles, type Action, type ActionContext, type Actor, type Role} from './permissions.ts'
export {hashPassword, minPasswordLength, verifyPassword} from './password.ts'
export {addUser, disableUser, enableUser, inviteUser, listUsers, revokeInvitation, setUserRole, type User, type UserState} from './users.ts'
