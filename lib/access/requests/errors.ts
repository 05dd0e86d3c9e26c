/**
 * Every refusal of the access-request flow, as one typed error: a code the API maps to its HTTP
 * status and the CLI to an exit code, and a message that says what was wrong and how to fix it.
 * Nothing is granted when one is thrown.
 */
export const ACCESS_REQUEST_ERRORS = {
  UnknownProduct: 404,
  RequestNotFound: 404,
  UnknownColumn: 400,
  UnknownTable: 400,
  UnknownClassification: 400,
  ClassAboveApprovers: 400,
  InvalidScope: 400,
  InvalidDuration: 400,
  DurationOutOfBounds: 400,
  InvalidRowFilter: 400,
  InvalidReason: 400,
  InvalidIdentity: 403,
  NotAnApprover: 403,
  SelfApproval: 403,
  NotAllowed: 403,
  AlreadyApproved: 409,
  StaleDecision: 409,
  RequestExpired: 409,
  InvalidTransition: 409,
} as const;

export type AccessRequestErrorCode = keyof typeof ACCESS_REQUEST_ERRORS;

export class AccessRequestError extends Error {
  constructor(
    readonly code: AccessRequestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AccessRequestError';
  }

  /** The HTTP status the API answers with. */
  get status(): number {
    return ACCESS_REQUEST_ERRORS[this.code];
  }
}

export function refuse(code: AccessRequestErrorCode, message: string): never {
  throw new AccessRequestError(code, message);
}
