// The shape every route handler and server action takes: who is signed in, the rate limit, the
// input validated, and the one error body. Route handlers, receivers and actions use it.
export { formAction, userAction, type ActionRefusal } from "./user-action";
export { withUser } from "./with-user";
export { type ConnectedAccountErrorCode } from "./error-codes";
export {
  answeringDatabaseOutages,
  errorResponse,
  headNotAllowed,
  jsonResponse,
  NO_STORE,
  rateLimitedResponse,
} from "./responses";
