/** ClsService keys. The messaging lib reads CLS_CORRELATION_ID / CLS_CAUSATION_ID by these literal values. */
export const CLS_CORRELATION_ID = 'correlationId';
export const CLS_CAUSATION_ID = 'causationId';
export const CLS_REQUEST_ID = 'requestId';
export const CLS_PRINCIPAL = 'principal';

export const CORRELATION_ID_HEADER = 'x-correlation-id';
export const REQUEST_ID_HEADER = 'x-request-id';
