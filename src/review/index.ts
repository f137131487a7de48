// The review app: a local web app over the project's files for translators
// and terminologists.
export {createReviewApp, targetLocales, type ReviewAppOptions} from './server.ts'
export {startReviewServer, minTokenLength, type ReviewServer, type ReviewServerOptions} from './serve.ts'
export {applyAcknowledge, applyEdit, assertSameTags, ApprovalError, ConflictError, type EditContext} from '../workflow/edit.ts'
export {isLoopbackHost, csrfHeader, reviewerHeader, maxBodyBytes} from './security.ts'
export type * from './wire.ts'
