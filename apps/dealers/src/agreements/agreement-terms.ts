export {
  DEFAULT_TERMS,
  isFirstDayOfMonth,
  resolveAgreementTerms,
  type AgreementTermsInput,
  type TermViolation,
} from '@app/dealer-directory';
