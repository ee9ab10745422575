// Every error code the API answers, with its kind, in one table. The wrapper (shared/http) turns a
// kind into its HTTP status and the OpenAPI generator lists, per route and status, the codes a
// client can meet: both read this table, so the document cannot drift from what is answered.
// A domain that adds an error adds its code here first; `defineError` accepts only these codes.

/** Error kinds and the HTTP status each answers with. */
export const errorKinds = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  gone: 410,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid: 422,
  too_many_requests: 429,
  headers_too_large: 431,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorKind = keyof typeof errorKinds;

/**
 * The codes of each kind. Route bundles carry this list (grouped by kind, each kind is written
 * once: ~1 KB less than a code → kind map on every route); the descriptions below only the
 * OpenAPI generator.
 */
const codesOfKind = {
  bad_request: ['MALFORMED_JSON', 'BODY_REQUIRED', 'MALFORMED_PATH', 'MALFORMED_REQUEST'],
  unauthenticated: ['UNAUTHENTICATED', 'USER_DEACTIVATED', 'INVALID_CREDENTIALS', 'INVALID_REFRESH_TOKEN'],
  forbidden: ['SUPERUSER_REQUIRED', 'WORKSPACE_ACCESS_DENIED', 'ROLE_TOO_LOW', 'OWNER_REQUIRED', 'BORROWER_LINK_EXPIRED'],
  not_found: ['ROUTE_NOT_FOUND', 'NOT_FOUND', 'USER_NOT_FOUND', 'FAVORITE_TARGET_NOT_FOUND', 'SHORT_CODE_NOT_FOUND', 'BORROWER_LINK_INVALID'],
  method_not_allowed: ['METHOD_NOT_ALLOWED'],
  request_timeout: ['REQUEST_TIMEOUT'],
  conflict: [
    'EMAIL_TAKEN', 'CANNOT_DEACTIVATE_SELF', 'SLUG_TAKEN', 'PERSONAL_WORKSPACE', 'ALREADY_A_MEMBER',
    'CANNOT_CHANGE_OWN_ROLE', 'LAST_OWNER', 'SHORT_CODE_TAKEN', 'COMPANY_NAME_TAKEN', 'LABEL_NAME_TAKEN',
    'CATEGORY_HAS_CHILDREN', 'LOCATION_HAS_CHILDREN', 'LOCATION_HAS_CONTAINERS', 'ITEM_SKU_TAKEN',
    'LOCATION_HAS_INVENTORY', 'CONTAINER_HAS_INVENTORY', 'INVENTORY_ARCHIVED', 'LOAN_QUANTITY_EXCEEDS_AVAILABLE',
    'LOAN_ALREADY_RETURNED', 'INVENTORY_NOT_LENDABLE', 'BORROWER_ARCHIVED', 'BORROWER_HAS_ACTIVE_LOANS', 'QUANTITY_BELOW_ON_LOAN',
    'INVENTORY_HAS_ACTIVE_LOANS', 'STORAGE_QUOTA_EXCEEDED', 'TOO_MANY_ATTACHMENTS', 'ATTACHMENT_NOT_READY',
    'IDEMPOTENCY_IN_PROGRESS', 'BACKUP_NOT_READY',
  ],
  gone: ['ENTITY_DELETED'],
  precondition_failed: ['VERSION_CONFLICT'],
  payload_too_large: ['PAYLOAD_TOO_LARGE'],
  unsupported_media_type: ['UNSUPPORTED_MEDIA_TYPE'],
  invalid: [
    'VALIDATION_FAILED', 'INVALID_CURSOR', 'INVALID_IF_MATCH', 'RESET_TOKEN_INVALID',
    'CURRENT_PASSWORD_INCORRECT', 'REFERENCE_NOT_FOUND', 'TREE_CYCLE', 'TREE_TOO_DEEP',
    'CONTAINER_NOT_AT_LOCATION', 'MOVE_QUANTITY_EXCEEDS_ROW', 'DUE_DATE_BEFORE_LOAN', 'IDEMPOTENCY_KEY_REUSED',
    'IMPORT_UNREADABLE', 'IMPORT_TOO_MANY_ROWS',
  ],
  too_many_requests: ['TOO_MANY_ATTEMPTS'],
  headers_too_large: ['HEADERS_TOO_LARGE'],
  internal: ['INTERNAL_ERROR'],
  unavailable: ['NOT_READY', 'RESOURCE_BUSY'],
} as const satisfies Record<ErrorKind, readonly string[]>;

export type ErrorCode = (typeof codesOfKind)[ErrorKind][number];

/** code → kind */
export const errorCodes = Object.fromEntries(
  Object.entries(codesOfKind).flatMap(([kind, codes]) => codes.map((code) => [code, kind])),
) as Record<ErrorCode, ErrorKind>;

/** When a client meets each code (shown in the OpenAPI document). */
export const errorDescriptions: Record<ErrorCode, string> = {
  // the request itself
  MALFORMED_JSON: 'The body is not valid JSON.',
  BODY_REQUIRED: 'The route needs a body and none was sent.',
  MALFORMED_PATH: 'The path has a malformed %-escape, a dot segment or an empty segment.',
  MALFORMED_REQUEST: 'The request is not valid HTTP (answered by the gateway).',
  REQUEST_TIMEOUT: 'The request did not arrive in time (answered by the gateway).',
  HEADERS_TOO_LARGE: 'The request line and headers exceed 10,240 bytes (answered by the gateway).',
  PAYLOAD_TOO_LARGE: 'The body is larger than the limit.',
  UNSUPPORTED_MEDIA_TYPE: 'The body is not of a media type the route accepts.',
  VALIDATION_FAILED: 'The input did not match the schema; `errors[]` says where and why.',
  INVALID_CURSOR: 'The cursor is not one this list gave out.',
  INVALID_IF_MATCH: 'If-Match is neither a version nor an ETag of this API.',
  VERSION_CONFLICT: 'If-Match named a version the resource no longer has.',
  ROUTE_NOT_FOUND: 'No route has this path.',
  METHOD_NOT_ALLOWED: 'The path exists, but not with this method.',
  INTERNAL_ERROR: 'An unexpected error, logged with the request id.',
  NOT_READY: 'A dependency did not answer.',
  RESOURCE_BUSY: 'Other changes to the same resource kept winning; Retry-After says when to try again.',
  NOT_FOUND: 'The resource does not exist here.',
  // identity
  UNAUTHENTICATED: 'No valid access token (missing, expired, forged or signed out).',
  USER_DEACTIVATED: 'The account is deactivated.',
  INVALID_CREDENTIALS: 'Unknown email, wrong password or deactivated account (one answer for all three).',
  INVALID_REFRESH_TOKEN: 'The refresh token is unknown, spent, revoked or expired.',
  TOO_MANY_ATTEMPTS: 'Too many attempts; Retry-After says when to try again.',
  EMAIL_TAKEN: 'An account with this email exists.',
  RESET_TOKEN_INVALID: 'The reset token is invalid, used or expired.',
  CURRENT_PASSWORD_INCORRECT: 'The current password is not correct.',
  SUPERUSER_REQUIRED: 'Only a superuser may do this.',
  CANNOT_DEACTIVATE_SELF: 'Nobody deactivates their own account.',
  USER_NOT_FOUND: 'No active user matches that user_id or email.',
  // workspaces and members
  WORKSPACE_ACCESS_DENIED: 'Not a member of this workspace (or no such workspace).',
  ROLE_TOO_LOW: 'The caller\'s role in the workspace does not allow this.',
  OWNER_REQUIRED: 'Only an owner may make, change or remove an owner.',
  SLUG_TAKEN: 'Another workspace uses this slug.',
  PERSONAL_WORKSPACE: 'A personal workspace cannot be deleted.',
  ALREADY_A_MEMBER: 'The user is a member already.',
  CANNOT_CHANGE_OWN_ROLE: 'Nobody changes their own role.',
  LAST_OWNER: 'A workspace keeps at least one owner.',
  REFERENCE_NOT_FOUND: 'A field names an entity (a parent, a location) that does not exist in this workspace; `errors[]` says which.',
  TREE_CYCLE: 'The new parent is the entity itself or one of its descendants.',
  TREE_TOO_DEEP: 'The new place is deeper than a tree may grow (20 levels).',
  SHORT_CODE_TAKEN: 'Another location, container or item of the workspace has this short code.',
  COMPANY_NAME_TAKEN: 'Another company of the workspace (archived ones included) has this name.',
  LABEL_NAME_TAKEN: 'Another label of the workspace (archived ones included) has this name.',
  CATEGORY_HAS_CHILDREN: 'The category has child categories (archived ones included); move or delete them first.',
  LOCATION_HAS_CHILDREN: 'The location has child locations (archived ones included); move or delete them first.',
  LOCATION_HAS_CONTAINERS: 'Containers are at the location (archived ones included); move or delete them first.',
  FAVORITE_TARGET_NOT_FOUND: 'The thing to mark as a favorite does not exist in this workspace.',
  SHORT_CODE_NOT_FOUND: 'No location, container or item of this workspace has this short code.',
  ITEM_SKU_TAKEN: 'Another item of the workspace (archived ones included) has this SKU (compared without case).',
  LOCATION_HAS_INVENTORY: 'Inventory rows are at the location (archived ones included); move them first.',
  CONTAINER_HAS_INVENTORY: 'Inventory rows are in the container (archived ones included); move them first.',
  CONTAINER_NOT_AT_LOCATION: 'The container is not at the location given.',
  MOVE_QUANTITY_EXCEEDS_ROW: 'A move of more than the row holds.',
  INVENTORY_ARCHIVED: 'The inventory row is archived; restore it first.',
  LOAN_QUANTITY_EXCEEDS_AVAILABLE: 'More than the row has left to lend (its quantity minus what is out on other loans).',
  LOAN_ALREADY_RETURNED: 'The loan was returned already.',
  INVENTORY_NOT_LENDABLE: 'The inventory row is archived, disposed of or missing: nothing of it can be lent.',
  BORROWER_ARCHIVED: 'The borrower is archived; restore them first.',
  BORROWER_HAS_ACTIVE_LOANS: 'The borrower has loans not yet returned.',
  INVENTORY_HAS_ACTIVE_LOANS: 'Part of the inventory row is out on loan: it cannot be archived until that comes back.',
  QUANTITY_BELOW_ON_LOAN: 'The new quantity is less than what is out on loan.',
  DUE_DATE_BEFORE_LOAN: 'The due date is before the day the loan was made.',
  BORROWER_LINK_INVALID: 'The borrower link is not one this API made (mistyped or altered), or the loan it was made for is not there any more.',
  STORAGE_QUOTA_EXCEEDED: 'The workspace\'s attachments would exceed its storage quota; delete some first.',
  TOO_MANY_ATTACHMENTS: 'The item has as many attachments as an item may have (100).',
  ATTACHMENT_NOT_READY: 'The attachment has no verified file to download (its upload is pending, was rejected, or it only references a document elsewhere).',
  ENTITY_DELETED: 'The id the client chose names an entity that was created and has since been deleted for good: replaying its create does not bring it back.',
  IDEMPOTENCY_IN_PROGRESS: 'A request with this Idempotency-Key is still being answered; retry after it finishes to get its answer.',
  IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was used with a different body (within 24 hours); a new request needs a new key.',
  IMPORT_UNREADABLE: 'The import\'s `data` is not base64 of a file in the `format` given (CSV with a header row, or a JSON array of objects), or it is empty.',
  IMPORT_TOO_MANY_ROWS: 'The file has more rows than one request imports; split it.',
  BACKUP_NOT_READY: 'The backup named is not DONE (still being made, or it failed): restore from a DONE one.',
  BORROWER_LINK_EXPIRED: 'The borrower link expired (30 days after the loan\'s due date); a newer reminder carries a new one.',
};

export const kindOf = (code: ErrorCode): ErrorKind => errorCodes[code];

export const statusOfCode = (code: ErrorCode): number => errorKinds[kindOf(code)];
